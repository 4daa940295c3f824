/**
 * Counting mode: while nobody watches the tab (protocol/handshake.ts `recordMessages`), plain
 * traffic — a 'sent' post with no port transferred, a `message` event with empty event.ports —
 * only bumps a counter on its port record (carrier messages: one per context, carrier-counts.ts,
 * reported as `carriers-counted` with the ports' counts). The counts leave as `messages-counted` facts:
 * with every batch that leaves anyway (the emitter's flush, so a context's last batch at
 * `pagehide` or `self.close()` carries them), before any other fact naming the port (so the model
 * keeps each queue in order), when recording resumes, and otherwise on their own at most every
 * `COUNTS_ALONE_MS`.
 */
import type { PortRecord } from './ids.ts';
import { noteCounted, noteUnaccounted } from './ids.ts';
import { armCountsTimer } from './counts-timer.ts';
import type { CarrierTally, Runtime } from './runtime.ts';

export { COUNTS_ALONE_MS } from './counts-timer.ts';

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
  armCountsTimer(rt);
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
  settleCarrierCounts(rt);
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

/** The counts as `carriers-counted` facts (one per carrier kind with any), then zero. */
export function settleCarrierCounts(rt: Runtime): void {
  const counts = rt.carrierCounts;
  if (counts === undefined || !counts.listed) return;
  counts.listed = false;
  reportCarrier(rt, 'worker', counts.worker);
  reportCarrier(rt, 'window', counts.window);
}

function reportCarrier(rt: Runtime, carrier: 'worker' | 'window', tally: CarrierTally): void {
  const { posted, received } = tally;
  if (posted === 0 && received === 0) return;
  tally.posted = 0;
  tally.received = 0;
  rt.emitter.emit({ kind: 'carriers-counted', ctx: rt.ctx, carrier, posted, received });
}
