/**
 * Bounds on what grows with page activity. Message bodies (preview, call site) are kept for the
 * newest `messageCap` messages; whole records for the newest `recordCap`, except queued ones
 * (they are port message queues, which stay exact). Carrier records share recordCap. Every
 * eviction is counted in stats. Removal happens in chunks so each message costs O(1) amortized.
 */
import type { CarrierRecord, MessageRecord, TransferEdge } from './types.ts';
import type { ModelState } from './state.ts';

function chunk(cap: number): number {
  return Math.max(64, Math.floor(cap / 8));
}

export function keepMessage(state: ModelState, message: MessageRecord): void {
  state.messages.push(message);
  state.messageById.set(message.id, message);
  state.bodies.push(message);
  while (state.bodies.size > state.settings.messageCap) evictBody(state, state.bodies.shift()!);
  if (state.messages.length > state.settings.recordCap + chunk(state.settings.recordCap)) evictRecords(state);
}

function evictBody(state: ModelState, message: MessageRecord): void {
  if (!('preview' in message)) return; // already gone with its whole record
  delete message.preview;
  delete message.site;
  state.stats.evictedMessages++;
}

function evictRecords(state: ModelState): void {
  let excess = state.messages.length - state.settings.recordCap;
  const kept: MessageRecord[] = [];
  for (const message of state.messages) {
    if (excess > 0 && message.state !== 'queued') {
      excess--;
      evictBody(state, message);
      state.messageById.delete(message.id);
      state.stats.evictedRecords++;
    } else kept.push(message);
  }
  state.messages = kept;
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
