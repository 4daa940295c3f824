/**
 * A port's queue state as the Channels view shows it, and whether it is a problem. Stands in
 * for the model's per-port queue state (`enabled | not-started | unknown | closed`) until
 * that lands; only `portQueueState` needs to be swapped for the model's answer.
 */
import type { PortNode } from '../model/types.ts';

export type PortQueueState = 'enabled' | 'not-started' | 'unknown' | 'closed';

export function portQueueState(port: PortNode, holderObserved: boolean): PortQueueState {
  if (port.closed) return 'closed';
  if (port.enabled) return 'enabled';
  // A context Portscope does not run in cannot report start() or close().
  return holderObserved ? 'not-started' : 'unknown';
}

/**
 * A port that was never started is a problem only when something waits on it: a `message`
 * listener added with addEventListener (which does not start the queue), or messages already
 * queued. A port that only sends never needs start().
 */
export function neverStartedProblem(port: PortNode, state: PortQueueState): boolean {
  return state === 'not-started' && (port.listeners.message > 0 || port.queued > 0);
}
