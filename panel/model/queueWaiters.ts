/**
 * Contexts that wait on a port (backlog.ts): for a message in its queue, or for its sender's
 * facts. Whether those facts can still come, and waking the waiters when something changed.
 */
import type { ModelState, PortState } from './state.ts';
import { expectsFacts } from './contexts.ts';

/** Contexts waiting for a message in this port's queue (or for its sender to go silent) resume. */
export function wake(state: ModelState, port: PortState): void {
  const waiters = state.queueWaiters.get(port);
  if (!waiters) return;
  state.queueWaiters.delete(port);
  for (const ctx of waiters) state.ready.add(ctx);
}

/** Whether the sender of messages to `port` is somewhere whose facts will come. */
export function senderReports(state: ModelState, port: PortState): boolean {
  const sender = port.channelPeer;
  if (sender.unobservedHolder) return false;
  return expectsFacts(state, sender.node.context) || sender.inTransit !== null;
}
