/**
 * Channels, ports and the local objects that stand for them. A spec port is one global port
 * for its whole life; each context it visits gives its object a new local id (a Binding).
 */
import type { CallSite } from '../../protocol/facts.ts';
import type { ChannelNode, PortNode } from './types.ts';
import type { Binding, ContextState, ModelState, PortState } from './state.ts';
import { bindingKey, count, nextId } from './state.ts';
import { PortMessageQueue, isRun } from './portMessageQueue.ts';
import { referenceContext } from './contexts.ts';
import { newTraffic } from './channelStats.ts';

/** The context that stands for "somewhere we could not see". */
export const UNOBSERVED_CONTEXT = 'unobserved';

export function newChannel(
  state: ModelState,
  createdIn: string | null,
  holder: string,
  time: number,
  site?: CallSite,
): [PortState, PortState] {
  const id = nextId(state, 'c');
  const a = newPort(state, id, holder, createdIn, time, site);
  const b = newPort(state, id, holder, createdIn, time, site);
  a.channelPeer = b;
  b.channelPeer = a;
  a.entangled = b.entangled = true;
  a.node.entangled = b.node.id;
  b.node.entangled = a.node.id;
  const channel: ChannelNode = { id, ports: [a.node.id, b.node.id], createdAt: time };
  if (createdIn !== null) channel.createdIn = createdIn;
  if (site) channel.site = site;
  state.channels.set(id, channel);
  return [a, b];
}

function newPort(
  state: ModelState,
  channel: string,
  holder: string,
  createdIn: string | null,
  time: number,
  site?: CallSite,
): PortState {
  const queue = new PortMessageQueue(state.settings.queueSeriesCap);
  const node = {
    id: nextId(state, 'p'),
    channel,
    entangled: null,
    context: holder,
    enabled: false,
    shipped: false,
    closed: false,
    collected: false,
    partiallyObserved: false,
    listeners: { message: 0, messageerror: 0, close: 0, onmessage: false },
    posted: 0,
    delivered: 0,
    countedPosted: 0,
    countedDelivered: 0,
    dropped: 0,
    droppedBy: {},
    holders: [],
    createdAt: time,
  } as unknown as PortNode;
  if (site) node.site = site;
  // Computed from the queue, so that dispatching stays O(1) however deep the queue is.
  Object.defineProperties(node, {
    portMessageQueue: { enumerable: true, get: () => queue.recordIds() },
    queueEntries: { enumerable: true, get: () => queue.toArray().map((e) => (isRun(e) ? { ...e } : e.id)) },
    queued: { enumerable: true, get: () => queue.size },
    countedQueued: { enumerable: true, get: () => queue.counted },
    evictedQueued: { enumerable: true, get: () => queue.evicted },
    oldestQueuedAt: { enumerable: true, get: () => queue.oldestPostedAt() },
  });
  const port: PortState = {
    node,
    channelPeer: null as unknown as PortState,
    entangled: false,
    queue,
    owed: 0,
    binding: null,
    unobservedHolder: false,
    disentangledAt: null,
    used: false,
    inTransit: null,
    lastEdge: null,
    createdIn,
    traffic: newTraffic(),
  };
  state.ports.set(node.id, port);
  state.portNodes.set(node.id, node);
  return port;
}

export function lookup(state: ModelState, ctx: string, local: number): Binding | undefined {
  return state.bindings.get(bindingKey(ctx, local));
}

/** The port object `local` now lives in `ctx`. */
export function bind(state: ModelState, ctx: ContextState, local: number, port: PortState, time: number): Binding {
  const binding: Binding = { port, ctx: ctx.node.id, local, live: true };
  state.bindings.set(bindingKey(ctx.node.id, local), binding);
  port.binding = binding;
  port.unobservedHolder = false;
  port.node.context = ctx.node.id;
  port.node.holders.push({ context: ctx.node.id, localId: local, since: time });
  ctx.held.add(port);
  return binding;
}

/** The object left its context (shipped): later facts about it concern a detached object. */
export function detach(state: ModelState, binding: Binding): void {
  binding.live = false;
  if (binding.port.binding === binding) binding.port.binding = null;
  state.contexts.get(binding.ctx)?.held.delete(binding.port);
}

export function disentangle(port: PortState): void {
  const peer = port.channelPeer;
  port.entangled = peer.entangled = false;
  port.node.entangled = peer.node.entangled = null;
}

/** Remembers a port created in `ctx`, bounded: only recent ports matter for leaks and inference. */
export function noteCreated(ctx: ContextState, port: PortState): void {
  ctx.created.push(port);
  if (ctx.created.length > 4096) ctx.created.splice(0, 2048);
}

/**
 * A port whose origin we did not see (unknown local id, or received from a silent sender): a
 * channel whose other end sits in `source` (or an "unobserved" stand-in). Both ends are marked
 * partially observed: nothing about them is guessed silently.
 */
export function unobservedOrigin(
  state: ModelState,
  ctx: ContextState,
  local: number,
  source: string | null,
  time: number,
): PortState {
  const sourceId =
    source ??
    referenceContext(state, UNOBSERVED_CONTEXT, { kind: 'unknown', url: '', origin: '', framePath: '' }, false, time)
      .node.id;
  const [here, there] = newChannel(state, null, sourceId, time);
  here.node.partiallyObserved = there.node.partiallyObserved = true;
  there.unobservedHolder = true;
  there.node.holders.push({ context: sourceId, localId: 0, since: time });
  bind(state, ctx, local, here, time);
  return here;
}

/** A fact names a local port this context never introduced (its introduction was lost). */
export function orphan(state: ModelState, ctx: ContextState, local: number, time: number): Binding {
  count(state.stats.unmatched, 'unknown-port');
  unobservedOrigin(state, ctx, local, null, time);
  return lookup(state, ctx.node.id, local)!;
}

/** The live binding for a fact about `local`, creating an orphan when it is unknown. */
export function portFor(state: ModelState, ctx: ContextState, local: number, time: number): Binding {
  return lookup(state, ctx.node.id, local) ?? orphan(state, ctx, local, time);
}
