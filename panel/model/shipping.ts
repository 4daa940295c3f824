/**
 * Transfer of ports (and other transferables) between contexts. The sender side ships
 * (port-posted transfer list, carrier-posted, port-shipped); the receiver side receives
 * (message-dispatched ports, carrier-received, port-received). A received object is the SAME
 * spec port: it keeps its global id, its queue travels with it, and a new holder is added.
 * When the sender side was not observed, the model infers it and says so (`inferred: true`).
 */
import type { CarrierKind, Fact, TransferItem } from '../../protocol/facts.ts';
import type { CarrierRecord, TransferEdge } from './types.ts';
import type { CarrierEntry, ContextState, ModelState, PortState } from './state.ts';
import { count, nextId } from './state.ts';
import { bind, detach, lookup, orphan, unobservedOrigin } from './entangle.ts';
import { carrierSource, carrierTarget, documentsAtPath, expectsFacts, isWorker } from './contexts.ts';
import { keepCarrier, keepTransfer } from './eviction.ts';
import { senderReports, wake } from './messages.ts';
import { isRun } from './portMessageQueue.ts';

const UNRECEIVED_PER_KEY = 1000;
const UNRECEIVED_TOTAL = 10_000;

export interface ShippedPort {
  port: PortState;
  /** Already received elsewhere by inference before this sender fact arrived (edge upgraded). */
  alreadyReceived: boolean;
}

/** Ships every transferable of a transfer list from `ctx`; returns the ports, in order. */
export function shipTransferList(
  state: ModelState,
  ctx: ContextState,
  items: readonly TransferItem[],
  via: string,
  carrier: CarrierKind,
  to: string | null,
  time: number,
): ShippedPort[] {
  const shipped: ShippedPort[] = [];
  for (const item of items) {
    if (item.t !== 'port') {
      const edge = newEdge(state, item.t, ctx.node.id, to, time, carrier, via, false);
      if (item.t === 'arraybuffer') edge.byteLength = item.byteLength;
      continue;
    }
    const binding = lookup(state, ctx.node.id, item.port) ?? orphan(state, ctx, item.port, time);
    const port = binding.port;
    const inferredEarlier = port.lastEdge?.inferred === true && port.lastEdge.from === ctx.node.id && port.binding?.ctx !== ctx.node.id;
    if (inferredEarlier) {
      // The receiver got here first and we inferred this transfer; now it is observed.
      port.lastEdge!.inferred = false;
      port.lastEdge!.via = via;
      port.lastEdge!.carrier = carrier;
      shipped.push({ port, alreadyReceived: true });
      continue;
    }
    if (binding.live) detach(state, binding);
    port.node.shipped = true;
    port.used = true;
    const edge = newEdge(state, 'port', ctx.node.id, to, time, carrier, via, false);
    edge.port = port.node.id;
    port.inTransit = edge;
    port.lastEdge = edge;
    shipped.push({ port, alreadyReceived: false });
  }
  return shipped;
}

function newEdge(state: ModelState, kind: TransferEdge['kind'], from: string, to: string | null, time: number, carrier: CarrierKind, via: string, inferred: boolean): TransferEdge {
  const edge: TransferEdge = { id: nextId(state, 't'), kind, from, to, time, carrier, via, inferred };
  keepTransfer(state, edge);
  return edge;
}

/** The port went to a context whose facts we never see: what waits in its queue can no longer be followed. */
export function holdUnobserved(state: ModelState, port: PortState, context: string, time: number): void {
  port.binding = null;
  // Listed with the context's ports: a port that comes back out of it may be this one (rule 3).
  state.contexts.get(context)?.held.add(port);
  port.postedWhenHidden = port.node.posted;
  port.unobservedHolder = true;
  port.node.context = context;
  port.node.partiallyObserved = true;
  port.node.holders.push({ context, localId: 0, since: time });
  if (port.inTransit) port.inTransit.to = context;
  port.inTransit = null;
  const lost = port.queue.drain(time);
  for (const message of lost.records) {
    message.state = 'unobserved';
    state.totals.unobserved++;
  }
  state.totals.unobserved += lost.counted;
  wake(state, port.channelPeer);
}

/** Shipped in a message that was dropped: the port is gone with it. */
export function holdLost(state: ModelState, port: PortState): void {
  port.binding = null;
  port.unobservedHolder = true;
  if (port.inTransit) port.inTransit.to = null;
  port.inTransit = null;
  wake(state, port.channelPeer);
}

/**
 * `port` arrives in `ctx` as the new object `local`. `inferredFrom` is set when no sender fact
 * says so (the transfer is inferred from the source context).
 */
export function receivePort(state: ModelState, ctx: ContextState, local: number, port: PortState, time: number, inferredFrom: string | null, carrier: CarrierKind = 'window'): void {
  if (port.binding && port.binding.ctx !== ctx.node.id) {
    if (inferredFrom === null) count(state.stats.unmatched, 'received-port-still-held');
    detach(state, port.binding);
  }
  if (port.unobservedHolder) state.contexts.get(port.node.context)?.held.delete(port);
  bind(state, ctx, local, port, time);
  // A new object: nothing has been done with it here yet (it may be forwarded untouched).
  port.used = false;
  const node = port.node;
  node.shipped = true;
  // The new object starts with its queue disabled and no listeners.
  node.enabled = false;
  delete node.enabledHow;
  node.listeners = { message: 0, messageerror: 0, close: 0, onmessage: false };
  if (port.inTransit) {
    port.inTransit.to = ctx.node.id;
    port.inTransit = null;
  } else if (inferredFrom !== null) {
    const edge = newEdge(state, 'port', inferredFrom, ctx.node.id, time, carrier, '', true);
    edge.port = node.id;
    port.lastEdge = edge;
    node.partiallyObserved = true;
    count(state.stats.inferred, 'transfer');
  }
}

export function portShipped(state: ModelState, ctx: ContextState, fact: Extract<Fact, { kind: 'port-shipped' }>): void {
  const binding = lookup(state, ctx.node.id, fact.port) ?? orphan(state, ctx, fact.port, fact.time);
  const port = binding.port;
  if (port.lastEdge?.inferred && port.lastEdge.from === ctx.node.id && port.binding?.ctx !== ctx.node.id) return;
  port.node.shipped = true;
  port.used = true;
  if (binding.live) detach(state, binding);
}

export function carrierPosted(state: ModelState, ctx: ContextState, fact: Extract<Fact, { kind: 'carrier-posted' }>): void {
  const workers = fact.carrier === 'serviceworker' && !isWorker(ctx.node.kind) ? observedServiceWorkers(state, ctx.node.origin) : [];
  // Service workers of the origin seen from inside: one of them receives it, and says so.
  const target = workers.length === 1 ? workers[0].node.id : workers.length > 1 ? null : carrierTarget(state, fact.carrier, ctx, fact.target, fact.time);
  // A frame nobody announced yet may still announce itself, and a frame that has shown several
  // documents may be named after a later one: then the receiver at that frame path claims it.
  const unsure = target !== null && (state.contexts.get(target)!.standIn || (fact.carrier === 'window' && documentsAtPath(state, fact.target) > 1));
  const to = unsure ? null : target;
  const record: CarrierRecord = {
    id: nextId(state, 'k'),
    carrier: fact.carrier,
    from: ctx.node.id,
    to: target,
    time: fact.time,
    preview: fact.preview,
    bytes: fact.bytes,
    transferredPorts: [],
  };
  if (fact.targetOrigin !== undefined) record.targetOrigin = fact.targetOrigin;
  keepCarrier(state, record);
  const shipped = shipTransferList(state, ctx, fact.transfer, record.id, fact.carrier, to, fact.time);
  record.transferredPorts = shipped.map((s) => s.port.node.id);
  if (to !== null && !expectsFacts(state, to)) {
    for (const s of shipped) {
      if (s.alreadyReceived) continue;
      holdUnobserved(state, s.port, to, fact.time);
      if (fact.carrier === 'serviceworker') s.port.toServiceWorker = fact.fingerprint;
    }
    return;
  }
  const ports = shipped.map((s) => (s.alreadyReceived ? null : s.port));
  if (shipped.length > 0 && ports.every((p) => p === null)) return;
  const entry: CarrierEntry = {
    record,
    key: `${fact.carrier}|${fact.fingerprint}`,
    from: ctx.node.id,
    to,
    toPath: fact.carrier === 'window' && fact.target ? fact.target : null,
    ports,
    bound: shipped.length - ports.filter((p) => p !== null).length,
    claimedBy: null,
    ctx: ctx.node.id,
    carrierId: fact.carrierId,
  };
  let list = state.unreceived.get(entry.key);
  if (!list) state.unreceived.set(entry.key, (list = []));
  list.push(entry);
  state.unreceivedCount++;
  if (list.length > UNRECEIVED_PER_KEY) forget(state, list, 0);
  if (state.unreceivedCount > UNRECEIVED_TOTAL) {
    // Drop the oldest list's oldest entry: bounded, and counted.
    const oldest = state.unreceived.values().next().value!;
    forget(state, oldest, 0);
  }
}

function forget(state: ModelState, list: CarrierEntry[], index: number): void {
  const [entry] = list.splice(index, 1);
  state.unreceivedCount--;
  if (list.length === 0) state.unreceived.delete(entry.key);
  if (entry.claimedBy === null) count(state.stats.unmatched, 'carrier-never-received');
}

function complete(state: ModelState, entry: CarrierEntry): void {
  const list = state.unreceived.get(entry.key);
  const index = list?.indexOf(entry) ?? -1;
  if (list && index >= 0) {
    list.splice(index, 1);
    state.unreceivedCount--;
    if (list.length === 0) state.unreceived.delete(entry.key);
  }
}

/** The oldest carrier message with this key that can have landed in `ctx` (FIFO per key). */
function claim(state: ModelState, ctx: ContextState, key: string, portCount: number, source: string | null): CarrierEntry | null {
  const list = state.unreceived.get(key);
  if (!list) return null;
  for (const entry of list) if (entry.claimedBy === ctx.node.id && entry.ports.length === portCount) return entry;
  for (const entry of list) {
    if (entry.claimedBy !== null || entry.ports.length !== portCount) continue;
    if (entry.to !== null && entry.to !== ctx.node.id) continue;
    if (entry.toPath !== null && ctx.node.framePath && entry.toPath !== ctx.node.framePath) continue;
    if (source !== null && entry.from !== source) continue;
    entry.claimedBy = ctx.node.id;
    return entry;
  }
  return null;
}

export function carrierReceived(state: ModelState, ctx: ContextState, fact: Extract<Fact, { kind: 'carrier-received' }>): void {
  const source = carrierSource(state, fact.carrier, ctx, fact.source, fact.time);
  ctx.lastCarrierReceived = { carrier: fact.carrier, fingerprint: fact.fingerprint, source };
  const first = fact.ports.length ? lookup(state, ctx.node.id, fact.ports[0]) : undefined;
  if (first) {
    // Its ports were already matched by port-received facts: just confirm the record's receiver.
    const record = state.carrierById.get(first.port.lastEdge?.via ?? '');
    if (record) record.to = ctx.node.id;
    return;
  }
  const entry = claim(state, ctx, `${fact.carrier}|${fact.fingerprint}`, fact.ports.length, source);
  if (!entry) {
    const record: CarrierRecord = { id: nextId(state, 'k'), carrier: fact.carrier, from: source, to: ctx.node.id, time: fact.time, bytes: 0, transferredPorts: [] };
    keepCarrier(state, record);
    return;
  }
  entry.record.to = ctx.node.id;
  fact.ports.forEach((local, i) => {
    const port = entry.ports[i];
    if (port && !lookup(state, ctx.node.id, local)) receivePort(state, ctx, local, port, fact.time, null);
  });
  complete(state, entry);
}

type Received = Extract<Fact, { kind: 'port-received' }>;

/** Returns false when the receipt must wait for the sender's facts. */
export function portReceived(state: ModelState, ctx: ContextState, fact: Received, force: boolean, lookahead: () => Iterable<Fact>): boolean {
  if (lookup(state, ctx.node.id, fact.port)) return true; // matched through its dispatch or carrier-received
  if (fact.carrier === 'port') return receivedOnPort(state, ctx, fact, force);

  const source = sourceOf(state, ctx, fact, lookahead);
  const entry = claim(state, ctx, `${fact.carrier}|${fact.fingerprint}`, fact.count, source);
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
  const fromClient = fact.carrier === 'serviceworker' && ctx.node.kind === 'serviceworker' ? shippedToServiceWorkers(state, ctx, fact) : null;
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
  if (awaited) {
    receivePort(state, ctx, fact.port, awaited, fact.time, sourceCtx!.node.id, fact.carrier);
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
      if (ambiguous) {
        candidate.lastEdge!.ambiguous = true;
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
  const edge = newEdge(state, 'port', source ?? port.channelPeer.node.context, ctx.node.id, fact.time, fact.carrier, '', true);
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
    const port = message.transferredPorts[fact.index] ? state.ports.get(message.transferredPorts[fact.index]) : undefined;
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
function sourceOf(state: ModelState, ctx: ContextState, fact: Received, lookahead: () => Iterable<Fact>): string | null {
  if (fact.carrier === 'window' && fact.sourcePath) return carrierSource(state, 'window', ctx, fact.sourcePath, fact.time);
  if (fact.carrier === 'worker' && isWorker(ctx.node.kind)) return ctx.node.parent ?? null;
  // The runtime reports the carrier-received fact just after the port-received ones: look there
  // first; an earlier carrier message with the same fingerprint is another message.
  for (const next of lookahead()) {
    if (next.kind === 'carrier-received' && next.carrier === fact.carrier && next.fingerprint === fact.fingerprint) return carrierSource(state, next.carrier, ctx, next.source, next.time);
  }
  const last = ctx.lastCarrierReceived;
  if (last && last.carrier === fact.carrier && last.fingerprint === fact.fingerprint) return last.source;
  return null;
}

/**
 * Rule 2 (docs/model-inference.md): the source context waits for a message to one of its ports
 * whose peer it still holds, untouched by any fact of its own. Its facts come in order, so that
 * peer did not post there: it left without a fact (penpal ships it with the options form of
 * `window.postMessage`, which the runtime does not trace). The port arriving from that context
 * is that peer; no clock is compared (frames' clocks drift apart by tens of milliseconds).
 */
function awaitedSender(source: ContextState): PortState | null {
  const wait = source.waiting;
  if (wait?.on !== 'queue') return null;
  const sender = wait.port.channelPeer;
  const node = sender.node;
  if (node.closed || node.collected || node.shipped || sender.inTransit) return null;
  return sender.binding?.live === true && sender.binding.ctx === source.node.id ? sender : null;
}

/**
 * The inference rule for a silent sender: the most recent port created in the source context,
 * still held there, never shipped, closed nor used.
 */
function latestUnusedPort(source: ContextState, time: number): PortState | null {
  const created = source.created;
  for (let i = created.length - 1, seen = 0; i >= 0 && seen < 256; i--, seen++) {
    const port = created[i];
    const node = port.node;
    if (node.createdAt > time || node.shipped || node.closed || node.collected || port.used) continue;
    if (!port.binding?.live || port.binding.ctx !== source.node.id) continue;
    return port;
  }
  return null;
}

/** How many ports of the source context fit rule 1 or 5 now (counting stops at 2: more than one is enough). */
function candidates(source: ContextState, time: number): number {
  let n = 0;
  let seen = 0;
  for (const port of source.held) {
    // Bounded like the rules themselves; a context holding more ports is taken as ambiguous.
    if (++seen > 4096) return 2;
    const node = port.node;
    if (node.closed || node.collected || port.inTransit || port.used) continue;
    if (port.binding?.live !== true || port.binding.ctx !== source.node.id) continue;
    if ((node.holders.at(-1)?.since ?? node.createdAt) > time) continue;
    if (++n > 1) return n;
  }
  return n;
}

/**
 * The inference rule's second chance: a port that arrived in the source context (or went into
 * it, when the source is not observed) and was not touched there since — a forwarded port.
 * The most recent arrival wins.
 *
 * Out of an unobserved context this is a guess (docs/model-inference.md, rule 3): the context
 * may have made a new channel instead (comlink's `createEndpoint` and proxies do). A port that
 * was used in there (its peer dispatched messages from it) is not forwarded untouched, so it is
 * not a candidate; an untouched one is taken, and the transfer is marked ambiguous.
 */
function latestIdleArrival(source: ContextState, time: number): PortState | null {
  const held = [...source.held];
  for (let i = held.length - 1, seen = 0; i >= 0 && seen < 256; i--, seen++) {
    const port = held[i];
    const node = port.node;
    if (node.closed || node.collected || port.inTransit) continue;
    const here = port.binding?.live === true && port.binding.ctx === source.node.id && !port.used;
    const inside = port.binding === null && port.unobservedHolder && node.context === source.node.id && node.posted === port.postedWhenHidden;
    if (!here && !inside) continue;
    const since = node.holders.at(-1)?.since ?? node.createdAt;
    if (since > time) continue;
    return port;
  }
  return null;
}

/** Service worker contexts of `origin` the runtime runs in (the recorder instruments them from inside), not ended. */
function observedServiceWorkers(state: ModelState, origin: string): ContextState[] {
  if (!origin) return [];
  const found: ContextState[] = [];
  for (const context of state.contexts.values()) {
    const node = context.node;
    if (node.kind === 'serviceworker' && node.observed && node.origin === origin && !node.destroyed) found.push(context);
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
function shippedToServiceWorkers(state: ModelState, ctx: ContextState, fact: Received): PortState | null {
  const standIn = state.contexts.get(`serviceworker:${ctx.node.origin}`);
  if (!standIn) return null;
  for (const port of standIn.held) {
    if (port.toServiceWorker !== fact.fingerprint || port.binding !== null || !port.unobservedHolder) continue;
    if (port.node.posted !== port.postedWhenHidden || port.node.closed || port.node.collected) continue;
    return port;
  }
  return null;
}

/**
 * The stand-in for an origin's service workers, once everything shipped to it was received by a
 * worker seen from inside, held nothing: it was never a context of its own (no phantom).
 */
function forgetEmptyStandIn(state: ModelState, id: string): void {
  const standIn = state.contexts.get(id);
  if (!standIn || standIn.held.size > 0) return;
  if (state.transfers.some((t) => t.from === id || t.to === id) || state.carriers.some((c) => c.from === id || c.to === id)) return;
  for (const port of state.ports.values()) if (port.node.context === id) return;
  state.contexts.delete(id);
  state.contextNodes.delete(id);
}
