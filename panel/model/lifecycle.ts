/**
 * A port's life in one context: created (entangled), enabled, listeners, closed (disentangles
 * both ends), collected; and the context's own end. Facts about an object that was shipped
 * away concern a detached object and change nothing about the spec port.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ContextState, ModelState } from './state.ts';
import { bind, disentangle, lookup, newChannel, noteCreated, portFor } from './entangle.ts';
import { cloneError } from './diagnostics.ts';
import { dropQueuesOf } from './messages.ts';
import { referenceContext } from './contexts.ts';
import { UNOBSERVED_CONTEXT } from './entangle.ts';
import { awaitConnect, seenFromInside, takeConnect } from './shared-worker-ends.ts';

type F<K extends Fact['kind']> = Extract<Fact, { kind: K }>;

export function channelCreated(state: ModelState, ctx: ContextState, fact: F<'channel-created'>): void {
  const [a, b] = newChannel(state, ctx.node.id, ctx.node.id, fact.time, fact.site);
  bind(state, ctx, fact.port1, a, fact.time);
  bind(state, ctx, fact.port2, b, fact.time);
  noteCreated(ctx, a);
  noteCreated(ctx, b);
}

/** A port this context did not create (SharedWorker.port): its other end is not observed. */
export function portSeen(state: ModelState, ctx: ContextState, fact: F<'port-seen'>): void {
  if (lookup(state, ctx.node.id, fact.port)) return;
  if (fact.how === 'sharedworker' && ctx.node.kind === 'sharedworker' && takeConnect(state, ctx, fact.port, fact.time)) return;
  const otherEnd =
    (fact.how === 'sharedworker' ? ctx.lastSharedWorker : null) ??
    referenceContext(state, UNOBSERVED_CONTEXT, { kind: 'unknown', url: '', origin: '', framePath: '' }, false, fact.time).node.id;
  if (fact.how === 'sharedworker') ctx.lastSharedWorker = null;
  const [here, there] = newChannel(state, null, otherEnd, fact.time);
  bind(state, ctx, fact.port, here, fact.time);
  if (fact.how === 'sharedworker' && seenFromInside(state, otherEnd)) {
    awaitConnect(state, otherEnd, there, fact.time);
    return;
  }
  here.node.partiallyObserved = there.node.partiallyObserved = true;
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

export function listener(state: ModelState, ctx: ContextState, fact: Extract<Fact, { kind: 'listener-added' | 'listener-removed' }>): void {
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
  ctx.node.destroyed = { time, reason };
  dropQueuesOf(state, ctx, reason, time);
}

export function cloneFailed(state: ModelState, ctx: ContextState, fact: F<'clone-error'>): void {
  const port = fact.port ? portFor(state, ctx, fact.port, fact.time).port : null;
  if (port) port.used = true;
  cloneError(state, port, ctx.node.id, fact.carrier, fact.name, fact.message, fact.time, fact.site);
}
