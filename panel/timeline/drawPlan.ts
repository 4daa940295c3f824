/**
 * What the main view draws at its current range and width: the messages drawn one by one
 * (an arrow from post to dispatch), and, where too many share a few pixels of one lane to
 * tell apart, density bins per lane per pixel column (posts and dispatches), counted so the
 * view can say how many it aggregated. Linear in the messages that touch the range.
 */
import type { LaneLayout } from './lanes.ts';
import { DELIVERED, DROPPED, QUEUED, firstAfter, firstAtOrAfter, type TimelineData } from './timelineData.ts';
import { waitClass, waitClassIndex } from './waitClass.ts';

/** Arrows drawn one by one at most; beyond, messages are aggregated (and counted). */
export const MAX_ARROWS = 4000;
/** A message is drawn alone only when no other post of its lane is within this many pixels... */
export const NEIGHBOUR_PX = 2;
/** ...unless the range holds so few that every one can be drawn and still be read (they overlap, not blur). */
export const FEW = 250;

const CLASS_QUEUED = waitClassIndex('queued');
const CLASS_DROPPED = waitClassIndex('dropped');
const CLASS_UNOBSERVED = waitClassIndex('unobserved');
const CLASS_OF_WAIT = [
  waitClassIndex('w0'),
  waitClassIndex('w1'),
  waitClassIndex('w2'),
  waitClassIndex('w3'),
  waitClassIndex('w4'),
];
/** Which class a bin shows when its messages differ: the worst (unobserved is not a fault). */
const RANK: Record<number, number> = {
  [CLASS_UNOBSERVED]: 0,
  [CLASS_OF_WAIT[0]!]: 1,
  [CLASS_OF_WAIT[1]!]: 2,
  [CLASS_OF_WAIT[2]!]: 3,
  [CLASS_OF_WAIT[3]!]: 4,
  [CLASS_OF_WAIT[4]!]: 5,
  [CLASS_QUEUED]: 6,
  [CLASS_DROPPED]: 7,
};

export interface PlanInput {
  data: TimelineData;
  layout: LaneLayout;
  start: number;
  end: number;
  /** Plot width in CSS pixels (one bin per pixel column). */
  width: number;
  /** Where a queued message's arrow ends. */
  now: number;
}

export interface DrawPlan {
  start: number;
  end: number;
  width: number;
  rowCount: number;
  /** Messages touching the range, in time order. */
  visible: Int32Array;
  /** The visible messages drawn one by one. */
  arrows: Int32Array;
  /** Per row × column: posts and dispatches aggregated there, and the colour class they show (-1: none). */
  postBins: Uint32Array;
  dispatchBins: Uint32Array;
  postClass: Int8Array;
  dispatchClass: Int8Array;
  /** The fullest bin (for the bars' scale). */
  maxBin: number;
  /** Visible messages drawn as bins rather than one by one. */
  aggregated: number;
}

/** The colour class (index in WAIT_LEGEND) of message `i`. */
export function classOf(data: TimelineData, i: number): number {
  const s = data.state[i];
  if (s === DELIVERED)
    return data.postSeen[i] && !Number.isNaN(data.wait[i]!)
      ? CLASS_OF_WAIT[indexOfWait(data.wait[i]!)]!
      : CLASS_UNOBSERVED;
  if (s === QUEUED) return CLASS_QUEUED;
  if (s === DROPPED) return CLASS_DROPPED;
  return CLASS_UNOBSERVED;
}

function indexOfWait(wait: number): number {
  return Number(waitClass(wait).slice(1));
}

/** Where message `i`'s arrow ends in time: its dispatch, `now` while queued, else its post. */
export function tailOf(data: TimelineData, i: number, now: number): number {
  if (data.state[i] === QUEUED) return Math.max(now, data.post[i]!);
  const e = data.end[i]!;
  return Number.isNaN(e) ? data.post[i]! : e;
}

export function drawPlan(input: PlanInput): DrawPlan {
  const { data, layout, start, end, now } = input;
  const width = Math.max(1, Math.floor(input.width));
  const rowCount = layout.rows.length;
  const scale = width / Math.max(end - start, 1e-9);
  const colOf = (t: number) => Math.min(width - 1, Math.max(0, Math.floor((t - start) * scale)));

  const lo = firstAtOrAfter(data.post, start - data.maxWait);
  const hi = firstAfter(data.post, end);
  const visible: number[] = [];
  // Queued messages posted long before reach into the range whatever their age.
  for (const q of data.queued) if (q < lo && now >= start) visible.push(q);
  for (let i = lo; i < hi; i++) if (tailOf(data, i, now) >= start) visible.push(i);
  if (visible.length && visible[0]! < lo) visible.sort((a, b) => a - b);

  const postCount = new Uint32Array(rowCount * width);
  for (const i of visible) {
    const row = layout.senderRow[i]!;
    if (row >= 0 && data.post[i]! >= start) postCount[row * width + colOf(data.post[i]!)]!++;
  }

  const postBins = new Uint32Array(rowCount * width);
  const dispatchBins = new Uint32Array(rowCount * width);
  const postClass = new Int8Array(rowCount * width).fill(-1);
  const dispatchClass = new Int8Array(rowCount * width).fill(-1);
  const arrows: number[] = [];
  let aggregated = 0;
  let maxBin = 0;
  const mark = (bins: Uint32Array, classes: Int8Array, at: number, cls: number) => {
    const n = ++bins[at]!;
    if (n > maxBin) maxBin = n;
    if (classes[at]! < 0 || RANK[cls]! > RANK[classes[at]!]!) classes[at] = cls;
  };
  for (const i of visible) {
    const row = layout.senderRow[i]!;
    const p = data.post[i]!;
    let alone = true;
    if (visible.length > FEW && p >= start && row >= 0) {
      const col = colOf(p);
      let near = 0;
      for (let c = Math.max(0, col - NEIGHBOUR_PX); c <= Math.min(width - 1, col + NEIGHBOUR_PX); c++)
        near += postCount[row * width + c]!;
      alone = near <= 1;
    }
    if (alone && arrows.length < MAX_ARROWS) {
      arrows.push(i);
      continue;
    }
    aggregated++;
    const cls = classOf(data, i);
    if (p >= start && row >= 0) mark(postBins, postClass, row * width + colOf(p), cls);
    const e = data.end[i]!;
    const to = layout.receiverRow[i]!;
    if (!Number.isNaN(e) && e >= start && e <= end && to >= 0)
      mark(dispatchBins, dispatchClass, to * width + colOf(e), cls);
  }
  return {
    start,
    end,
    width,
    rowCount,
    visible: Int32Array.from(visible),
    arrows: Int32Array.from(arrows),
    postBins,
    dispatchBins,
    postClass,
    dispatchClass,
    maxBin,
    aggregated,
  };
}

/** Posts per pixel column over a range (the overview strip's density), and the fullest column. */
export function densityBins(
  data: TimelineData,
  start: number,
  end: number,
  width: number,
): { bins: Uint32Array; max: number } {
  const w = Math.max(1, Math.floor(width));
  const bins = new Uint32Array(w);
  const scale = w / Math.max(end - start, 1e-9);
  let max = 0;
  const lo = firstAtOrAfter(data.post, start);
  const hi = firstAfter(data.post, end);
  for (let i = lo; i < hi; i++) {
    const col = Math.min(w - 1, Math.floor((data.post[i]! - start) * scale));
    const n = ++bins[col]!;
    if (n > max) max = n;
  }
  return { bins, max };
}
