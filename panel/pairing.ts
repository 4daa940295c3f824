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

/** The pairing of a model's messages, kept level with them as they are appended. */
class Pairer {
  readonly pairing: Pairing = { reply: new Map(), request: new Map() };
  /** `${channel}|${sending port}|${number}` → the request waiting for a reply (null: asked twice, ambiguous). */
  private readonly open = new Map<string, MessageRecord | null>();
  /** How many of `messages` were read. */
  read = 0;

  constructor(readonly messages: readonly MessageRecord[]) {}

  /**
   * Reads the messages appended since the last call. The model keeps records in the order it
   * applied the posts, and a reply is posted only after its request was dispatched, which the
   * model applies only after the request's post: a request is always read before its reply.
   */
  catchUp(model: ChannelModel): void {
    const { messages, open, pairing } = this;
    for (; this.read < messages.length; this.read++) {
      const m = messages[this.read]!;
      const n = callNumber(m);
      if (n === undefined) continue;
      const port = model.ports.get(m.from.port);
      const channel = port ? model.channels.get(port.channel) : undefined;
      if (!port || !channel) continue;
      const peer = channel.ports[0] === m.from.port ? channel.ports[1] : channel.ports[0];
      const asked = `${port.channel}|${peer}|${n}`;
      if (open.has(asked)) {
        const request = open.get(asked);
        open.delete(asked);
        if (request) {
          pairing.reply.set(request.id, m);
          pairing.request.set(m.id, request);
        }
        continue;
      }
      const key = `${port.channel}|${m.from.port}|${n}`;
      // The same number twice the same way before a reply: which one a reply answers cannot be told.
      open.set(key, open.has(key) ? null : m);
    }
  }
}

export function pairMessages(model: ChannelModel): Pairing {
  const pairer = new Pairer(model.messages);
  pairer.catchUp(model);
  return pairer.pairing;
}

const pairers = new WeakMap<ChannelModel, Pairer>();

/**
 * The pairing of the model's messages now. Appended messages are read once each; when the model
 * replaced its list (records evicted, or cleared) the pairing is made again from the list.
 */
export function pairingOf(model: ChannelModel): Pairing {
  let pairer = pairers.get(model);
  if (!pairer || pairer.messages !== model.messages || pairer.read > model.messages.length) {
    pairer = new Pairer(model.messages);
    pairers.set(model, pairer);
  }
  pairer.catchUp(model);
  return pairer.pairing;
}
