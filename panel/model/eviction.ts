/**
 * Bounds on what grows with page activity. Message bodies (preview, call site) are kept for the
 * newest `messageCap` messages and at most `bodyCharsCap` characters of them; whole records for
 * the newest `recordCap`. A queued message whose record goes stays counted in its port message
 * queue (an evicted run, see portMessageQueue.ts), so the queue stays exact; a queued one that
 * carries ports keeps its record, which the model needs to read the receiving side. Carrier
 * records and transfer edges share recordCap. Every eviction is counted in stats. Removal
 * happens in passes whose spacing grows with what could not be evicted, so each message costs
 * O(1) amortized however many stay.
 */
import type { CarrierRecord, MessageRecord, TransferEdge } from './types.ts';
import type { ModelState } from './state.ts';

function chunk(cap: number): number {
  return Math.max(64, Math.floor(cap / 8));
}

export function keepMessage(state: ModelState, message: MessageRecord): void {
  state.messages.push(message);
  state.messageById.set(message.id, message);
  const chars = state.bodyMeasure.body(message);
  state.bodies.push(message);
  state.bodySizes.push(chars);
  state.bodyChars += chars;
  const { messageCap, bodyCharsCap } = state.settings;
  // The newest body stays whatever its size: the validator already bounds one message.
  while (state.bodies.size > messageCap || (state.bodyChars > bodyCharsCap && state.bodies.size > 1)) {
    state.bodyChars -= state.bodySizes.shift()!;
    evictBody(state, state.bodies.shift()!);
  }
  if (state.messages.length > state.recordLimit) evictRecords(state);
}

function evictBody(state: ModelState, message: MessageRecord): void {
  if (!('preview' in message) && !('site' in message)) return; // already gone with its whole record
  delete message.preview;
  delete message.site;
  state.stats.evictedMessages++;
}

/** One pass: the oldest records go until recordCap remain, except queued ones that carry ports. */
function evictRecords(state: ModelState): void {
  const cap = state.settings.recordCap;
  let excess = state.messages.length - cap;
  const kept: MessageRecord[] = [];
  for (const message of state.messages) {
    if (excess > 0 && evictRecord(state, message)) excess--;
    else kept.push(message);
  }
  state.messages = kept;
  // Records that had to stay raise the bar for the next pass, so passes never come closer
  // than a fixed fraction of what is kept: no rescan per message.
  const floor = Math.max(cap, kept.length);
  state.recordLimit = floor + chunk(floor);
}

function evictRecord(state: ModelState, message: MessageRecord): boolean {
  if (message.state === 'queued') {
    if (message.transferredPorts.length > 0) return false;
    const target = message.to.port === null ? undefined : state.ports.get(message.to.port);
    if (!target?.queue.evictRecord(message)) return false;
  }
  evictBody(state, message);
  state.messageById.delete(message.id);
  state.stats.evictedRecords++;
  return true;
}

export function keepCarrier(state: ModelState, record: CarrierRecord): void {
  state.totals.carriers++;
  state.carriers.push(record);
  state.carrierById.set(record.id, record);
  const cap = state.settings.recordCap;
  if (state.carriers.length <= cap + chunk(cap)) return;
  const excess = state.carriers.length - cap;
  for (const old of state.carriers.slice(0, excess)) state.carrierById.delete(old.id);
  state.carriers = state.carriers.slice(excess);
  state.stats.evictedRecords += excess;
}

export function keepTransfer(state: ModelState, edge: TransferEdge): void {
  state.transfers.push(edge);
  const cap = state.settings.recordCap;
  if (state.transfers.length <= cap + chunk(cap)) return;
  const excess = state.transfers.length - cap;
  state.transfers = state.transfers.slice(excess);
  state.stats.evictedRecords += excess;
}
