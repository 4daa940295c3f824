/**
 * Local ids: each MessagePort object gets a small integer on first sight. The record holds
 * what this context knows of the port's spec state. It never references a port object
 * (only the peer's record, when both ends were created here), so the registry cannot keep
 * any port alive.
 */
import { NativeWeakMap, weakMapGet, weakMapSet } from './natives.ts';

export interface PortRecord {
  id: number;
  /** The entangled peer's record, when both ends were created here (see postedHere). */
  peerRecord: PortRecord | undefined;
  enabled: boolean;
  shipped: boolean;
  closed: boolean;
  /** Posts that returned normally on this port object. */
  posted: number;
  /** Posts with outcome 'sent' made on this port object while it was held here. */
  sentHere: number;
  /**
   * 1-based rank, among the 'sent' posts, of the first message whose `port-posted` fact may
   * be missing (dropped by the emitter bound, or a post this runtime could not account for).
   * 0 while every one was reported.
   */
  firstUnreported: number;
  /**
   * Rank of the last such message, or Infinity when every later rank is in doubt too (a
   * dropped fact, or an unaccounted post that may or may not have queued a message). Counted
   * posts are unreported but in the model's queue in order, so the ranks after a counted run
   * skip their description again.
   */
  lastUnreported: number;
  /**
   * Rank, among the 'sent' posts, of the last one made through the recorded path with a non-empty
   * transfer list (it may have carried ports); 0 when none. Every later rank was a post whose
   * transfer list held no port (carriesNoPort, observe.ts).
   */
  transferredUpTo: number;
  /** Trusted `message` and `messageerror` events dispatched at this port object. */
  arrived: number;
  /** Counted posts ('sent', no port transferred) since this record's last `messages-counted` (counted.ts). */
  countedPosted: number;
  /** Counted `message` events (empty event.ports) since this record's last `messages-counted`. */
  countedDispatched: number;
  /** In the runtime's list of records with counts to report at the next flush. */
  listed: boolean;
  /** The record listed before this one in that list (counted.ts), while listed. */
  countedBefore: PortRecord | undefined;
  /**
   * The runtime's own `message` listener on this port (observe.ts), for ports this realm
   * observes; undefined for another realm's port, whose own runtime observes it.
   */
  observer: ((event: Event) => void) | undefined;
  /** Whether `observer` is on the port now (only while no page handler is sure to see each dispatch). */
  observing: boolean;
  /** The page's wrapped `message` listeners on the port now (onmessage counts one). */
  handlers: number;
  /** A page listener may leave without the runtime seeing it go (`once`, `signal`): the observer stays. */
  unsure: boolean;
  /** Two observers (the runtime's listener, page handlers' wrappers) may have seen one event: they deduplicate. */
  shared: boolean;
}

const ports = new NativeWeakMap<object, PortRecord>();
let nextPort = 1;
let nextChannel = 1;
let nextCarrier = 1;
let nextWorker = 1;

export function portRecord(port: unknown): PortRecord | undefined {
  return weakMapGet(ports, port);
}

/** The records of a channel's two ports, made here: each knows the other (never the port objects). */
export function entangle(r1: PortRecord, r2: PortRecord): void {
  r1.peerRecord = r2;
  r2.peerRecord = r1;
}

export function newPortRecord(port: object): PortRecord {
  const record: PortRecord = {
    id: nextPort++,
    peerRecord: undefined,
    enabled: false,
    shipped: false,
    closed: false,
    posted: 0,
    sentHere: 0,
    firstUnreported: 0,
    lastUnreported: 0,
    transferredUpTo: 0,
    arrived: 0,
    countedPosted: 0,
    countedDispatched: 0,
    listed: false,
    countedBefore: undefined,
    observer: undefined,
    observing: false,
    handlers: 0,
    unsure: false,
    shared: false,
  };
  weakMapSet(ports, port, record);
  return record;
}

/** A 'sent' post on `record` happened here; `reported`: its port-posted fact is in the buffer. */
export function noteSent(record: PortRecord, reported: boolean): void {
  const rank = ++record.sentHere;
  if (reported) return;
  if (record.firstUnreported === 0) record.firstUnreported = rank;
  // A dropped fact leaves a gap in the posts the model pairs dispatches with: doubt from here on.
  record.lastUnreported = Infinity;
}

/**
 * A 'sent' post on `record` was counted, not reported (counted.ts). Unlike a dropped fact it
 * leaves no gap: its `messages-counted` puts it in the model's queue in its place, so the
 * posts reported after it still pair with their dispatches; only its own rank needs describing.
 */
export function noteCounted(record: PortRecord): void {
  const rank = ++record.sentHere;
  if (record.firstUnreported === 0) record.firstUnreported = rank;
  if (rank > record.lastUnreported) record.lastUnreported = rank;
}

/** A post on `record` whose fate this runtime does not know may have queued a message. */
export function noteUnaccounted(record: PortRecord): void {
  if (record.firstUnreported === 0) record.firstUnreported = record.sentHere + 1;
  record.lastUnreported = Infinity;
}

/**
 * Whether the message behind the next trusted message/messageerror event at `record` was
 * posted, and reported, by this runtime — then the model already holds its preview and the
 * receiver need not describe it again. Call once per trusted event, in dispatch order.
 *
 * Why the count is exact: a port message queue is FIFO, and while both ends are here every
 * message in the receiver's queue came from the peer object here, so the k-th event at the
 * receiver object carries the peer's k-th 'sent' post. Once the peer is shipped away, what it
 * posts elsewhere lands behind everything it posted here, so ranks above `sentHere` are the
 * ones we did not see. Each queued message yields exactly one event, `message` or
 * `messageerror`, hence both are counted. Posts not counted as 'sent' never reach the queue:
 * a closed or shipped sender drops them, a doomed one ships the receiver itself (after which
 * this receiver object gets no event at all); a native throw enqueues nothing. A 'sent' post
 * that is never dispatched (the receiver closed, was shipped, or its context ended) leaves
 * no later event at this object either, so it cannot shift a rank. A receiver that arrives
 * in event.ports is a new object with no peerRecord, and always describes what it gets.
 * From the first post whose fact may be missing (emitter bound, an unaccounted post) on, the
 * receiver describes again: the model may have to infer that post from the dispatch, and its
 * pairing of later posts with dispatches may be off by the missing ones.
 * Counted posts (counted.ts) are different: the model holds each one as part of a counted run
 * in its queue, in order, with no preview. A recorded dispatch that takes a message from a run
 * must bring the preview itself, so the counted ranks are described; the posts reported after
 * the run sit behind it in the model's queue, paired as before, so ranks past the last counted
 * one skip again. One range covering every counted run describes the reported posts between
 * two runs again, which is redundant, never wrong.
 */
export function postedHere(record: PortRecord): boolean {
  const rank = ++record.arrived;
  const peer = record.peerRecord;
  if (peer === undefined || rank > peer.sentHere) return false;
  return peer.firstUnreported === 0 || rank < peer.firstUnreported || rank > peer.lastUnreported;
}

export const newChannelId = (): number => nextChannel++;
export const newCarrierId = (): number => nextCarrier++;
export const newWorkerId = (): number => nextWorker++;
