/**
 * A port's life in one context: created (entangled), enabled, listeners, closed (disentangles
 * both ends), collected; and the context's own end. Facts about an object that was shipped
 * away concern a detached object and change nothing about the spec port.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ContextState, ModelState } from './state.ts';
import { bind, disentangle, lookup, newChannel, noteCreated, portFor } from './entangle.ts';
import { cloneError } from './diagnostics.ts';
import { libraryOf } from './libraries.ts';
import { dropQueuesOf } from './messages.ts';
import { announce, isPlaceholderUrl, referenceContext } from './contexts.ts';
import { UNOBSERVED_CONTEXT } from './entangle.ts';
import { awaitConnect, seenFromInside, takeConnect } from './shared-worker-ends.ts';

type F<K extends Fact['kind']> = Extract<Fact, { kind: K }>;

export function channelCreated(state: ModelState, ctx: ContextState, fact: F<'channel-created'>): void {
  const [a, b] = newChannel(state, ctx.node.id, ctx.node.id, fact.time, fact.site);
  const library = libraryOf(fact.site);
  if (library !== undefined) state.channels.get(a.node.channel)!.library = library;
  bind(state, ctx, fact.port1, a, fact.time);
  bind(state, ctx, fact.port2, b, fact.time);
  noteCreated(ctx, a);
  noteCreated(ctx, b);
}

/** A port this context did not create (SharedWorker.port, or one first seen when used): its other end is not observed. */
export function portSeen(state: ModelState, ctx: ContextState, fact: F<'port-seen'>): void {
  if (lookup(state, ctx.node.id, fact.port)) return;
  if (fact.how === 'sharedworker' && ctx.node.kind === 'sharedworker' && takeConnect(state, ctx, fact.port, fact.time))
    return;
  const otherEnd =
    (fact.how === 'sharedworker' ? ctx.lastSharedWorker : null) ??
    referenceContext(
      state,
      UNOBSERVED_CONTEXT,
      { kind: 'unknown', url: '', origin: '', framePath: '' },
      false,
      fact.time,
    ).node.id;
  if (fact.how === 'sharedworker') ctx.lastSharedWorker = null;
  const [here, there] = newChannel(state, null, otherEnd, fact.time);
  bind(state, ctx, fact.port, here, fact.time);
  if (fact.how === 'sharedworker' && seenFromInside(state, otherEnd)) {
    awaitConnect(state, otherEnd, there, fact.time);
    return;
  }
  here.node.partiallyObserved = there.node.partiallyObserved = true;
  if (fact.how === 'late') {
    // Used before it was seen: it was received here by a path the runtime missed, its past unknown.
    here.node.seenLate = true;
    here.node.shipped = true;
  }
  there.node.holders.push({ context: otherEnd, localId: 0, since: fact.time });
  // Not seen from inside (or not a shared worker): nothing will tie the other end to this port.
  there.unobservedHolder = true;
}

export function portEnabled(state: ModelState, ctx: ContextState, fact: F<'port-enabled'>): void {
  const binding = portFor(state, ctx, fact.port, fact.time);
  if (!binding.live) return;
  const node = binding.port.node;
  binding.port.used = true;
  if (!node.enabled) {
    node.enabled = true; // once enabled, never disabled again
    node.enabledHow = fact.how;
  }
}

export function listener(
  state: ModelState,
  ctx: ContextState,
  fact: Extract<Fact, { kind: 'listener-added' | 'listener-removed' }>,
): void {
  const binding = portFor(state, ctx, fact.port, fact.time);
  if (!binding.live) return;
  const listeners = binding.port.node.listeners;
  const added = fact.kind === 'listener-added';
  if (added) binding.port.used = true;
  if (fact.type === 'message' && fact.via === 'onmessage') listeners.onmessage = added;
  else listeners[fact.type] = Math.max(0, listeners[fact.type] + (added ? 1 : -1));
}

export function portClosed(state: ModelState, ctx: ContextState, fact: F<'port-closed'>): void {
  const binding = portFor(state, ctx, fact.port, fact.time);
  if (!binding.live) return;
  const port = binding.port;
  port.node.closed = true;
  if (port.entangled) {
    port.disentangledAt = fact.time;
    disentangle(port);
  }
}

export function portCollected(state: ModelState, ctx: ContextState, fact: F<'port-collected'>): void {
  const binding = lookup(state, ctx.node.id, fact.port);
  // The old object of a shipped port being collected is normal and says nothing about the port.
  if (!binding?.live) return;
  const port = binding.port;
  port.node.collected = true;
  if (port.entangled) {
    port.disentangledAt = fact.time;
    disentangle(port);
  }
}

export function contextDestroyed(state: ModelState, ctx: ContextState, reason: string, time: number): void {
  if (ctx.node.destroyed) return;
  if (reason === 'unload' && initialDocumentUnload(ctx, time)) {
    // Not proof that the Window ended: wait for its real document, or for another Window in its frame.
    if (ctx.placeholderReplacedAt === undefined) ctx.placeholderUnload = { time, reason };
    return;
  }
  end(state, ctx, reason, time);
}

function end(state: ModelState, ctx: ContextState, reason: string, time: number): void {
  ctx.node.destroyed = { time, reason };
  dropQueuesOf(state, ctx, reason, time);
}

/** The unload of a frame's initial placeholder document (docs/model-inference.md, rule 4). */
function initialDocumentUnload(ctx: ContextState, time: number): boolean {
  if (ctx.placeholderReplacedAt !== undefined) return time <= ctx.placeholderReplacedAt;
  return ctx.node.kind === 'iframe' && isPlaceholderUrl(ctx.node.url);
}

/**
 * A `context` fact. When another context announces the frame path of a placeholder whose unload
 * was held back, the frame holds a new Window: the placeholder's Window did end, at its unload.
 */
export function contextAnnounced(state: ModelState, fact: F<'context'>): ContextState {
  const previous = fact.framePath ? state.byFramePath.get(fact.framePath) : undefined;
  announce(state, fact);
  const old = previous === undefined || previous === fact.ctx ? undefined : state.contexts.get(previous);
  if (old?.placeholderUnload) {
    const { time, reason } = old.placeholderUnload;
    old.placeholderUnload = null;
    end(state, old, reason, time);
  }
  return state.contexts.get(fact.ctx)!;
}

export function cloneFailed(state: ModelState, ctx: ContextState, fact: F<'clone-error'>): void {
  const port = fact.port ? portFor(state, ctx, fact.port, fact.time).port : null;
  if (port) port.used = true;
  cloneError(state, port, ctx.node.id, fact.carrier, fact.name, fact.message, fact.time, fact.site);
}
