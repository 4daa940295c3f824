/**
 * The time ranges of the timeline: the whole recording (what the overview shows) and the
 * main view's range inside it, moved by zoom and pan and never outside the recording.
 */
import type { TimelineData } from './timelineData.ts';

export interface TimeRange {
  start: number;
  end: number;
}

/** The narrowest range the main view zooms to (ms). */
export const MIN_SPAN = 0.02;
/** Room left on each side of the recording, as a fraction of its length. */
const PAD = 0.02;

/**
 * The whole recording: the first post to the last post or dispatch. A message still queued
 * runs on to the right edge (its wait is not over); the range does not chase the clock, or a
 * single stuck message would squeeze everything else to the left. `origin` anchors an empty one.
 */
export function wholeRange(data: TimelineData, origin: number): TimeRange {
  if (data.records.length === 0) return { start: origin, end: origin + 1000 };
  const span = Math.max(1, data.last - data.first);
  return { start: data.first - span * PAD, end: data.last + span * PAD };
}

/** `r` moved and shrunk, if need be, to lie inside `whole`, and at least MIN_SPAN wide. */
export function clampRange(r: TimeRange, whole: TimeRange): TimeRange {
  const wholeSpan = whole.end - whole.start;
  const span = Math.min(wholeSpan, Math.max(MIN_SPAN, r.end - r.start));
  let start = Math.min(Math.max(r.start, whole.start), whole.end - span);
  if (!Number.isFinite(start)) start = whole.start;
  return { start, end: start + span };
}

/** Zooms by `factor` (< 1 zooms in) keeping time `at` under the same pixel. */
export function zoomAt(r: TimeRange, factor: number, at: number, whole: TimeRange): TimeRange {
  const span = (r.end - r.start) * factor;
  const f = (at - r.start) / (r.end - r.start);
  const start = at - f * span;
  return clampRange({ start, end: start + span }, whole);
}

export function panBy(r: TimeRange, deltaMs: number, whole: TimeRange): TimeRange {
  return clampRange({ start: r.start + deltaMs, end: r.end + deltaMs }, whole);
}

/** A range covering `a` and `b` (in either order): a drag on the overview. */
export function rangeBetween(a: number, b: number, whole: TimeRange): TimeRange {
  return clampRange({ start: Math.min(a, b), end: Math.max(a, b) }, whole);
}

/** True when `r` shows all of `whole`. */
export function showsAll(r: TimeRange, whole: TimeRange): boolean {
  return r.start <= whole.start && r.end >= whole.end;
}
