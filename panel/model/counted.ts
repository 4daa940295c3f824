/**
 * Messages counted rather than recorded (`messages-counted`): while nobody watches the tab the
 * runtime reports, per port, how many plain messages it posted and dispatched since its last
 * report. Posts join the peer's port message queue as one counted run (see
 * portMessageQueue.ts); dispatches take from the front of the queue, recorded messages and
 * runs alike. Dispatches reported before their posts wait (backlog.ts) or are inferred, as a
 * recorded dispatch does.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { Binding, ContextState, ModelState, PortState } from './state.ts';
import { count } from './state.ts';
import { portFor } from './entangle.ts';
import { postAfterClose, postAfterTransfer, toDestroyedContext } from './diagnostics.ts';
import { dropCounts, inFlightAtClose } from './messages.ts';
import { senderReports, wake } from './queueWaiters.ts';
import { notePosts } from './channelStats.ts';

type Counted = Extract<Fact, { kind: 'messages-counted' }>;

/** Applies a `messages-counted` fact; returns false when dispatches must wait for posts not reported yet. */
export function countedMessages(state: ModelState, ctx: ContextState, fact: Counted, force: boolean): boolean {
  const binding = portFor(state, ctx, fact.port, fact.time);
  // A fact that waited comes back here: its posts were applied the first time.
  let left = state.countedLeft.get(fact);
  if (left === undefined) {
    if (fact.posted > 0) postCounted(state, ctx, binding, fact.posted, fact.time);
    left = fact.dispatched;
  }
  if (left > 0) left = dispatchCounted(state, ctx, binding.port, left, fact.time, force);
  if (left > 0) {
    state.countedLeft.set(fact, left);
    return false;
  }
  state.countedLeft.delete(fact);
  return true;
}

function postCounted(state: ModelState, ctx: ContextState, binding: Binding, n: number, time: number): void {
  const port = binding.port;
  port.used = true;
  addCountedPosts(state, port, n);
  notePosts(port, time, 0);
  // The runtime counts only posts it sent; a report comes at a flush, after the posts, so a
  // peer closed in between is judged by the report's time (the messages are lost either way).
  if (!binding.live) {
    dropCounts(state, port, 'shipped', n);
    postAfterTransfer(state, port, ctx.node.id, time, undefined, n);
  } else if (!port.entangled && !inFlightAtClose(port, time)) {
    dropCounts(state, port, 'closed', n);
    postAfterClose(state, port, ctx.node.id, time, undefined, n);
  } else enqueueCounted(state, port.channelPeer, n, ctx.node.id, time);
}

function enqueueCounted(state: ModelState, target: PortState, n: number, from: string, time: number): void {
  if (target.owed > 0) {
    const paid = Math.min(n, target.owed);
    target.owed -= paid;
    n -= paid;
    if (target.owed === 0) state.owing.delete(target);
    if (n === 0) return;
  }
  if (target.unobservedHolder) {
    state.totals.unobserved += n;
    return;
  }
  const holder = target.binding ? state.contexts.get(target.binding.ctx) : undefined;
  if (holder?.node.destroyed && !state.queueWaiters.has(target)) {
    dropCounts(state, target.channelPeer, 'context-destroyed', n);
    toDestroyedContext(state, target, holder.node.id, holder.node.destroyed.reason, time, n);
    return;
  }
  target.queue.pushCounted(n, time, from);
  wake(state, target);
}

/** Takes `n` messages from the front of the queue; returns how many must wait for their posts. */
function dispatchCounted(
  state: ModelState,
  ctx: ContextState,
  port: PortState,
  n: number,
  time: number,
  force: boolean,
): number {
  const taken = port.queue.take(n, time);
  for (const message of taken.records) {
    message.state = 'delivered';
    message.dispatchedAt = time;
    message.to = { port: port.node.id, context: ctx.node.id };
    message.dispatchCounted = true;
    // A counted dispatch had no ports in event.ports.
    if (message.transferredPorts.length > 0) count(state.stats.unmatched, 'transfer-count-mismatch');
  }
  const left = n - taken.records.length - taken.counted;
  if (left === 0) {
    deliverCounted(state, port, n);
    return 0;
  }
  const sender = port.channelPeer;
  if (sender.binding?.live && sender.binding.ctx === ctx.node.id) {
    // Both ends here: the posts' count comes later from this same context, which cannot wait for itself.
    port.owed += left;
    state.owing.add(port);
  } else if (force || !senderReports(state, port)) inferCountedPosts(state, port, left);
  else {
    deliverCounted(state, port, n - left);
    return left;
  }
  deliverCounted(state, port, n);
  return 0;
}

function deliverCounted(state: ModelState, port: PortState, n: number): void {
  port.node.delivered += n;
  port.node.countedDelivered += n;
  state.totals.delivered += n;
  state.stats.counted.delivered += n;
}

/** Counted dispatches whose posts were never reported: the posts are inferred (counted too). */
export function inferCountedPosts(state: ModelState, port: PortState, n: number): void {
  addCountedPosts(state, port.channelPeer, n);
  count(state.stats.inferred, 'post', n);
}

function addCountedPosts(state: ModelState, sender: PortState, n: number): void {
  sender.node.posted += n;
  sender.node.countedPosted += n;
  state.totals.posted += n;
  state.stats.counted.posted += n;
}
