/**
 * First sight of a port: give it a local id and attach the runtime's own observers — one
 * capture listener each for `message`, `messageerror` and `close`, added through the captured
 * native addEventListener before any page listener. They read the event through captured
 * MessageEvent getters (the same cached `data` and frozen `ports` the page gets) and never
 * dispatch anything. In Chromium a listener does not keep a port alive or start its queue
 * (a port lives while it is started and entangled), so they change nothing the page can see.
 *
 * A dispatch is observed once, by whichever runs first for it: the runtime's `message`
 * listener or the wrapper of a page handler (handlers.ts). The listener costs the page one more
 * call per message (issue 16: about 7 % of a tiny message), so it stays on a port only while no
 * page handler is sure to see every dispatch there (settleObserver): a port with an `onmessage`
 * is observed by its handler's wrapper alone, in both modes. Whichever list the browser invokes
 * for an event, its first listener is one of the two (every page `message` listener is
 * wrapped), so no dispatch goes unseen; the page's `stopImmediatePropagation` can only stop
 * listeners after one that already observed.
 */
import type { CarrierKind, Fact } from '../protocol/facts.ts';
import { portRecord, newPortRecord, postedHere, type PortRecord } from './ids.ts';
import {
  NativeFinalizationRegistry,
  NativeWeakMap,
  apply,
  eventIsTrusted,
  finalizationRegister,
  getPrototypeOf,
  isMessagePort,
  messageEventData,
  messageEventPorts,
  nativeAddEventListener,
  nativeRemoveEventListener,
  weakMapGet,
  weakMapSet,
} from './natives.ts';
import { describe, fingerprint } from './preview.ts';
import type { Runtime } from './runtime.ts';
import { guarded, noteFailure } from './guard.ts';
import { countDispatch, settleCounts } from './counted.ts';
import { UNSTAMPED_TIME } from './emitter.ts';
import { EMPTY, putIndex } from './own-index.ts';

type Dispatched = Extract<Fact, { kind: 'message-dispatched' }>;

/**
 * Events already observed at a `shared` port (more than one observer may run for one event):
 * the `message-dispatched` record for the handlers to complete, or SEEN. Weak: no event is kept.
 */
const dispatching = new NativeWeakMap<object, Dispatched | typeof SEEN>();
const SEEN = { __proto__: null } as unknown as Dispatched;

// Holds the record (never the port): its counts go before its port-collected.
let collected: FinalizationRegistry<PortRecord> | undefined;

const ObjectPrototype = getPrototypeOf({});

/**
 * Every port inside a message was registered before its preview is made (from the transfer
 * list on the sender, from event.ports on the receiver), so the brand check — a thrown
 * TypeError for every other object — is skipped for the objects that fill most messages: those
 * with %Object.prototype%, which a port never has (a page that gave one that prototype still
 * had to list it in the transfer).
 */
export function portIdOf(rt: Runtime): (x: object) => number | undefined {
  // One function per runtime, not one per message described.
  if (portIdsFor !== rt) {
    portIdsFor = rt;
    portIds = (x) => {
      const r = portRecord(x);
      if (r) return r.id;
      return getPrototypeOf(x) !== ObjectPrototype && isMessagePort(x) ? seePort(rt, x, 'other').id : undefined;
    };
  }
  return portIds!;
}

let portIdsFor: Runtime | undefined;
let portIds: ((x: object) => number | undefined) | undefined;

/** Ids and observers for a port object this context meets for the first time. */
export function adoptPort(rt: Runtime, port: object): PortRecord {
  const record = newPortRecord(port);
  const id = record.id;
  const observer = (event: Event): void => {
    observeDispatch(rt, record, event);
  };
  record.observer = observer;
  record.observing = true;
  apply(nativeAddEventListener, port, ['message', observer, true]);
  apply(nativeAddEventListener, port, [
    'messageerror',
    (event: Event) =>
      guarded(rt, 'observe-messageerror', () => {
        if (!eventIsTrusted(event)) return;
        postedHere(record);
        settleCounts(rt, record);
        rt.emitter.emit({ kind: 'messageerror', ctx: rt.ctx, port: id });
      }),
    true,
  ]);
  apply(nativeAddEventListener, port, [
    'close',
    (event: Event) =>
      guarded(rt, 'observe-close', () => {
        if (!eventIsTrusted(event)) return;
        settleCounts(rt, record);
        rt.emitter.emit({ kind: 'close-event', ctx: rt.ctx, port: id });
      }),
    true,
  ]);
  if (NativeFinalizationRegistry && finalizationRegister) {
    collected ??= new NativeFinalizationRegistry<PortRecord>((gone) =>
      guarded(rt, 'observe-collected', () => {
        settleCounts(rt, gone);
        rt.emitter.emit({ kind: 'port-collected', ctx: rt.ctx, port: gone.id });
      }),
    );
    finalizationRegister(collected, port, record);
  }
  return record;
}

/**
 * A port that was not created nor received here (SharedWorker.port, another realm's port, or
 * one of this realm first seen when used: `late`).
 */
export function seePort(rt: Runtime, port: object, how: 'sharedworker' | 'other' | 'late'): PortRecord {
  const known = portRecord(port);
  if (known) return known;
  const record = how === 'other' ? newPortRecord(port) : adoptPort(rt, port);
  rt.emitter.emit({ kind: 'port-seen', ctx: rt.ctx, port: record.id, how });
  return record;
}

export interface Arrival {
  carrier: CarrierKind;
  viaPort?: number;
  sourcePath?: string;
  sourceOrigin?: string;
  fingerprint: string;
}

/** Ports that arrived in `event.ports`: new objects here, entangled with a peer elsewhere. */
export function receivePorts(rt: Runtime, ports: readonly object[], arrival: Arrival): number[] {
  const ids: number[] = [];
  const count = ports.length;
  for (let i = 0; i < count; i++) {
    const port = ports[i];
    const record = portRecord(port) ?? adoptPort(rt, port);
    putIndex(ids, i, record.id);
    settleCounts(rt, record);
    const fact: Extract<Fact, { kind: 'port-received' }> = {
      kind: 'port-received',
      ctx: rt.ctx,
      port: record.id,
      carrier: arrival.carrier,
      fingerprint: arrival.fingerprint,
      index: i,
      count,
      // In the literal even when undefined (absent on the wire): a property added afterwards
      // would be a [[Set]] that reaches a page setter on Object.prototype.
      viaPort: arrival.viaPort,
      sourcePath: arrival.sourcePath,
      sourceOrigin: arrival.sourceOrigin,
    } as never;
    rt.emitter.emit(fact as never);
  }
  return ids;
}

// The same flag as `true`; a dictionary because Node's EventTarget (tests/node) removes by it only.
const CAPTURE = { __proto__: null, capture: true } as unknown as AddEventListenerOptions;

/**
 * Keeps the runtime's `message` listener on `port` only while it may be needed: no page handler
 * is there, or one may have left unseen. Call after every change of `record.handlers` or
 * `record.unsure`, with the port itself (the record never holds it). Taking it off loses no
 * event: while it is on, no page handler is on the port, so no page code of this realm runs in
 * that port's dispatch before it, and a handler added during a dispatch is not called for that
 * event. Putting it back adds it last, which is first among the `message` listeners then present
 * (none is a page handler) unless one may have left unseen, and then every observer
 * deduplicates (`shared`). Not covered: a listener added through another realm's
 * addEventListener (`frame.EventTarget.prototype.addEventListener.call(port, …)`) is not wrapped;
 * one that runs before this port's page handler and stops the event leaves that dispatch uncounted.
 */
export function settleObserver(record: PortRecord, port: object): void {
  const observer = record.observer;
  if (observer === undefined) return;
  const needed = record.handlers === 0 || record.unsure;
  if (needed !== record.observing) {
    record.observing = needed;
    apply(needed ? nativeAddEventListener : nativeRemoveEventListener, port, ['message', observer, CAPTURE]);
  }
  // Sticky: an event dispatched while two observers were there may still be on its way.
  if (record.handlers > 1 || (record.observing && record.handlers > 0)) record.shared = true;
}

/**
 * The one observation of a trusted `message` event at `record`'s port (the first observer to
 * run for it does the work, later ones find it done). Returns the `message-dispatched` record
 * that the page's handlers complete (recording), else undefined. Never throws (guarded()
 * without its per-call closure: this runs for every message).
 */
export function observeDispatch(rt: Runtime, record: PortRecord, event: Event): Dispatched | undefined {
  try {
    // `isTrusted` is [LegacyUnforgeable]: an own, non-configurable accessor on every event, so a
    // plain read runs no page code; it costs a fraction of the captured getter's bound call. The
    // event is always one the browser hands to a listener, never a page object.
    if (!event.isTrusted) return undefined;
    // While one observer at most was ever on the port at a time, each event meets exactly one.
    if (!record.shared) return onMessage(rt, record, event);
    const known = weakMapGet(dispatching, event);
    if (known !== undefined) return known === SEEN ? undefined : known;
    weakMapSet(dispatching, event, SEEN);
    const fact = onMessage(rt, record, event);
    if (fact !== undefined) weakMapSet(dispatching, event, fact);
    return fact;
  } catch (e) {
    noteFailure(rt, 'observe-message', e);
    return undefined;
  }
}

/**
 * The ports the message behind the next `message` event at `record`'s port carries. Reading
 * `event.ports` makes the browser build a frozen array for the event, which the profile of a
 * tiny message found the largest piece of the counting dispatch, and a large piece of the
 * recorded one; so it is read only when the posts cannot tell. They can when both ends were
 * made here and this event's rank is among the peer's 'sent' posts made here (the port message
 * queue is FIFO, ids.ts postedHere), after the last one whose transfer list was not empty, and
 * no post of the peer's went unaccounted for (its fact dropped, or its fate unknown: ranks may be
 * off from there): then it carries none. Not covered: a post made through another realm's
 * `MessagePort.prototype.postMessage` on this realm's port is not seen by this runtime; if it
 * carried ports while counting, they are seen late, at their first use.
 */
function portsOf(record: PortRecord, event: Event): readonly object[] {
  const peer = record.peerRecord;
  const rank = record.arrived + 1;
  if (peer !== undefined && rank <= peer.sentHere && rank > peer.transferredUpTo && peer.lastUnreported !== Infinity)
    return EMPTY;
  return messageEventPorts(event) as readonly object[];
}

function onMessage(rt: Runtime, record: PortRecord, event: Event): Dispatched | undefined {
  const ports = portsOf(record, event);
  const count = ports.length;
  // Counting: a count, nothing read (not even `data`), no record for the page's handlers.
  if (!rt.recordMessages && count === 0) {
    countDispatch(rt, record);
    return undefined;
  }
  const known = postedHere(record);
  settleCounts(rt, record);
  // The model has this message's preview and fingerprint from its post; port-received facts
  // still need the fingerprint to find their carrier. When neither is needed `data` is not
  // read at all: Chromium deserializes it on first read, which the page then pays for itself.
  const data = known && count === 0 ? undefined : messageEventData(event);
  const print = known && count === 0 ? undefined : fingerprint(data, true);
  const ids = count ? receivePorts(rt, ports, { carrier: 'port', viaPort: record.id, fingerprint: print! }) : EMPTY;
  // One whole literal, never a property added later: an assignment could reach a page setter on
  // Object.prototype. Fields left undefined are absent on the wire (JSON, and validation).
  const fact: Dispatched = {
    kind: 'message-dispatched',
    ctx: rt.ctx,
    port: record.id,
    fingerprint: print,
    preview: known ? undefined : describe(data, portIdOf(rt), true, undefined, rt.config.preview).preview,
    ports: ids,
    handlers: 0,
    duration: 0,
    // Stamped in place by the emitter (no copy).
    seq: 0,
    time: UNSTAMPED_TIME,
  };
  return rt.emitter.emitBuilt(fact);
}
