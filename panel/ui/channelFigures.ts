/**
 * Per-channel figures the Channels view shows: the model's channelStats (panel/model/channelStats.ts),
 * which are tallied as messages go and so outlive evicted records, plus what waits in the ports'
 * queues now.
 */
import type { ChannelModel } from '../model/index.ts';

export interface ChannelFigures {
  /** Messages posted on either port (counted ones included: exact). */
  messages: number;
  /** Bytes of the recorded messages. */
  bytes: number;
  /** Messages per second between the first and the last post; null under two. */
  rate: number | null;
  meanWait: number | null;
  maxWait: number | null;
  /** Whether a wait crossed two clocks (aligned by the model, so approximate). */
  approximate: boolean;
  /** The deepest either port's message queue has been. */
  peakQueue: number;
  /** Messages waiting now in its ports' queues. */
  queued: number;
}

export function channelFigures(model: ChannelModel): Map<string, ChannelFigures> {
  const stats = model.channelStats();
  const out = new Map<string, ChannelFigures>();
  for (const channel of model.channels.values()) {
    const [p1, p2] = channel.ports.map((id) => model.ports.get(id));
    const s = stats.get(channel.id);
    out.set(channel.id, {
      messages: s?.messages ?? (p1?.posted ?? 0) + (p2?.posted ?? 0),
      bytes: s?.bytes ?? 0,
      rate: s?.rate ?? null,
      meanWait: s?.wait?.mean ?? null,
      maxWait: s?.wait?.max ?? null,
      approximate: s?.wait?.approximate ?? false,
      peakQueue: s?.peakQueue ?? 0,
      queued: (p1?.queued ?? 0) + (p2?.queued ?? 0),
    });
  }
  return out;
}
