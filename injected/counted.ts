/**
 * Counting mode: while nobody watches the tab (protocol/handshake.ts `recordMessages`), plain
 * traffic — a 'sent' post with no port transferred, a `message` event with empty event.ports —
 * only bumps a counter on its port record. The counts leave as `messages-counted` facts:
 * at every flush, before any other fact naming the port (so the model keeps each queue in
 * order), and when recording resumes.
 */
import type { PortRecord } from './ids.ts';
import { noteCounted, noteUnaccounted } from './ids.ts';
import type { Runtime } from './runtime.ts';
import { append } from './own-index.ts';

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

// Each record is listed once until the next flush, so the list never outgrows the ports.
function listCounted(rt: Runtime, record: PortRecord): void {
  record.listed = true;
  const list = rt.counted;
  append(list, record);
  // Counting emits nothing, so nothing else would start the flush timer that reports the counts.
  if (list.length === 1) rt.emitter.schedule();
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
  const list = rt.counted;
  if (list.length === 0) return;
  // A fresh list first: an emit below may flush, and that flush settles again (finding nothing).
  rt.counted = [];
  for (let i = 0; i < list.length; i++) {
    list[i].listed = false;
    settleCounts(rt, list[i]);
  }
}
