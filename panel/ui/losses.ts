/** The status bar's account of what was lost: dropped, evicted, not kept, rejected. */
import type { ChannelModel } from '../model/types.ts';
import type { RelayStatus } from '../source/types.ts';

/** Counts keyed by page- or wire-supplied names: own keys only, whatever their names. */
function sum(r: Record<string, number>): number {
  let n = 0;
  for (const key of Object.keys(r)) n += r[key];
  return n;
}

const n = (x: number) => x.toLocaleString('en-US');

export function lossParts(model: ChannelModel, relay: RelayStatus, settledEarly: boolean): string[] {
  const dropped = sum(model.stats.droppedFacts) + sum(relay.dropped);
  const evictedRelay = sum(relay.evicted);
  const losses: string[] = [];
  if (dropped) losses.push(`${n(dropped)} facts dropped`);
  if (model.stats.evictedMessages) losses.push(`${n(model.stats.evictedMessages)} message bodies evicted`);
  if (model.stats.evictedRecords) losses.push(`${n(model.stats.evictedRecords)} old messages evicted`);
  if (model.stats.evictedChannels)
    losses.push(`${n(model.stats.evictedChannels)} finished channels evicted (closed or collected; still counted)`);
  if (model.stats.evictedContexts)
    losses.push(`${n(model.stats.evictedContexts)} ended contexts evicted (nothing kept refers to them)`);
  if (evictedRelay)
    losses.push(`${n(evictedRelay)} facts evicted from the background's buffer (a panel opened later misses them)`);
  if (model.stats.evictedFacts) losses.push(`${n(model.stats.evictedFacts)} facts not kept for export`);
  if (settledEarly) losses.push('inferred before every fact came: an export may replay slightly differently');
  if (relay.rejected) losses.push(`${n(relay.rejected)} batches rejected`);
  return losses;
}
