/**
 * A `SharedWorker.port` made in a document and the `connect` port that reaches the shared
 * worker are the two ends of one channel. When the shared worker is seen from inside (it
 * announced the ctx its documents named, injected/worker-protocol.ts), the document's far end
 * is not "held by someone unobserved": it waits, like a port in transit, for the worker's
 * `connect` port-seen, which takes it over. Connects come in the order a document made its
 * SharedWorker objects; between documents nothing says which came first, so where ends of two
 * documents wait at once the answer is "unknown": they are marked unobserved, never guessed.
 */
import type { ContextState, ModelState, PortState } from './state.ts';
import { bind } from './entangle.ts';
import { expectsFacts } from './contexts.ts';
import { holdUnobserved } from './transfers.ts';
import { count } from './state.ts';

/** Far ends waiting per shared worker; past it the oldest is given up as unobserved. */
const MAX_WAITING = 256;

/** Whether the far end of a document's SharedWorker.port can wait for the worker's own connect port. */
export function seenFromInside(state: ModelState, worker: string): boolean {
  return state.contexts.get(worker)?.node.kind === 'sharedworker' && expectsFacts(state, worker);
}

/** `there` is the worker's end of a SharedWorker.port just made in a document. */
export function awaitConnect(state: ModelState, worker: string, there: PortState, time: number): void {
  there.binding = null;
  there.unobservedHolder = false;
  there.node.context = worker;
  let list = state.sharedWorkerEnds.get(worker);
  if (!list) {
    list = [];
    state.sharedWorkerEnds.set(worker, list);
  }
  list.push(there);
  if (list.length > MAX_WAITING) {
    count(state.stats.unmatched, 'shared-worker-end');
    holdUnobserved(state, list.shift()!, worker, time);
  }
}

/** The shared worker `ctx` got a connect port: the waiting end it is, when that can be told. */
export function takeConnect(state: ModelState, ctx: ContextState, local: number, time: number): boolean {
  const list = state.sharedWorkerEnds.get(ctx.node.id);
  if (!list || list.length === 0) return false;
  const owner = list[0].channelPeer.node.context;
  if (list.some((end) => end.channelPeer.node.context !== owner)) {
    // Two documents' ports wait: which one this connect is cannot be told.
    for (const end of list.splice(0)) holdUnobserved(state, end, ctx.node.id, time);
    return false;
  }
  bind(state, ctx, local, list.shift()!, time);
  return true;
}
