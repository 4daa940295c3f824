/**
 * Which port left a context whose facts did not say (docs/model-inference.md, rules 1, 2 and
 * 5): the candidates a received port can be, read from what the source context holds. Only the
 * reading: portReceipt.ts decides when to apply it and marks what was inferred.
 */
import type { ContextState, PortState } from './state.ts';

/**
 * Rule 2 (docs/model-inference.md): the source context waits for a message to one of its ports
 * whose peer it still holds, untouched by any fact of its own. Its facts come in order, so that
 * peer did not post there: it left without a fact (penpal ships it with the options form of
 * `window.postMessage`, which the runtime does not trace). The port arriving from that context
 * is that peer; no clock is compared (frames' clocks drift apart by tens of milliseconds).
 */
export function awaitedSender(source: ContextState): PortState | null {
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
export function latestUnusedPort(source: ContextState, time: number): PortState | null {
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
export function candidates(source: ContextState, time: number): number {
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
export function latestIdleArrival(source: ContextState, time: number): PortState | null {
  const held = [...source.held];
  for (let i = held.length - 1, seen = 0; i >= 0 && seen < 256; i--, seen++) {
    const port = held[i];
    const node = port.node;
    if (node.closed || node.collected || port.inTransit) continue;
    const here = port.binding?.live === true && port.binding.ctx === source.node.id && !port.used;
    const inside =
      port.binding === null &&
      port.unobservedHolder &&
      node.context === source.node.id &&
      node.posted === port.postedWhenHidden;
    if (!here && !inside) continue;
    const since = node.holders.at(-1)?.since ?? node.createdAt;
    if (since > time) continue;
    return port;
  }
  return null;
}
