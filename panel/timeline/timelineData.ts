/**
 * The timeline's own view of the messages, independent of the Messages table's sort: every
 * message (or the filtered ones, when the user asks) in post-time order, flattened into typed
 * arrays so that binning and hit testing stay linear and allocation-free at 100,000 messages.
 *
 * A message has a sender slot (the context and port it was posted from) and a receiver slot
 * (the context that dispatched it, else the receiving port's holder; null when unknown). Lanes
 * are built from slots (lanes.ts).
 */
import type { ChannelModel, MessageRecord } from '../model/types.ts';

export const DELIVERED = 0;
export const QUEUED = 1;
export const DROPPED = 2;
export const UNOBSERVED = 3;

const STATE_CODE: Record<MessageRecord['state'], number> = {
  delivered: DELIVERED,
  queued: QUEUED,
  dropped: DROPPED,
  unobserved: UNOBSERVED,
};

/** A context and one of its ports; `context` null is the receiver nobody knows. */
export interface Slot {
  context: string | null;
  port: string | null;
}

export interface TimelineData {
  /** The messages in post-time order. */
  records: readonly MessageRecord[];
  post: Float64Array;
  /** Dispatch time; NaN when there is none (queued, dropped, receiver not observed). */
  end: Float64Array;
  state: Uint8Array;
  /**
   * 1 when the post time is an observation; 0 when it was inferred or is only a bound (sender
   * not observed, counted, evicted).
   */
  postSeen: Uint8Array;
  /** The model's wait (ms, clocks of two contexts aligned, never negative); NaN when not known. */
  wait: Float64Array;
  fromSlot: Int32Array;
  /** The receiver's slot; the sender's for a dropped message (it went nowhere). */
  toSlot: Int32Array;
  slots: Slot[];
  /** Contexts with at least one message, in the model's order; null (receiver unknown) last when used. */
  contexts: (string | null)[];
  /** Indices of messages still queued (drawn out to "now" whenever they were posted). */
  queued: Int32Array;
  /** The longest finite wait (ms), so a range query can start early enough. */
  maxWait: number;
  /** First post and last post or dispatch; NaN without messages. */
  first: number;
  last: number;
}

/** Where a message was (or will be) dispatched: the dispatching context, else the receiving port's holder. */
function receiverOf(model: ChannelModel, m: MessageRecord): string | null {
  return m.to.context ?? (m.to.port ? (model.ports.get(m.to.port)?.context ?? null) : null);
}

function inPostOrder(list: readonly MessageRecord[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]!.postedAt < list[i - 1]!.postedAt) return false;
  return true;
}

export function timelineData(model: ChannelModel, messages: readonly MessageRecord[]): TimelineData {
  // Contexts interleave; messages are nearly always in post order already, so sort only when not.
  // A copy either way: the model's own array grows and is evicted from in place.
  const records = inPostOrder(messages) ? messages.slice() : [...messages].sort((a, b) => a.postedAt - b.postedAt);
  const n = records.length;
  const post = new Float64Array(n);
  const end = new Float64Array(n);
  const state = new Uint8Array(n);
  const postSeen = new Uint8Array(n);
  const wait = new Float64Array(n);
  const fromSlot = new Int32Array(n);
  const toSlot = new Int32Array(n);
  const slots: Slot[] = [];
  const slotIds = new Map<string, number>();
  const used = new Set<string | null>();
  const slotOf = (context: string | null, port: string | null): number => {
    const key = `${context ?? ''}\u0000${port ?? ''}`;
    let id = slotIds.get(key);
    if (id === undefined) {
      id = slots.length;
      slots.push({ context, port });
      slotIds.set(key, id);
      used.add(context);
    }
    return id;
  };
  const queued: number[] = [];
  let maxWait = 0;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const m = records[i]!;
    post[i] = m.postedAt;
    const code = STATE_CODE[m.state];
    state[i] = code;
    postSeen[i] = m.postObserved && !m.counted && !m.postEvicted ? 1 : 0;
    const dispatched = m.dispatchedAt ?? Number.NaN;
    wait[i] = code === DELIVERED ? (model.wait(m)?.ms ?? Number.NaN) : Number.NaN;
    end[i] = dispatched;
    if (dispatched - m.postedAt > maxWait) maxWait = dispatched - m.postedAt;
    last = Math.max(last, m.postedAt, Number.isNaN(dispatched) ? -Infinity : dispatched);
    fromSlot[i] = slotOf(m.from.context, m.from.port);
    toSlot[i] = code === DROPPED ? fromSlot[i]! : slotOf(receiverOf(model, m), m.to.port);
    if (code === QUEUED) queued.push(i);
  }
  const contexts: (string | null)[] = [];
  for (const id of model.contexts.keys()) if (used.has(id)) contexts.push(id);
  // Contexts evicted from the model but still named by a message keep a lane too.
  for (const s of slots)
    if (s.context !== null && !contexts.includes(s.context) && !model.contexts.has(s.context)) contexts.push(s.context);
  if (used.has(null)) contexts.push(null);
  return {
    records,
    post,
    end,
    state,
    postSeen,
    wait,
    fromSlot,
    toSlot,
    slots,
    contexts,
    queued: Int32Array.from(queued),
    maxWait,
    first: n ? post[0]! : Number.NaN,
    last: n ? last : Number.NaN,
  };
}

/** First index whose post time is ≥ t (binary search over the sorted posts). */
export function firstAtOrAfter(post: Float64Array, t: number): number {
  let lo = 0;
  let hi = post.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (post[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose post time is > t. */
export function firstAfter(post: Float64Array, t: number): number {
  let lo = 0;
  let hi = post.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (post[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
