/**
 * How deep one port message queue was over time: every change of its size (a message joins it,
 * is dispatched, is dropped with its context, goes with the port into an unobserved context),
 * with the time of the fact that changed it. Bounded: past `cap` changes the oldest are cut,
 * and counted.
 *
 * Facts are applied in causal order (a dispatch waits for its post, backlog.ts), but their times
 * come from several contexts' clocks, and counts are reported at flushes: a change can carry an
 * earlier time than the one before it. A queue's history cannot run backwards, so such a change
 * is placed at the latest time the series already has, and the series says it was (`late`).
 * Several changes at one time are one step.
 */
import { Fifo } from './fifo.ts';
import type { QueueDepthChange } from './types.ts';

export class QueueDepthSeries {
  private changes = new Fifo<QueueDepthChange>();
  /** Oldest changes cut to stay within the bound. */
  cut = 0;
  /** Changes whose own time was earlier than the series' last one (placed at that time). */
  late = 0;

  constructor(private readonly cap: number) {}

  note(time: number, depth: number): void {
    const last = this.changes.last();
    if ((last?.depth ?? 0) === depth) return;
    let at = time;
    if (last && time < last.time) {
      at = last.time;
      this.late++;
    }
    // Changes at one time are one step: a counter shows where it ended, not a zero-length spike.
    if (last && last.time === at) {
      last.depth = depth;
      const before = this.changes.size > 1 ? this.changes.at(this.changes.size - 2) : undefined;
      if ((before?.depth ?? 0) === depth) this.changes.pop();
      return;
    }
    this.changes.push({ time: at, depth });
    if (this.changes.size > this.cap) {
      this.changes.shift();
      this.cut++;
    }
  }

  /** The depth at `time`: after the last change at or before it (the oldest kept one if it was cut). */
  depthAt(time: number): number {
    let lo = 0;
    let hi = this.changes.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.changes.at(mid)?.time ?? 0) <= time) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) return this.changes.at(lo - 1)?.depth ?? 0;
    return this.cut > 0 ? (this.changes.peek()?.depth ?? 0) : 0;
  }

  get size(): number {
    return this.changes.size;
  }

  toArray(): QueueDepthChange[] {
    return this.changes.toArray();
  }
}
