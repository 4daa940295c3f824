/**
 * Finding messages from the pointer and the keyboard: the message whose post (in its sender's
 * lane) or dispatch (in its receiver's lane) is nearest a point, and a message's neighbours in
 * its lane and in the lanes above and below.
 */
import type { DrawPlan } from './drawPlan.ts';
import type { LaneLayout } from './lanes.ts';
import { firstAtOrAfter, type TimelineData } from './timelineData.ts';

/** Pixels around a post or a dispatch that still hit it. */
export const HIT_PX = 6;

/** The visible message nearest x (CSS px in the plot) in `row`, within HIT_PX; -1 when none. */
export function hitTest(data: TimelineData, layout: LaneLayout, plan: DrawPlan, x: number, row: number): number {
  if (row < 0) return -1;
  const scale = plan.width / Math.max(plan.end - plan.start, 1e-9);
  let best = -1;
  let bestDx = HIT_PX + 1;
  for (const i of plan.visible) {
    if (layout.senderRow[i] === row) {
      const dx = Math.abs((data.post[i]! - plan.start) * scale - x);
      if (dx < bestDx) {
        best = i;
        bestDx = dx;
      }
    }
    const e = data.end[i]!;
    if (layout.receiverRow[i] === row && !Number.isNaN(e)) {
      const dx = Math.abs((e - plan.start) * scale - x);
      if (dx < bestDx) {
        best = i;
        bestDx = dx;
      }
    }
  }
  return bestDx <= HIT_PX ? best : -1;
}

/** Whether message `i` starts or ends in `row`. */
function touches(layout: LaneLayout, i: number, row: number): boolean {
  return layout.senderRow[i] === row || layout.receiverRow[i] === row;
}

/** The next (dir 1) or previous (dir -1) message in time order that touches row `row`; -1 at the end. */
export function stepInRow(data: TimelineData, layout: LaneLayout, from: number, row: number, dir: 1 | -1): number {
  for (let i = from + dir; i >= 0 && i < data.records.length; i += dir) if (touches(layout, i, row)) return i;
  return -1;
}

/** The message touching `row` whose post is nearest time `t`; -1 when the row has none. */
export function nearestInRow(data: TimelineData, layout: LaneLayout, row: number, t: number): number {
  const n = data.records.length;
  const at = firstAtOrAfter(data.post, t);
  let after = -1;
  for (let i = at; i < n; i++) {
    if (touches(layout, i, row)) {
      after = i;
      break;
    }
  }
  let before = -1;
  for (let i = at - 1; i >= 0; i--) {
    if (touches(layout, i, row)) {
      before = i;
      break;
    }
  }
  if (after < 0) return before;
  if (before < 0) return after;
  return data.post[after]! - t < t - data.post[before]! ? after : before;
}

/** The index of message `id` in `data`, or -1 (a filter may have hidden it). */
export function indexOfMessage(data: TimelineData, id: string | null): number {
  if (id === null) return -1;
  return data.records.findIndex((m) => m.id === id);
}
