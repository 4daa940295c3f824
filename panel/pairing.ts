/**
 * Request/reply pairs. Many protocols over a MessagePort number their calls: `{id}`,
 * `{requestId}`, comlink's `{id, type}` answered by `{id, value}`, penpal's `{id}` answered by
 * `{callId}`. A reply is the first later message on the same channel, going the other way, that
 * carries the request's number; a pair never crosses channels, and a number seen again in the
 * same direction before any reply leaves the first request unpaired rather than guessed.
 */
import type { ChannelModel, MessageRecord } from './model/types.ts';
import { previewAt, scalarText } from './previewData.ts';

export interface Pairing {
  /** Request id → its reply. */
  reply: Map<string, MessageRecord>;
  /** Reply id → its request. */
  request: Map<string, MessageRecord>;
}

const ID_KEYS = ['callId', 'requestId', 'id'] as const;

/** The call number a message carries at its top level, as text, or undefined. */
export function callNumber(m: MessageRecord): string | undefined {
  if (m.preview?.t !== 'object') return undefined;
  for (const key of ID_KEYS) {
    const at = previewAt(m.preview, [key]);
    if (at?.t !== 'string' && at?.t !== 'number') continue;
    const text = scalarText(at);
    if (text !== undefined && text !== '') return text;
  }
  return undefined;
}

export function pairMessages(model: ChannelModel): Pairing {
  const out: Pairing = { reply: new Map(), request: new Map() };
  /** `${channel}|${sending port}|${number}` → the request still waiting for a reply. */
  const open = new Map<string, MessageRecord | null>();
  const ordered = model.messages.slice().sort((a, b) => a.postedAt - b.postedAt);
  for (const m of ordered) {
    const n = callNumber(m);
    if (n === undefined) continue;
    const port = model.ports.get(m.from.port);
    if (!port) continue;
    const channel = model.channels.get(port.channel);
    if (!channel) continue;
    const peer = channel.ports[0] === m.from.port ? channel.ports[1] : channel.ports[0];
    const asked = `${port.channel}|${peer}|${n}`;
    if (open.has(asked)) {
      const request = open.get(asked);
      open.delete(asked);
      if (request) {
        out.reply.set(request.id, m);
        out.request.set(m.id, request);
      }
      continue;
    }
    const key = `${port.channel}|${m.from.port}|${n}`;
    // The same number twice the same way before a reply: which one a reply answers cannot be told.
    open.set(key, open.has(key) ? null : m);
  }
  return out;
}

const cache = new WeakMap<ChannelModel, { revision: number; pairing: Pairing }>();

/** The pairing of the model's messages now (computed once per model revision). */
export function pairingOf(model: ChannelModel): Pairing {
  const hit = cache.get(model);
  if (hit && hit.revision === model.revision) return hit.pairing;
  const pairing = pairMessages(model);
  cache.set(model, { revision: model.revision, pairing });
  return pairing;
}
