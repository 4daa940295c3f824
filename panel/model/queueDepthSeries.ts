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
import type { QueueDepthChange } from './types.ts';

/** A ring of (time, depth) pairs in two arrays of numbers: a change allocates nothing. */
export class QueueDepthSeries {
  private times: number[];
  private depths: number[];
  /** Index of the oldest kept change. */
  private start = 0;
  private count = 0;
  /** Oldest changes cut to stay within the bound. */
  cut = 0;
  /** Changes whose own time was earlier than the series' last one (placed at that time). */
  late = 0;

  constructor(private readonly cap: number) {
    this.times = new Array<number>(Math.min(4, cap)).fill(0);
    this.depths = new Array<number>(Math.min(4, cap)).fill(0);
  }

  private slot(i: number): number {
    return (this.start + i) % this.times.length;
  }

  note(time: number, depth: number): void {
    const n = this.count;
    const last = n > 0 ? this.slot(n - 1) : -1;
    if ((last < 0 ? 0 : this.depths[last]) === depth) return;
    let at = time;
    if (last >= 0 && time < this.times[last]) {
      at = this.times[last];
      this.late++;
    }
    // Changes at one time are one step: a counter shows where it ended, not a zero-length spike.
    if (last >= 0 && this.times[last] === at) {
      const before = n > 1 ? this.depths[this.slot(n - 2)] : 0;
      if (before === depth) this.count--;
      else this.depths[last] = depth;
      return;
    }
    if (n === this.times.length) {
      if (n < this.cap) this.grow(Math.min(this.cap, n * 2));
      else {
        this.start = (this.start + 1) % n;
        this.count--;
        this.cut++;
      }
    }
    const i = this.slot(this.count++);
    this.times[i] = at;
    this.depths[i] = depth;
  }

  private grow(size: number): void {
    const times = new Array<number>(size).fill(0);
    const depths = new Array<number>(size).fill(0);
    for (let i = 0; i < this.count; i++) {
      times[i] = this.times[this.slot(i)];
      depths[i] = this.depths[this.slot(i)];
    }
    this.times = times;
    this.depths = depths;
    this.start = 0;
  }

  /** The depth at `time`: after the last change at or before it (the oldest kept one if it was cut). */
  depthAt(time: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[this.slot(mid)] <= time) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) return this.depths[this.slot(lo - 1)];
    return this.cut > 0 && this.count > 0 ? this.depths[this.start] : 0;
  }

  get size(): number {
    return this.count;
  }

  toArray(): QueueDepthChange[] {
    const out: QueueDepthChange[] = [];
    for (let i = 0; i < this.count; i++) out.push({ time: this.times[this.slot(i)], depth: this.depths[this.slot(i)] });
    return out;
  }
}
