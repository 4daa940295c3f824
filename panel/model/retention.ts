/**
 * Retention of structure. A page can make channels without end (a million short-lived ones is
 * an ordinary pattern for request/response over fresh ports); the model keeps every channel
 * that may still matter and, past `channelCap` channels, evicts the oldest *finished* ones:
 * both ports disentangled, each closed, collected or gone with its context, nothing queued,
 * nothing in transit, nothing waiting on them. Nothing later can change such a channel's spec
 * state, so evicting it loses details (holders, listeners, call sites) but never knowledge
 * needed to read later facts. Evictions are counted, and the totals they carried stay counted.
 *
 * A later fact that names an evicted port's local id (the runtime numbers port objects upward
 * in each context, so an unknown id at or below the highest evicted one is read as such) is
 * counted as `evicted-port` and skipped: it cannot change what the model shows, and creating an
 * orphan channel for it would invent structure.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ContextState, ModelState, PortState } from './state.ts';
import { bindingKey, count } from './state.ts';
import { lookup } from './entangle.ts';
import { workerContext } from './contexts.ts';

function chunk(cap: number): number {
  return Math.max(64, Math.floor(cap / 8));
}

/** The spec port can no longer change: disentangled, and its object closed, collected or gone. */
function finished(state: ModelState, port: PortState): boolean {
  if (port.entangled || port.queue.size > 0 || port.inTransit !== null || port.owed > 0) return false;
  if (state.queueWaiters.has(port) || state.owing.has(port)) return false;
  if (port.node.closed || port.node.collected) return true;
  const binding = port.binding;
  if (binding === null) return true; // lost with a dropped message, or held where we never see
  return state.contexts.get(binding.ctx)?.node.destroyed !== undefined;
}

/** A fact touched `port`: its channel may have finished (checked when eviction runs). */
export function noteTouched(state: ModelState, port: PortState): void {
  if (!port.entangled) state.finishedChannels.add(port.node.channel);
}

/**
 * After a fact from `ctx` that can finish a channel (a close, a collection, a queue drained by
 * dispatches, a context's end): the port it named, or every port of the context that ended.
 */
export function afterFact(state: ModelState, ctx: ContextState, fact: Fact): void {
  switch (fact.kind) {
    case 'context-destroyed':
      for (const port of ctx.held) noteTouched(state, port);
      break;
    case 'worker-terminated': {
      const worker = workerContext(state, ctx.node.id, String(fact.worker));
      const ended = worker ? state.contexts.get(worker) : undefined;
      if (ended) for (const port of ended.held) noteTouched(state, port);
      break;
    }
    case 'port-closed':
    case 'port-collected':
    case 'message-dispatched':
    case 'messageerror':
    case 'messages-counted': {
      const binding = lookup(state, ctx.node.id, fact.port);
      if (binding) noteTouched(state, binding.port);
      break;
    }
  }
  retain(state);
}

/** Evicts the oldest finished channels while more than channelCap channels are kept. */
export function retain(state: ModelState): void {
  const cap = state.settings.channelCap;
  // In chunks, so that a full model does not walk the candidates on every fact.
  if (state.channels.size <= cap + chunk(cap) || state.finishedChannels.size === 0) return;
  for (const id of state.finishedChannels) {
    if (state.channels.size <= cap) break;
    state.finishedChannels.delete(id);
    const channel = state.channels.get(id);
    if (!channel) continue;
    const a = state.ports.get(channel.ports[0]);
    const b = state.ports.get(channel.ports[1]);
    // Not finished yet: a later fact about it notes it again.
    if (!a || !b || !finished(state, a) || !finished(state, b)) continue;
    evictPort(state, a);
    evictPort(state, b);
    state.channels.delete(id);
    state.stats.evictedChannels++;
  }
}

function evictPort(state: ModelState, port: PortState): void {
  for (const holder of port.node.holders) {
    if (holder.localId === 0) continue;
    const key = bindingKey(holder.context, holder.localId);
    if (state.bindings.get(key)?.port !== port) continue;
    state.bindings.delete(key);
    const upTo = state.evictedLocals.get(holder.context) ?? 0;
    if (holder.localId > upTo) state.evictedLocals.set(holder.context, holder.localId);
  }
  if (port.binding) state.contexts.get(port.binding.ctx)?.held.delete(port);
  state.ports.delete(port.node.id);
  state.portNodes.delete(port.node.id);
  state.stats.evictedPorts++;
  state.stats.evictedPortsPosted += port.node.posted;
}

function namesEvicted(state: ModelState, ctx: string, local: number | undefined): boolean {
  if (local === undefined || local === 0) return false;
  const upTo = state.evictedLocals.get(ctx);
  return upTo !== undefined && local <= upTo && !lookup(state, ctx, local);
}

/** Whether a fact names a port object of an evicted channel (then it is counted and skipped). */
export function aboutEvicted(state: ModelState, ctx: ContextState, fact: Fact): boolean {
  if (state.evictedLocals.size === 0) return false;
  const id = ctx.node.id;
  switch (fact.kind) {
    case 'port-posted':
      return namesEvicted(state, id, fact.port) || fact.transfer.some((t) => t.t === 'port' && namesEvicted(state, id, t.port));
    case 'carrier-posted':
      return fact.transfer.some((t) => t.t === 'port' && namesEvicted(state, id, t.port));
    case 'port-received':
      return namesEvicted(state, id, fact.viaPort);
    case 'port-enabled':
    case 'listener-added':
    case 'listener-removed':
    case 'message-dispatched':
    case 'messageerror':
    case 'messages-counted':
    case 'port-shipped':
    case 'port-closed':
    case 'close-event':
    case 'port-collected':
    case 'clone-error':
      return namesEvicted(state, id, fact.port);
    default:
      return false;
  }
}

export function skipEvicted(state: ModelState): void {
  count(state.stats.unmatched, 'evicted-port');
}
