/**
 * The model's totals, for the status bar and the views: what was seen, evicted parts included
 * (an evicted channel's ports and messages leave the lists, not the counts).
 */
import type { ModelTotals } from './types.ts';
import type { ModelState } from './state.ts';

export function totalsOf(state: ModelState): ModelTotals {
  let queued = 0;
  let countedQueued = 0;
  let cutQueueChanges = 0;
  for (const port of state.ports.values()) {
    queued += port.queue.size;
    countedQueued += port.queue.counted;
    cutQueueChanges += port.queue.depthSeries?.cut ?? 0;
  }
  const { posted, delivered, dropped, unobserved, carriers } = state.totals;
  return {
    channels: state.channels.size + state.stats.evictedChannels,
    ports: state.ports.size + state.stats.evictedPorts,
    messages: { posted, delivered, queued, dropped, unobserved },
    carriers,
    counted: { posted: state.stats.counted.posted, delivered: state.stats.counted.delivered, queued: countedQueued },
    countedCarriers: { ...state.stats.countedCarriers },
    cutQueueChanges,
  };
}
