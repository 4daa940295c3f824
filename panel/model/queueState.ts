/**
 * A port's queue state, in the HTML Standard's terms, decided here and nowhere else (the views
 * and exporters display it). In order:
 *
 * - `closed`: `close()` was called on the port: it is disentangled and its port message queue
 *   will never be dispatched again.
 * - `enabled`: its current object's port message queue was enabled, by `start()` or by setting
 *   `onmessage` (`addEventListener` alone does not enable it). A transferred port arrives as a
 *   new object whose queue is disabled, so this is about the holder it has now.
 * - `unknown`: the holder is a context Portscope does not run in (a worker seen from outside):
 *   a `start()` there cannot be seen, so "not started" would be a guess.
 * - `not-started`: held by an observed context that never enabled the queue: messages wait.
 */
import type { PortNode, QueueState } from './types.ts';

export function queueStateOf(port: PortNode, holderObserved: boolean): QueueState {
  if (port.closed) return 'closed';
  if (port.enabled) return 'enabled';
  if (!holderObserved) return 'unknown';
  return 'not-started';
}

/**
 * A port that was never started is a problem only when something waits on it: a `message`
 * listener added with addEventListener (which does not enable the queue), or messages already
 * in its port message queue. A port that only sends never needs start().
 */
export function neverStartedProblem(port: PortNode, state: QueueState): boolean {
  return state === 'not-started' && (port.listeners.message > 0 || port.queued > 0);
}
