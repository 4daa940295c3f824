/**
 * The user's Clear: message records go, what the HTML Standard's state machine needs stays.
 * Contexts, channels, ports, holders, each port message queue and the messages still waiting in
 * one are the page's present state, so they are kept; a record of a message that was delivered,
 * dropped or sent where no runtime runs is history, and is dropped (the caller counts it).
 */
import type { MessageRecord } from './types.ts';
import type { ModelState } from './state.ts';
import { Fifo } from './fifo.ts';
import { bodyChars } from './bodySize.ts';

/** Drops every message record not waiting in a port message queue; returns how many went. */
export function dropMessageRecords(state: ModelState): number {
  const kept: MessageRecord[] = [];
  for (const message of state.messages) {
    if (message.state === 'queued') kept.push(message);
    else state.messageById.delete(message.id);
  }
  const dropped = state.messages.length - kept.length;
  state.messages = kept;
  // The body bound counts kept bodies only: a dropped record must not be "evicted" later.
  state.bodies = new Fifo();
  state.bodySizes = new Fifo();
  state.bodyChars = 0;
  for (const message of kept) {
    if (!('preview' in message) && !('site' in message)) continue;
    const chars = bodyChars(message);
    state.bodies.push(message);
    state.bodySizes.push(chars);
    state.bodyChars += chars;
  }
  return dropped;
}
