/**
 * Per-channel traffic, for telling a busy channel from a noisy one: messages, rate, bytes,
 * waits and the deepest queue. Tallied per sending port as messages go (so a record's eviction
 * does not change them) and added up per channel when read.
 */
import type { ChannelStats, MessageRecord } from './types.ts';
import type { ModelState, PortState, Traffic } from './state.ts';
import { approximateWait, waitMs } from './clocks.ts';

export function newTraffic(): Traffic {
  return { bytes: 0, firstPostAt: null, lastPostAt: null, waits: 0, waitSum: 0, waitMax: 0, waitApproximate: false };
}

/** Messages were posted on `sender` at `time` (a counted report's time for counted ones). */
export function notePosts(sender: PortState, time: number, bytes: number): void {
  const t = sender.traffic;
  t.bytes += bytes;
  if (t.firstPostAt === null || time < t.firstPostAt) t.firstPostAt = time;
  if (t.lastPostAt === null || time > t.lastPostAt) t.lastPostAt = time;
}

/** A recorded message posted on `sender` was dispatched. */
export function noteWait(state: ModelState, sender: PortState, message: MessageRecord): void {
  const ms = waitMs(state, message);
  if (ms < 0) return;
  const t = sender.traffic;
  t.waits++;
  t.waitSum += ms;
  if (ms > t.waitMax) t.waitMax = ms;
  if (!t.waitApproximate && approximateWait(message)) t.waitApproximate = true;
}

function statsOf(id: string, ports: PortState[]): ChannelStats {
  let messages = 0;
  let bytes = 0;
  let first = Infinity;
  let last = -Infinity;
  let waits = 0;
  let waitSum = 0;
  let waitMax = 0;
  let approximate = false;
  let peakQueue = 0;
  for (const port of ports) {
    const t = port.traffic;
    messages += port.node.posted;
    bytes += t.bytes;
    if (t.firstPostAt !== null) first = Math.min(first, t.firstPostAt);
    if (t.lastPostAt !== null) last = Math.max(last, t.lastPostAt);
    waits += t.waits;
    waitSum += t.waitSum;
    waitMax = Math.max(waitMax, t.waitMax);
    approximate ||= t.waitApproximate;
    peakQueue = Math.max(peakQueue, port.queue.peak);
  }
  const span = last - first;
  return {
    channel: id,
    messages,
    rate: messages > 1 && span > 0 ? (messages * 1000) / span : null,
    bytes,
    wait: waits > 0 ? { mean: waitSum / waits, max: waitMax, samples: waits, approximate } : null,
    peakQueue,
  };
}

/** Every kept channel's stats, by channel id. */
export function channelStatsOf(state: ModelState): Map<string, ChannelStats> {
  const out = new Map<string, ChannelStats>();
  for (const channel of state.channels.values()) {
    const ports = channel.ports.map((id) => state.ports.get(id)).filter((p): p is PortState => p !== undefined);
    out.set(channel.id, statsOf(channel.id, ports));
  }
  return out;
}
