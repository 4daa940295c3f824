/**
 * Counting mode: while nobody watches the tab (protocol/handshake.ts `recordMessages`), plain
 * traffic — a 'sent' post with no port transferred, a `message` event with empty event.ports —
 * only bumps a counter on its port record. The counts leave as `messages-counted` facts:
 * with every batch that leaves anyway (the emitter's flush, so a context's last batch at
 * `pagehide` or `self.close()` carries them), before any other fact naming the port (so the model
 * keeps each queue in order), when recording resumes, and otherwise on their own at most every
 * `COUNTS_ALONE_MS`.
 */
import type { PortRecord } from './ids.ts';
import { noteCounted, noteUnaccounted } from './ids.ts';
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

/** A post that was sent, with no port in its transfer list, while counting. */
export function countPost(rt: Runtime, record: PortRecord): void {
  record.posted++;
  noteCounted(record);
  if (!record.listed) listCounted(rt, record);
  record.countedPosted++;
}

/** A trusted `message` event with empty event.ports while counting. */
export function countDispatch(rt: Runtime, record: PortRecord): void {
  // Its rank, as postedHere would have taken it: later events must still pair with their posts.
  record.arrived++;
  if (!record.listed) listCounted(rt, record);
  record.countedDispatched++;
}

/**
 * Each record is listed once until the next flush, so the list never outgrows the ports. The list
 * is linked through the records themselves: an array would take one own-index definition per
 * record and flush (own-index.ts), which the profile of 200 counted ports found costing more than
 * the counts themselves.
 */
function listCounted(rt: Runtime, record: PortRecord): void {
  record.listed = true;
  const before = rt.counted;
  record.countedBefore = before;
  rt.counted = record;
  // Counting emits nothing, so nothing else may flush them: a timer of their own, slower than the emitter's.
  if (before === undefined && !rt.countsTimer) {
    rt.countsTimer = true;
    nativeSetTimeout(() => reportAlone(rt), COUNTS_ALONE_MS);
  }
}

/** The counts timer: whatever is still listed leaves now (the flush settles it, emitter.beforeTake). */
function reportAlone(rt: Runtime): void {
  rt.countsTimer = false;
  try {
    if (rt.counted !== undefined) rt.emitter.flush();
  } catch {
    // Never into the page's timer task; what is left goes with the next flush.
  }
}

/**
 * Call before emitting any other fact about `record`'s port: its counted messages come first,
 * exactly where they happened relative to that fact.
 */
export function settleCounts(rt: Runtime, record: PortRecord): void {
  if (record.countedPosted !== 0 || record.countedDispatched !== 0) reportCounts(rt, record);
}

function reportCounts(rt: Runtime, record: PortRecord): void {
  const posted = record.countedPosted;
  const dispatched = record.countedDispatched;
  record.countedPosted = 0;
  record.countedDispatched = 0;
  // Past the emitter's bound the fact is counted as dropped; the model then misses queued
  // messages, so later dispatches must describe what they carry (ids.ts postedHere).
  if (
    rt.emitter.emit({ kind: 'messages-counted', ctx: rt.ctx, port: record.id, posted, dispatched }) === undefined &&
    posted !== 0
  )
    noteUnaccounted(record);
}

/** Every record's counts, in the order the records were first counted (before a flush, when recording resumes). */
export function settleAllCounts(rt: Runtime): void {
  let last = rt.counted;
  if (last === undefined) return;
  // A fresh list first: an emit below may flush, and that flush settles again (finding nothing).
  rt.counted = undefined;
  // Listed newest first: turned around in place, so the first counted is reported first.
  let first: PortRecord | undefined;
  while (last !== undefined) {
    const before: PortRecord | undefined = last.countedBefore;
    last.countedBefore = first;
    first = last;
    last = before;
  }
  for (let record = first; record !== undefined; ) {
    const next: PortRecord | undefined = record.countedBefore;
    record.countedBefore = undefined;
    record.listed = false;
    settleCounts(rt, record);
    record = next;
  }
}
