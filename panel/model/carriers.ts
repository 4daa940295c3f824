/**
 * Carrier messages (`window.postMessage`, a worker's or a service worker's `postMessage`) that
 * carry ports: the sending side's message waits, keyed by carrier and fingerprint, until the
 * receiving side claims it (the oldest that can have landed there: FIFO per key). Bounded: the
 * oldest unreceived ones are forgotten first, and counted.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { CarrierRecord } from './types.ts';
import type { CarrierEntry, ContextState, ModelState } from './state.ts';
import { count, nextId } from './state.ts';
import { lookup } from './entangle.ts';
import { carrierSource, carrierTarget, documentsAtPath, expectsFacts, isWorker } from './contexts.ts';
import { keepCarrier } from './eviction.ts';
import { carrierKey } from './carrierKey.ts';
import { holdUnobserved, receivePort, shipTransferList } from './transfers.ts';
import { observedServiceWorkers } from './serviceWorkerPorts.ts';

const UNRECEIVED_PER_KEY = 1000;
const UNRECEIVED_TOTAL = 10_000;

export function carrierPosted(
  state: ModelState,
  ctx: ContextState,
  fact: Extract<Fact, { kind: 'carrier-posted' }>,
): void {
  const workers =
    fact.carrier === 'serviceworker' && !isWorker(ctx.node.kind) ? observedServiceWorkers(state, ctx.node.origin) : [];
  // Service workers of the origin seen from inside: one of them receives it, and says so.
  const target =
    workers.length === 1
      ? workers[0].node.id
      : workers.length > 1
        ? null
        : carrierTarget(state, fact.carrier, ctx, fact.target, fact.time);
  // A frame nobody announced yet may still announce itself, and a frame that has shown several
  // documents may be named after a later one: then the receiver at that frame path claims it.
  const unsure =
    target !== null &&
    (state.contexts.get(target)?.standIn === true ||
      (fact.carrier === 'window' && documentsAtPath(state, fact.target) > 1));
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
    key: carrierKey(fact.carrier, fact.fingerprint),
    from: ctx.node.id,
    to,
    toPath: fact.carrier === 'window' && fact.target ? fact.target : null,
    ports,
    bound: shipped.length - ports.filter((p) => p !== null).length,
    claimedBy: null,
    ctx: ctx.node.id,
    carrierId: fact.carrierId,
  };
  const list = state.unreceived.get(entry.key) ?? [];
  if (list.length === 0) state.unreceived.set(entry.key, list);
  list.push(entry);
  state.unreceivedCount++;
  if (list.length > UNRECEIVED_PER_KEY) forget(state, list, 0);
  if (state.unreceivedCount > UNRECEIVED_TOTAL) {
    // Drop the oldest list's oldest entry: bounded, and counted.
    const oldest = state.unreceived.values().next().value;
    if (oldest) forget(state, oldest, 0);
  }
}

function forget(state: ModelState, list: CarrierEntry[], index: number): void {
  const [entry] = list.splice(index, 1);
  state.unreceivedCount--;
  if (list.length === 0) state.unreceived.delete(entry.key);
  if (entry.claimedBy === null) count(state.stats.unmatched, 'carrier-never-received');
}

export function complete(state: ModelState, entry: CarrierEntry): void {
  const list = state.unreceived.get(entry.key);
  const index = list?.indexOf(entry) ?? -1;
  if (list && index >= 0) {
    list.splice(index, 1);
    state.unreceivedCount--;
    if (list.length === 0) state.unreceived.delete(entry.key);
  }
}

/** The oldest carrier message with this key that can have landed in `ctx` (FIFO per key). */
export function claim(
  state: ModelState,
  ctx: ContextState,
  key: string,
  portCount: number,
  source: string | null,
): CarrierEntry | null {
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

export function carrierReceived(
  state: ModelState,
  ctx: ContextState,
  fact: Extract<Fact, { kind: 'carrier-received' }>,
): void {
  const source = carrierSource(state, fact.carrier, ctx, fact.source, fact.time);
  ctx.lastCarrierReceived = { carrier: fact.carrier, fingerprint: fact.fingerprint, source };
  const first = fact.ports.length ? lookup(state, ctx.node.id, fact.ports[0]) : undefined;
  if (first) {
    // Its ports were already matched by port-received facts: just confirm the record's receiver.
    const record = state.carrierById.get(first.port.lastEdge?.via ?? '');
    if (record) record.to = ctx.node.id;
    return;
  }
  const entry = claim(state, ctx, carrierKey(fact.carrier, fact.fingerprint), fact.ports.length, source);
  if (!entry) {
    const record: CarrierRecord = {
      id: nextId(state, 'k'),
      carrier: fact.carrier,
      from: source,
      to: ctx.node.id,
      time: fact.time,
      bytes: 0,
      transferredPorts: [],
    };
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
