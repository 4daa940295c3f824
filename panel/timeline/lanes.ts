/**
 * Lane layout: one lane per context, which opens into one lane per port the context posted
 * from or dispatched at. Lanes grow to use the pane's height (up to a limit, past which the
 * pane scrolls), and every message gets the row it is drawn from and the row it goes to.
 */
import type { TimelineData } from './timelineData.ts';

export const CONTEXT_LANE = 34;
export const PORT_LANE = 24;
/** An opened context's own row is only a header above its ports: it keeps this height. */
export const OPEN_HEADER = 22;
/** Lanes stretch to fill the pane, but no further than this many times their base height. */
export const MAX_STRETCH = 6;

export interface LaneRow {
  /** `c:<context>` or `p:<context>:<port>`; the unknown receiver's context is the empty string. */
  key: string;
  context: string | null;
  /** Set on a port's row. */
  port: string | null;
  top: number;
  height: number;
  /** A context row with ports to open into. */
  expandable: boolean;
  expanded: boolean;
}

export interface LaneLayout {
  rows: LaneRow[];
  height: number;
  /** Per message (TimelineData order): the row it was posted from, and the row it went to. */
  senderRow: Int32Array;
  receiverRow: Int32Array;
}

/**
 * `expanded` holds context ids (the empty string for the unknown receiver) whose ports get
 * their own lanes; `available` is the pane height the lanes may fill.
 */
export function layoutLanes(data: TimelineData, expanded: ReadonlySet<string>, available: number): LaneLayout {
  const portsOf = new Map<string | null, number[]>();
  for (let s = 0; s < data.slots.length; s++) {
    const slot = data.slots[s]!;
    const list = portsOf.get(slot.context) ?? [];
    list.push(s);
    portsOf.set(slot.context, list);
  }
  const rows: LaneRow[] = [];
  const rowOfSlot = new Int32Array(data.slots.length).fill(-1);
  for (const context of data.contexts) {
    const ctxKey = context ?? '';
    const slots = (portsOf.get(context) ?? []).filter((s) => data.slots[s]!.port !== null);
    const isOpen = expanded.has(ctxKey) && slots.length > 0;
    const contextRow = rows.length;
    rows.push({
      key: `c:${ctxKey}`,
      context,
      port: null,
      top: 0,
      height: isOpen ? OPEN_HEADER : CONTEXT_LANE,
      expandable: slots.length > 0,
      expanded: isOpen,
    });
    for (const s of portsOf.get(context) ?? []) rowOfSlot[s] = contextRow;
    if (!isOpen) continue;
    // Ports in the order of their ids' numbers (p2 before p10).
    slots.sort((a, b) => portNumber(data.slots[a]!.port) - portNumber(data.slots[b]!.port));
    for (const s of slots) {
      rowOfSlot[s] = rows.length;
      rows.push({
        key: `p:${ctxKey}:${data.slots[s]!.port}`,
        context,
        port: data.slots[s]!.port,
        top: 0,
        height: PORT_LANE,
        expandable: false,
        expanded: false,
      });
    }
  }
  const fixed = rows.reduce((sum, r) => sum + (r.expanded ? r.height : 0), 0);
  const base = rows.reduce((sum, r) => sum + (r.expanded ? 0 : r.height), 0);
  const stretch = base > 0 && available - fixed > base ? Math.min(MAX_STRETCH, (available - fixed) / base) : 1;
  let top = 0;
  for (const r of rows) {
    if (!r.expanded) r.height = Math.floor(r.height * stretch);
    r.top = top;
    top += r.height;
  }
  const n = data.records.length;
  const senderRow = new Int32Array(n);
  const receiverRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    senderRow[i] = rowOfSlot[data.fromSlot[i]!]!;
    receiverRow[i] = rowOfSlot[data.toSlot[i]!]!;
  }
  return { rows, height: top, senderRow, receiverRow };
}

function portNumber(port: string | null): number {
  const n = port ? Number(port.replace(/^\D+/, '')) : Number.NaN;
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** The row at a y offset from the top of the lanes, or -1. */
export function rowAt(layout: LaneLayout, y: number): number {
  let lo = 0;
  let hi = layout.rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = layout.rows[mid]!;
    if (y < r.top) hi = mid - 1;
    else if (y >= r.top + r.height) lo = mid + 1;
    else return mid;
  }
  return -1;
}
