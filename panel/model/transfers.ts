/**
 * Transfer of ports (and other transferables) between contexts, as transfer edges. The sender
 * side ships (a transfer list, `port-shipped`); the receiver side receives. A received object is
 * the SAME spec port: it keeps its global id, its queue travels with it, and a new holder is
 * added. When the sender side was not observed, the edge is inferred and says so
 * (`inferred: true`). Which carrier message or port brought a port is carriers.ts's and
 * portReceipt.ts's business.
 */
import type { CarrierKind, Fact, TransferItem } from '../../protocol/facts.ts';
import type { MessageRecord, TransferEdge } from './types.ts';
import type { ContextState, ModelState, PortState } from './state.ts';
import { count, nextId } from './state.ts';
import { bind, detach, lookup, orphan } from './entangle.ts';
import { keepTransfer } from './eviction.ts';
import { wake } from './queueWaiters.ts';

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
    const earlier = port.lastEdge;
    if (earlier?.inferred === true && earlier.from === ctx.node.id && port.binding?.ctx !== ctx.node.id) {
      // The receiver got here first and we inferred this transfer; now it is observed.
      earlier.inferred = false;
      earlier.via = via;
      earlier.carrier = carrier;
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

export function newEdge(
  state: ModelState,
  kind: TransferEdge['kind'],
  from: string,
  to: string | null,
  time: number,
  carrier: CarrierKind,
  via: string,
  inferred: boolean,
): TransferEdge {
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
  port.partialByInference = false;
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
export function receivePort(
  state: ModelState,
  ctx: ContextState,
  local: number,
  port: PortState,
  time: number,
  inferredFrom: string | null,
  carrier: CarrierKind = 'window',
): void {
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
    if (!node.partiallyObserved) port.partialByInference = true;
    node.partiallyObserved = true;
    count(state.stats.inferred, 'transfer');
  }
}

/**
 * A message recorded where it was posted was dispatched, with the same fingerprint, where it was
 * received: only entangled ports carry a message from one to the other, so a port whose arrival
 * in `holder` (one end's context) was inferred (no sender fact) is, proven, the port the model
 * took it for. When the context it came from is seen from inside, the transfer is then proven,
 * not inferred (`provenBy` names the message), and the port is no longer partially observed on
 * that account. A transfer one of several ports fitted (ambiguous) stays as it is: the pairing
 * itself rested on the guess.
 */
export function proveByDelivery(state: ModelState, port: PortState, holder: string, message: MessageRecord): void {
  const edge = port.lastEdge;
  if (!edge?.inferred || edge.ambiguous || edge.to !== holder) return;
  const source = state.contexts.get(edge.from);
  if (!source?.node.observed || source.standIn || !state.contexts.get(holder)?.node.observed) return;
  edge.inferred = false;
  edge.provenBy = message.id;
  const inferred = state.stats.inferred;
  if (inferred.transfer > 1) inferred.transfer--;
  else delete inferred.transfer;
  if (port.partialByInference) port.node.partiallyObserved = false;
  port.partialByInference = false;
}

export function portShipped(state: ModelState, ctx: ContextState, fact: Extract<Fact, { kind: 'port-shipped' }>): void {
  const binding = lookup(state, ctx.node.id, fact.port) ?? orphan(state, ctx, fact.port, fact.time);
  const port = binding.port;
  if (port.lastEdge?.inferred && port.lastEdge.from === ctx.node.id && port.binding?.ctx !== ctx.node.id) return;
  port.node.shipped = true;
  port.used = true;
  if (binding.live) detach(state, binding);
}
