/**
 * Posting and dispatching: the port message queue. Messages on one port arrive in the order
 * they were sent, so the next dispatch at a port is the oldest message in its queue; the
 * fingerprint confirms the pairing. A dispatch whose post has not arrived yet waits (see
 * backlog.ts) unless the sender's context is one we never hear from.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { DropReason, MessageRecord, MessageState } from './types.ts';
import type { ContextState, ModelState, PortState } from './state.ts';
import type { CountedRun } from './portMessageQueue.ts';
import { isRun } from './portMessageQueue.ts';
import { count, nextId } from './state.ts';
import { keepMessage } from './eviction.ts';
import { portFor, lookup, unobservedOrigin } from './entangle.ts';
import { doomedMessage, handlerThrew, postAfterClose, postAfterTransfer, toDestroyedContext } from './diagnostics.ts';
import { holdLost, holdUnobserved, proveByDelivery, receivePort, shipTransferList } from './transfers.ts';
import { senderReports, wake } from './queueWaiters.ts';
import { noteDelivery } from './clocks.ts';
import { notePosts, noteWait } from './channelStats.ts';

type Posted = Extract<Fact, { kind: 'port-posted' }>;
type Dispatched = Extract<Fact, { kind: 'message-dispatched' }> | Extract<Fact, { kind: 'messageerror' }>;

export function post(state: ModelState, ctx: ContextState, fact: Posted): void {
  const binding = portFor(state, ctx, fact.port, fact.time);
  const port = binding.port;
  const peer = port.channelPeer;
  port.used = true;
  const message: MessageRecord = {
    id: nextId(state, 'm'),
    from: { port: port.node.id, context: ctx.node.id },
    to: { port: peer.node.id, context: null },
    postedAt: fact.time,
    state: 'queued',
    preview: fact.preview,
    bytes: fact.bytes,
    fingerprint: fact.fingerprint,
    transfer: fact.transfer,
    transferredPorts: [],
    postObserved: true,
  };
  if (fact.site) message.site = fact.site;
  port.node.posted++;
  state.totals.posted++;
  notePosts(port, fact.time, fact.bytes);
  keepMessage(state, message);

  let reason: DropReason | null = fact.outcome === 'sent' ? null : fact.outcome;
  if (reason === null && !binding.live) reason = 'shipped';
  if (reason === null && !port.entangled && !inFlightAtClose(port, fact.time)) reason = 'closed';

  // Serializing with transfer ships the listed ports whatever happens to the message next.
  const shipped = shipTransferList(
    state,
    ctx,
    fact.transfer,
    message.id,
    'port',
    reason === null ? peer.node.context : null,
    fact.time,
  );
  message.transferredPorts = shipped.map((t) => t.port.node.id);

  if (reason !== null) {
    drop(state, message, port, reason);
    for (const t of shipped) if (!t.alreadyReceived) holdLost(state, t.port);
    if (reason === 'closed') postAfterClose(state, port, ctx.node.id, fact.time, fact.site);
    else if (reason === 'shipped') postAfterTransfer(state, port, ctx.node.id, fact.time, fact.site);
    else if (reason === 'doomed') doomedMessage(state, port, ctx.node.id, fact.time, fact.site);
    return;
  }
  enqueue(state, peer, message, fact.time);
  const fate = message.state as MessageState;
  for (const t of shipped) {
    if (t.alreadyReceived) continue;
    if (fate === 'unobserved') holdUnobserved(state, t.port, peer.node.context, fact.time);
    else if (fate === 'dropped') holdLost(state, t.port);
  }
}

/** The peer closed after this message was posted: it was already on its way (it may still be dispatched). */
export function inFlightAtClose(port: PortState, time: number): boolean {
  const peer = port.channelPeer;
  return port.disentangledAt === null && peer.disentangledAt !== null && time <= peer.disentangledAt;
}

export function drop(state: ModelState, message: MessageRecord, sender: PortState, reason: DropReason): void {
  message.state = 'dropped';
  message.dropReason = reason;
  dropCounts(state, sender, reason, 1);
}

export function dropCounts(state: ModelState, sender: PortState, reason: DropReason, n: number): void {
  sender.node.dropped += n;
  sender.node.droppedBy[reason] = (sender.node.droppedBy[reason] ?? 0) + n;
  state.totals.dropped += n;
}

/** A message posted by `target`'s peer reaches `target`'s port message queue. */
function enqueue(state: ModelState, target: PortState, message: MessageRecord, time: number): void {
  if (target.unobservedHolder) {
    message.state = 'unobserved';
    state.totals.unobserved++;
    return;
  }
  const holder = target.binding ? state.contexts.get(target.binding.ctx) : undefined;
  if (holder?.node.destroyed && !state.queueWaiters.has(target)) {
    drop(state, message, target.channelPeer, 'context-destroyed');
    toDestroyedContext(state, target, holder.node.id, holder.node.destroyed.reason, time);
    return;
  }
  target.queue.push(message, time);
  wake(state, target);
}

/** Returns false when the dispatch must wait for its post. */
export function dispatch(state: ModelState, ctx: ContextState, fact: Dispatched, force: boolean): boolean {
  const binding = portFor(state, ctx, fact.port, fact.time);
  const port = binding.port;
  const head = port.queue.shift(fact.time);
  let message: MessageRecord;
  if (head) message = isRun(head) ? recordCounted(state, port, head, fact) : head;
  else if (!force && senderReports(state, port)) return false;
  else message = inferPost(state, port, fact);

  message.state = 'delivered';
  message.dispatchedAt = fact.time;
  message.to = { port: port.node.id, context: ctx.node.id };
  noteDelivery(state, message);
  noteWait(state, port.channelPeer, message);
  port.node.delivered++;
  state.totals.delivered++;
  if (fact.kind === 'messageerror') {
    message.messageerror = true;
    return true;
  }
  // No fingerprint: the receiving runtime saw the post itself, so there is nothing to check.
  const recordedPost = message.postObserved && !message.counted && !message.postEvicted;
  if (recordedPost && fact.fingerprint !== undefined && message.fingerprint !== fact.fingerprint) {
    count(state.stats.unmatched, 'fingerprint-mismatch');
  } else if (recordedPost && head !== undefined) {
    proveByDelivery(state, port, ctx.node.id, message);
    proveByDelivery(state, port.channelPeer, message.from.context, message);
  }
  message.handlers = fact.handlers;
  message.duration = fact.duration;
  if (fact.threw) {
    message.threw = fact.threw;
    handlerThrew(state, port, ctx.node.id, fact.threw.name, fact.threw.message, fact.time);
  }
  if (fact.ports.length !== message.transferredPorts.length && message.postObserved)
    count(state.stats.unmatched, 'transfer-count-mismatch');
  fact.ports.forEach((local, i) => {
    if (lookup(state, ctx.node.id, local)) return;
    const shipped = message.transferredPorts[i] ? state.ports.get(message.transferredPorts[i]) : undefined;
    if (shipped) receivePort(state, ctx, local, shipped, fact.time, null);
    else unobservedOrigin(state, ctx, local, port.channelPeer.node.context, fact.time);
  });
  return true;
}

/** Only the dispatch was seen: the post happened where we cannot see (or its fact never came). */
function inferPost(state: ModelState, port: PortState, fact: Dispatched): MessageRecord {
  const sender = port.channelPeer;
  sender.node.posted++;
  state.totals.posted++;
  count(state.stats.inferred, 'post');
  return recordAtDispatch(state, port, fact, {
    context: sender.node.context,
    postedAt: fact.time,
    postObserved: false,
  });
}

/** A recorded dispatch took a counted message (or one whose record was evicted): it gets a record now, with what the dispatch tells. */
function recordCounted(state: ModelState, port: PortState, run: CountedRun, fact: Dispatched): MessageRecord {
  // The run's time is when its count was reported; the post itself was before its dispatch.
  const postedAt = Math.min(run.postedAt, fact.time);
  if (run.evicted)
    return recordAtDispatch(state, port, fact, { context: run.from, postedAt, postObserved: true, postEvicted: true });
  return recordAtDispatch(state, port, fact, { context: run.from, postedAt, postObserved: true, counted: true });
}

/** A message record made at its dispatch, from what the dispatch tells: no post fact described it. */
function recordAtDispatch(
  state: ModelState,
  port: PortState,
  fact: Dispatched,
  post: { context: string; postedAt: number; postObserved: boolean; counted?: true; postEvicted?: true },
): MessageRecord {
  const message: MessageRecord = {
    id: nextId(state, 'm'),
    from: { port: port.channelPeer.node.id, context: post.context },
    to: { port: port.node.id, context: null },
    postedAt: post.postedAt,
    state: 'queued',
    bytes: 0,
    fingerprint: fact.kind === 'messageerror' ? '' : (fact.fingerprint ?? ''),
    transfer: [],
    transferredPorts: [],
    postObserved: post.postObserved,
  };
  if (post.counted) message.counted = true;
  if (post.postEvicted) message.postEvicted = true;
  if (fact.kind === 'message-dispatched' && fact.preview !== undefined) message.preview = fact.preview;
  keepMessage(state, message);
  return message;
}

/** The context went away: what waited in its ports' queues will never be dispatched. */
export function dropQueuesOf(state: ModelState, ctx: ContextState, reason: string, time: number): void {
  for (const port of ctx.held) {
    const lost = port.queue.drain(time);
    for (const message of lost.records) {
      drop(state, message, port.channelPeer, 'context-destroyed');
      toDestroyedContext(state, port, ctx.node.id, reason, time);
    }
    if (lost.counted > 0) {
      dropCounts(state, port.channelPeer, 'context-destroyed', lost.counted);
      toDestroyedContext(state, port, ctx.node.id, reason, time, lost.counted);
    }
  }
}
