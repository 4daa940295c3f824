/**
 * A port arrives (`port-received`): in a message dispatched on a port (the head of that port's
 * queue carried it), in a carrier message (claimed by carrier and fingerprint, carriers.ts), or
 * from a sender whose facts say nothing of it, where the rules of inference.ts name it, or a
 * new channel with an unobserved other end stands for it. A receipt waits while the sender's
 * facts may still come.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ContextState, ModelState } from './state.ts';
import { count } from './state.ts';
import { lookup, unobservedOrigin } from './entangle.ts';
import { carrierSource, isWorker } from './contexts.ts';
import { isRun } from './portMessageQueue.ts';
import { carrierKey } from './carrierKey.ts';
import { claim, complete } from './carriers.ts';
import { awaitedSender, candidates, latestIdleArrival, latestUnusedPort } from './inference.ts';
import { forgetEmptyStandIn, shippedToServiceWorkers } from './serviceWorkerPorts.ts';
import { newEdge, receivePort } from './transfers.ts';
import { senderReports } from './queueWaiters.ts';

export type Received = Extract<Fact, { kind: 'port-received' }>;

/** Returns false when the receipt must wait for the sender's facts. */
export function portReceived(
  state: ModelState,
  ctx: ContextState,
  fact: Received,
  force: boolean,
  lookahead: () => Iterable<Fact>,
): boolean {
  if (lookup(state, ctx.node.id, fact.port)) return true; // matched through its dispatch or carrier-received
  if (fact.carrier === 'port') return receivedOnPort(state, ctx, fact, force);

  const source = sourceOf(state, ctx, fact, lookahead);
  const entry = claim(state, ctx, carrierKey(fact.carrier, fact.fingerprint), fact.count, source);
  if (entry) {
    const port = entry.ports[fact.index];
    if (port) {
      receivePort(state, ctx, fact.port, port, fact.time, null);
      entry.record.to = ctx.node.id;
      if (++entry.bound >= entry.ports.length) complete(state, entry);
    } else {
      count(state.stats.unmatched, 'transfer-index');
      unobservedOrigin(state, ctx, fact.port, entry.from, fact.time);
    }
    return true;
  }
  const fromClient =
    fact.carrier === 'serviceworker' && ctx.node.kind === 'serviceworker'
      ? shippedToServiceWorkers(state, ctx, fact.fingerprint)
      : null;
  if (fromClient) {
    fromClient.node.holders.pop(); // the stand-in never held it: this worker does
    receivePort(state, ctx, fact.port, fromClient, fact.time, null);
    fromClient.unobservedHolder = false;
    delete fromClient.toServiceWorker;
    if (fromClient.lastEdge) {
      fromClient.lastEdge.to = ctx.node.id;
      const record = state.carrierById.get(fromClient.lastEdge.via);
      if (record) record.to = ctx.node.id;
    }
    forgetEmptyStandIn(state, `serviceworker:${ctx.node.origin}`);
    return true;
  }
  const sourceCtx = source === null ? undefined : state.contexts.get(source);
  const awaited = sourceCtx === undefined ? null : awaitedSender(sourceCtx);
  if (awaited && sourceCtx) {
    receivePort(state, ctx, fact.port, awaited, fact.time, sourceCtx.node.id, fact.carrier);
    return true;
  }
  const silent = sourceCtx !== undefined && !sourceCtx.expectFacts && !sourceCtx.standIn;
  // Infer only once the source has reported past this moment (or never reports): its silence is then real.
  if (sourceCtx && (force || silent || sourceCtx.clock >= fact.time)) {
    const candidate = latestUnusedPort(sourceCtx, fact.time) ?? latestIdleArrival(sourceCtx, fact.time);
    if (candidate) {
      // Out of an unobserved context, "it came back" is never the only reading (rule 3).
      const ambiguous = candidate.unobservedHolder || candidates(sourceCtx, fact.time) > 1;
      receivePort(state, ctx, fact.port, candidate, fact.time, sourceCtx.node.id, fact.carrier);
      if (ambiguous && candidate.lastEdge) {
        candidate.lastEdge.ambiguous = true;
        count(state.stats.inferred, 'ambiguous-transfer');
      }
      return true;
    }
    if (force || silent) {
      inferOrigin(state, ctx, fact, sourceCtx.node.id);
      return true;
    }
  }
  if (force) {
    inferOrigin(state, ctx, fact, source);
    return true;
  }
  return false;
}

function inferOrigin(state: ModelState, ctx: ContextState, fact: Received, source: string | null): void {
  const port = unobservedOrigin(state, ctx, fact.port, source, fact.time);
  port.node.shipped = true;
  const edge = newEdge(
    state,
    'port',
    source ?? port.channelPeer.node.context,
    ctx.node.id,
    fact.time,
    fact.carrier,
    '',
    true,
  );
  edge.port = port.node.id;
  port.lastEdge = edge;
  count(state.stats.inferred, 'origin');
}

function receivedOnPort(state: ModelState, ctx: ContextState, fact: Received, force: boolean): boolean {
  const via = fact.viaPort === undefined ? undefined : lookup(state, ctx.node.id, fact.viaPort);
  if (!via) {
    count(state.stats.unmatched, 'unknown-via-port');
    inferOrigin(state, ctx, fact, null);
    return true;
  }
  // The carrying message is the next one this port dispatches: the head of its queue.
  const message = via.port.queue.peek();
  if (message && isRun(message)) {
    // Counted messages carry no ports: the carrying message is not where the queue says.
    count(state.stats.unmatched, 'transfer-index');
    inferOrigin(state, ctx, fact, via.port.channelPeer.node.context);
    return true;
  }
  if (message) {
    if (message.fingerprint !== fact.fingerprint) count(state.stats.unmatched, 'fingerprint-mismatch');
    const port = message.transferredPorts[fact.index]
      ? state.ports.get(message.transferredPorts[fact.index])
      : undefined;
    if (port) receivePort(state, ctx, fact.port, port, fact.time, null);
    else {
      count(state.stats.unmatched, 'transfer-index');
      inferOrigin(state, ctx, fact, via.port.channelPeer.node.context);
    }
    return true;
  }
  if (!force && senderReports(state, via.port)) return false;
  inferOrigin(state, ctx, fact, via.port.channelPeer.node.context);
  return true;
}

/** Where a port received in `ctx` came from, when the receiving side can tell. */
function sourceOf(
  state: ModelState,
  ctx: ContextState,
  fact: Received,
  lookahead: () => Iterable<Fact>,
): string | null {
  if (fact.carrier === 'window' && fact.sourcePath)
    return carrierSource(state, 'window', ctx, fact.sourcePath, fact.time);
  if (fact.carrier === 'worker' && isWorker(ctx.node.kind)) return ctx.node.parent ?? null;
  // The runtime reports the carrier-received fact just after the port-received ones: look there
  // first; an earlier carrier message with the same fingerprint is another message.
  for (const next of lookahead()) {
    if (next.kind === 'carrier-received' && next.carrier === fact.carrier && next.fingerprint === fact.fingerprint)
      return carrierSource(state, next.carrier, ctx, next.source, next.time);
  }
  const last = ctx.lastCarrierReceived;
  if (last && last.carrier === fact.carrier && last.fingerprint === fact.fingerprint) return last.source;
  return null;
}
