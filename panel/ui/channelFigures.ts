/**
 * Per-channel figures the Channels view shows. A stand-in for the model's channelStats
 * (panel/model/channelStats.ts, being written beside this): the view reads only this
 * interface, so swapping `channelFigures` for the model's answer is the whole change.
 * Waits and bytes come from the message records kept (recordCap), so they cover those only.
 */
import type { ChannelModel } from '../model/types.ts';

export interface ChannelFigures {
  /** Messages posted on either port (counted ones included: exact). */
  messages: number;
  /** Bytes of the recorded messages. */
  bytes: number;
  /** Messages per second between the first and the last recorded post; null under two. */
  rate: number | null;
  meanWait: number | null;
  maxWait: number | null;
  /** The deepest its ports' queues were; null where it is not known. */
  peakQueue: number | null;
  /** Messages waiting now in its ports' queues. */
  queued: number;
}

interface Acc {
  bytes: number;
  first: number;
  last: number;
  recorded: number;
  waits: number;
  waitSum: number;
  waitMax: number;
}

export function channelFigures(model: ChannelModel): Map<string, ChannelFigures> {
  const acc = new Map<string, Acc>();
  for (const m of model.messages) {
    const channel = model.ports.get(m.from.port)?.channel;
    if (!channel) continue;
    const a = acc.get(channel) ?? {
      bytes: 0,
      first: m.postedAt,
      last: m.postedAt,
      recorded: 0,
      waits: 0,
      waitSum: 0,
      waitMax: 0,
    };
    acc.set(channel, a);
    a.bytes += m.bytes;
    a.recorded++;
    a.first = Math.min(a.first, m.postedAt);
    a.last = Math.max(a.last, m.postedAt);
    if (m.dispatchedAt !== undefined) {
      // Clocks of two processes can disagree by a little: a wait is never shown below zero.
      const wait = Math.max(0, m.dispatchedAt - m.postedAt);
      a.waits++;
      a.waitSum += wait;
      a.waitMax = Math.max(a.waitMax, wait);
    }
  }
  const out = new Map<string, ChannelFigures>();
  for (const channel of model.channels.values()) {
    const [p1, p2] = channel.ports.map((id) => model.ports.get(id));
    const a = acc.get(channel.id);
    const span = a ? (a.last - a.first) / 1000 : 0;
    out.set(channel.id, {
      messages: (p1?.posted ?? 0) + (p2?.posted ?? 0),
      bytes: a?.bytes ?? 0,
      rate: a && a.recorded > 1 && span > 0 ? a.recorded / span : null,
      meanWait: a?.waits ? a.waitSum / a.waits : null,
      maxWait: a?.waits ? a.waitMax : null,
      peakQueue: null,
      queued: (p1?.queued ?? 0) + (p2?.queued ?? 0),
    });
  }
  return out;
}
