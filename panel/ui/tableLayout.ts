/**
 * The Messages table's layout the user chose: which columns show, how wide each is, and how
 * much room the detail pane takes. Remembered in the panel's own localStorage (the extension's
 * origin, or the viewer's), read back with every value checked: a bad or foreign entry is
 * ignored, never trusted.
 */
import { useCallback, useState } from 'react';
import type { SortKey } from '../messageRows.ts';

export type ColumnKey = 'time' | 'from' | 'to' | 'channel' | 'size' | 'wait' | 'handler' | 'site' | 'data' | 'delivery';

export interface ColumnDef {
  key: ColumnKey;
  label: string;
  /** What the header's tooltip says the column holds. */
  title: string;
  sort?: SortKey;
  width: number;
  /** The narrowest it gets when the pane is short of room (it still reads). */
  min: number;
  align?: 'right';
}

/** In display order. Data takes the room left (its width is a minimum). */
export const COLUMNS: readonly ColumnDef[] = [
  {
    key: 'time',
    label: 'Time',
    title: "When it was posted, from the first context's start",
    sort: 'time',
    width: 76,
    min: 70,
    align: 'right',
  },
  {
    key: 'from',
    label: 'From',
    title: 'The sending port and the context that posted',
    sort: 'from',
    width: 150,
    min: 80,
  },
  {
    key: 'to',
    label: 'To',
    title: "The receiving port (the sender's entangled peer) and where it was dispatched",
    sort: 'to',
    width: 150,
    min: 80,
  },
  {
    key: 'channel',
    label: 'Channel',
    title: 'The channel the message went through',
    sort: 'channel',
    width: 64,
    min: 40,
  },
  {
    key: 'size',
    label: 'Size',
    title: 'Estimated serialized size of the data',
    sort: 'size',
    width: 60,
    min: 46,
    align: 'right',
  },
  {
    key: 'wait',
    label: 'Wait',
    title: "Time from post to dispatch (queueing and delivery); ≈ where two contexts' clocks were aligned",
    sort: 'wait',
    width: 76,
    min: 76,
    align: 'right',
  },
  {
    key: 'handler',
    label: 'Handler',
    title: 'Time the message listeners ran',
    sort: 'handler',
    width: 64,
    min: 64,
    align: 'right',
  },
  {
    key: 'site',
    label: 'Posted at',
    title: 'The first page frame of the postMessage call (call-stack capture on)',
    width: 140,
    min: 60,
  },
  {
    key: 'data',
    label: 'Data',
    title: 'The data as recorded (a bounded preview)',
    sort: 'preview',
    width: 160,
    min: 80,
  },
  {
    key: 'delivery',
    label: 'Delivery',
    title: 'Delivered, queued in the receiving port message queue, dropped (and why), or sent where it cannot be seen',
    sort: 'state',
    width: 150,
    min: 72,
  },
];

export const DEFAULT_VISIBLE: readonly ColumnKey[] = ['time', 'from', 'to', 'size', 'wait', 'data', 'delivery'];
export const MIN_WIDTH = 40;
const MAX_WIDTH = 2000;

export interface TableLayout {
  visible: ColumnKey[];
  widths: Partial<Record<ColumnKey, number>>;
  /** The detail pane's width beside the table, in px. */
  detail: number;
  /** Its height below the table (a narrow panel), in px. */
  detailBelow: number;
}

export const DEFAULT_LAYOUT: TableLayout = { visible: [...DEFAULT_VISIBLE], widths: {}, detail: 380, detailBelow: 240 };
const KEY = 'portscope.messagesTable.v1';
const KNOWN = new Set<string>(COLUMNS.map((c) => c.key));

/** A stored layout, checked field by field; anything malformed falls back to the default. */
export function parseLayout(text: string | null): TableLayout {
  if (text === null) return DEFAULT_LAYOUT;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return DEFAULT_LAYOUT;
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_LAYOUT;
  const r = raw as Record<string, unknown>;
  const visible = Array.isArray(r.visible)
    ? r.visible.filter((k): k is ColumnKey => typeof k === 'string' && KNOWN.has(k))
    : [];
  const widths: Partial<Record<ColumnKey, number>> = {};
  if (typeof r.widths === 'object' && r.widths !== null) {
    for (const [k, v] of Object.entries(r.widths)) {
      if (KNOWN.has(k) && typeof v === 'number' && Number.isFinite(v)) widths[k as ColumnKey] = clampWidth(v);
    }
  }
  const size = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(2000, Math.max(120, v)) : fallback;
  return {
    visible: visible.length ? [...new Set(visible)] : [...DEFAULT_VISIBLE],
    widths,
    detail: size(r.detail, DEFAULT_LAYOUT.detail),
    detailBelow: size(r.detailBelow, DEFAULT_LAYOUT.detailBelow),
  };
}

export function clampWidth(w: number): number {
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));
}

export function widthOf(layout: TableLayout, column: ColumnDef): number {
  return layout.widths[column.key] ?? column.width;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage denied (a sandboxed viewer): the layout lasts as long as the panel
  }
}

export function useTableLayout(): [TableLayout, (next: TableLayout) => void] {
  const [layout, setLayout] = useState(() => parseLayout(storage()?.getItem(KEY) ?? null));
  const save = useCallback((next: TableLayout) => {
    setLayout(next);
    storage()?.setItem(KEY, JSON.stringify(next));
  }, []);
  return [layout, save];
}
