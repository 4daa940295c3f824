/**
 * Carrier messages counted rather than recorded (`carriers-counted`): while nobody watched the
 * tab, a context's `worker` and `window` carrier messages that transferred no port were only
 * counted, posted and received. They add to the counted totals, never to the carrier records:
 * which context sent or got each one, and what it held, is unknown. A counted message carries
 * no port, so no port, queue or diagnostic depends on it.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { CarrierEntry, ContextState, ModelState } from './state.ts';
import { complete } from './carriers.ts';

type CarriersCounted = Extract<Fact, { kind: 'carriers-counted' }>;

export function carriersCounted(state: ModelState, ctx: ContextState, fact: CarriersCounted): void {
  state.stats.countedCarriers.posted += fact.posted;
  state.stats.countedCarriers.received += fact.received;
  if (fact.received > 0) settleCountedArrivals(state, ctx, fact.carrier, fact.received);
}

/**
 * Recorded carrier messages without ports that may have landed here while arrivals were only
 * counted (the sender recorded its post, then this context counted its arrival) would wait for a
 * receipt that never comes, and a later recorded arrival with the same data would claim the
 * wrong one. Up to `received` of the oldest that could have landed here stop waiting; who received
 * them stays as the sender named it (or unknown), and they are not counted as never received.
 */
function settleCountedArrivals(state: ModelState, ctx: ContextState, carrier: string, received: number): void {
  const here = ctx.node.id;
  const framePath = ctx.node.framePath;
  const candidates: CarrierEntry[] = [];
  for (const list of state.unreceived.values()) {
    for (const entry of list) {
      if (entry.claimedBy !== null || entry.ports.length !== 0 || entry.record.carrier !== carrier) continue;
      if (entry.from === here) continue;
      if (entry.to !== null ? entry.to !== here : entry.toPath !== null && framePath && entry.toPath !== framePath)
        continue;
      candidates.push(entry);
    }
  }
  candidates.sort((a, b) => a.record.time - b.record.time);
  for (let i = 0; i < candidates.length && i < received; i++) complete(state, candidates[i]);
}
