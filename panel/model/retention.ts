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
  retainContexts(state);
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
      return (
        namesEvicted(state, id, fact.port) ||
        fact.transfer.some((t) => t.t === 'port' && namesEvicted(state, id, t.port))
      );
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

/**
 * Contexts, like channels, come without end (an iframe or a worker per task), and each keeps a
 * node, a backlog and maps. Past channelCap contexts, a destroyed context is evicted once nothing
 * kept refers to it: no kept port was or is held there, no kept channel was made there, no kept
 * context has it as parent, no carrier message waits on it, and it neither waits nor holds facts
 * back. Facts can no longer come from it (it ended), so eviction loses its details, never
 * knowledge needed to read later facts; a late one (a replay, a forged id) is counted as
 * `evicted-context` and skipped instead of drawing the context again. Evictions are counted.
 */
export function retainContexts(state: ModelState): void {
  const cap = state.settings.channelCap;
  const size = state.contexts.size;
  // Each pass walks everything kept, so it runs only after the contexts grew by a chunk since the last.
  if (size <= cap + chunk(cap) || size < state.contextsScannedAt + chunk(cap)) return;
  const kept = referencedContexts(state);
  const gone = new Set<string>();
  for (const [id, ctx] of state.contexts) {
    if (state.contexts.size <= cap) break;
    if (kept.has(id) || !evictable(state, ctx)) continue;
    state.contexts.delete(id);
    state.contextNodes.delete(id);
    state.evictedLocals.delete(id);
    state.sharedWorkerEnds.delete(id);
    gone.add(id);
    forget(state, id);
    state.stats.evictedContexts++;
  }
  if (gone.size) {
    for (const [path, id] of state.byFramePath) if (gone.has(id)) state.byFramePath.delete(path);
    for (const [key, id] of state.workers)
      if (gone.has(id) || gone.has(key.slice(0, key.lastIndexOf('#')))) state.workers.delete(key);
  }
  state.contextsScannedAt = state.contexts.size;
}

/** Remembers an evicted id (bounded: past 4 × channelCap the oldest is forgotten; a fact from it then counts as `unannounced-context`). */
function forget(state: ModelState, id: string): void {
  state.evictedContexts.add(id);
  if (state.evictedContexts.size > 4 * state.settings.channelCap) {
    for (const oldest of state.evictedContexts) {
      state.evictedContexts.delete(oldest);
      break;
    }
  }
}

function evictable(state: ModelState, ctx: ContextState): boolean {
  return (
    ctx.node.destroyed !== undefined &&
    ctx.held.size === 0 &&
    ctx.backlog.size === 0 &&
    ctx.waiting === null &&
    !state.ready.has(ctx) &&
    !state.senderWaiters.has(ctx)
  );
}

/** Every context id something kept refers to. */
function referencedContexts(state: ModelState): Set<string> {
  const kept = new Set<string>();
  for (const port of state.ports.values()) {
    kept.add(port.node.context);
    for (const holder of port.node.holders) kept.add(holder.context);
    if (port.binding) kept.add(port.binding.ctx);
  }
  for (const channel of state.channels.values()) if (channel.createdIn !== undefined) kept.add(channel.createdIn);
  for (const ctx of state.contexts.values()) if (ctx.node.parent !== undefined) kept.add(ctx.node.parent);
  for (const entries of state.unreceived.values()) {
    for (const entry of entries) {
      kept.add(entry.from);
      kept.add(entry.ctx);
      if (entry.to !== null) kept.add(entry.to);
    }
  }
  return kept;
}

/** Whether a fact comes from an evicted context (then it is counted and skipped). */
export function fromEvictedContext(state: ModelState, ctx: string): boolean {
  return state.evictedContexts.size > 0 && state.evictedContexts.has(ctx);
}

export function skipEvictedContext(state: ModelState): void {
  count(state.stats.unmatched, 'evicted-context');
}
