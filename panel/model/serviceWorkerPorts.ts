/**
 * Ports a document sends to its service worker (docs/model-inference.md, rule 8): which worker
 * of the origin seen from inside receives them, and the origin's stand-in context that holds
 * them until one says it does.
 */
import type { ContextState, ModelState, PortState } from './state.ts';

/** Service worker contexts of `origin` the runtime runs in (the recorder instruments them from inside), not ended. */
export function observedServiceWorkers(state: ModelState, origin: string): ContextState[] {
  if (!origin) return [];
  const found: ContextState[] = [];
  for (const context of state.contexts.values()) {
    const node = context.node;
    if (node.kind === 'serviceworker' && node.observed && node.origin === origin && !node.destroyed)
      found.push(context);
  }
  return found;
}

/**
 * A document posted to its service worker before that worker announced itself, so the port went
 * to the origin's stand-in (contexts.ts). When a service worker of that origin, seen from inside,
 * receives a port from a client in a message with the same fingerprint, it is the oldest such
 * port still untouched there (a port is delivered once, in order); it moves from the stand-in to
 * the worker that says it has it.
 */
export function shippedToServiceWorkers(state: ModelState, ctx: ContextState, fingerprint: string): PortState | null {
  const standIn = state.contexts.get(`serviceworker:${ctx.node.origin}`);
  if (!standIn) return null;
  for (const port of standIn.held) {
    if (port.toServiceWorker !== fingerprint || port.binding !== null || !port.unobservedHolder) continue;
    if (port.node.posted !== port.postedWhenHidden || port.node.closed || port.node.collected) continue;
    return port;
  }
  return null;
}

/**
 * The stand-in for an origin's service workers, once everything shipped to it was received by a
 * worker seen from inside, held nothing: it was never a context of its own (no phantom).
 */
export function forgetEmptyStandIn(state: ModelState, id: string): void {
  const standIn = state.contexts.get(id);
  if (!standIn || standIn.held.size > 0) return;
  if (
    state.transfers.some((t) => t.from === id || t.to === id) ||
    state.carriers.some((c) => c.from === id || c.to === id)
  )
    return;
  for (const port of state.ports.values()) if (port.node.context === id) return;
  state.contexts.delete(id);
  state.contextNodes.delete(id);
}
