/**
 * The counts' own timer (counted.ts, carrier-counts.ts): counting emits nothing, so no batch may
 * be due to take the counts; this one flush takes them when nothing else did.
 */
import { nativeSetTimeout } from './natives.ts';
import type { Runtime } from './runtime.ts';

/**
 * How long counts with nothing else to go with wait before they leave alone. Nobody reads them
 * before a panel subscribes, and then they are settled at once (recording resumes); meanwhile
 * each report is one fact per busy port through the relay and the background's buffer. At the
 * emitter's 50 ms that was 4,000 facts a second for the 200-port fan-out, whose relay sends were
 * the largest of the runtime's and the relay's own costs in a profile of its request loop, and
 * which fill the background's per-tab log in seconds (BENCHMARKS.md, issue 16 step 3).
 * The price: a context that ends with no last flush (a worker terminated from outside, a crashed
 * renderer) loses up to this much of its counts instead of 50 ms.
 */
export const COUNTS_ALONE_MS = 1_000;

/** Starts the timer unless it is pending: one at a time per runtime. */
export function armCountsTimer(rt: Runtime): void {
  if (rt.countsTimer) return;
  rt.countsTimer = true;
  nativeSetTimeout(() => reportAlone(rt), COUNTS_ALONE_MS);
}

/** Whatever is still listed leaves now (the flush settles it, emitter.beforeTake). */
function reportAlone(rt: Runtime): void {
  rt.countsTimer = false;
  try {
    if (rt.counted !== undefined || rt.carrierCounts?.listed) rt.emitter.flush();
  } catch {
    // Never into the page's timer task; what is left goes with the next flush.
  }
}
