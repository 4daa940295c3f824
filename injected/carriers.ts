/**
 * Carriers move ports between contexts: window.postMessage, Worker / DedicatedWorkerGlobalScope
 * postMessage, SharedWorker's port, ServiceWorker and Client postMessage. Sends are traced
 * like port posts (post.ts); arrivals are seen by the runtime's own capture `message`
 * listener on the global and on each Worker object, added before any page script.
 */
import type { CarrierKind, Fact } from '../protocol/facts.ts';
import { replaceMethod, type NativeFn } from './disguise.ts';
import { newCarrierId, newWorkerId } from './ids.ts';
import {
  hasOwn,
  NativeWeakMap,
  NativeURL,
  apply,
  bind,
  construct,
  eventIsTrusted,
  functionToString,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  messageEventData,
  messageEventOrigin,
  messageEventPorts,
  messageEventSource,
  nativeAddEventListener,
  sharedWorkerPort,
  nodeBaseURI,
  urlHref,
  weakMapGet,
  workerLocationHref,
  weakMapSet,
} from './natives.ts';
import { receivePorts, seePort } from './observe.ts';
import { shipPorts, tracedPost, transfersPort } from './post.ts';
import { countedCarrierArrival, countedCarrierPost, countsCarrier } from './carrier-counts.ts';
import { fingerprint } from './preview.ts';
import type { Runtime } from './runtime.ts';
import { guarded } from './guard.ts';
import { framePathOf } from './frames.ts';
import { postArguments, toSequence } from './transfer.ts';
import { OwnArrayPrototype, bridgeOf, offerBridge } from './realm.ts';
import { apiBaseOverride } from './worker-api-base.ts';
import { replaceWorkerConstructor } from './worker-spawn.ts';
import {
  clientTarget,
  observeServiceWorkerContainer,
  observeServiceWorkerMessages,
} from './service-worker-carriers.ts';
import { patchClientMessageQueue } from './client-message-queue.ts';
import { namesWorkers } from './worker-protocol.ts';

const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';
const workers = new NativeWeakMap<object, number>();

function carrierPosted(
  rt: Runtime,
  carrier: CarrierKind,
  target: string,
  targetOrigin: string | undefined,
  posted: ReturnType<typeof tracedPost>,
  client?: ReturnType<typeof clientTarget>,
): void {
  const carrierId = newCarrierId();
  const fact = {
    kind: 'carrier-posted',
    ctx: rt.ctx,
    carrierId,
    carrier,
    target,
    fingerprint: posted.fingerprint,
    preview: posted.preview,
    bytes: posted.bytes,
    transfer: posted.transfer,
    // Optional fields in the literal (undefined: absent on the wire), never assigned afterwards:
    // that [[Set]] would reach a page setter on Object.prototype.
    targetOrigin,
    clientUrl: client ? client.clientUrl : undefined,
    clientType: client ? client.clientType : undefined,
    site: posted.site || undefined,
  } as Extract<Fact, { kind: 'carrier-posted' }>;
  rt.emitter.emit(fact);
  shipPorts(rt, posted.ports, carrier, carrierId);
}

/** What a `postMessage(message, transfer | options)` replacement is installed with. */
interface CarrierPatch {
  rt: Runtime;
  carrier: CarrierKind;
  /** The target the fact names: the worker global's parent, a Worker object (by its id), a service worker or a client. */
  target: 'parent' | 'worker' | 'ServiceWorker' | 'Client';
}

/** Replacement for a `postMessage(message, transfer | options)` method (Worker, ServiceWorker, Client, worker global). */
function sequenceOrOptionsPost(patch: CarrierPatch, native: NativeFn, self: unknown, args: unknown[]): unknown {
  const { rt, carrier, target } = patch;
  if (args.length === 1 && countsCarrier(rt, carrier)) return countedCarrierPost(rt, native, self, args, 'worker');
  const call = postArguments(args);
  if (call === undefined) return apply(native, self, args);
  if (!call.complete) return apply(native, self, call.callArgs);
  if (countsCarrier(rt, carrier) && !transfersPort(call.items))
    return countedCarrierPost(rt, native, self, call.callArgs, 'worker');
  const posted = tracedPost(rt, native, self, call.callArgs, call.items, carrier, 0);
  guarded(rt, 'carrier-posted', () =>
    carrierPosted(
      rt,
      carrier,
      target === 'worker' ? 'worker:' + (weakMapGet(workers, self) ?? 0) : target,
      undefined,
      posted,
      target === 'Client' ? clientTarget(self) : undefined,
    ),
  );
  return undefined;
}

/**
 * `window.postMessage(message, targetOrigin, transfer)` made from this realm. The transfer list
 * is converted once (transfer.ts) and a carrier fact is emitted only when ports or other
 * objects were transferred: plain window messages are too common to trace one by one. The
 * options form `postMessage(message, {targetOrigin, transfer})` is passed through untraced
 * (its transfers are then inferred where they arrive).
 */
function windowPost(rt: Runtime, native: NativeFn, self: unknown, args: unknown[]): unknown {
  if (args.length < 3 || args[2] === undefined) return apply(native, self, args);
  const transfer = args[2];
  if (!isObject(transfer)) return apply(native, self, args);
  const converted = toSequence(transfer);
  const callArgs = [args[0], args[1], converted.standIn];
  if (!converted.complete || converted.items.length === 0) return apply(native, self, callArgs);
  if (countsCarrier(rt, 'window') && !transfersPort(converted.items))
    return countedCarrierPost(rt, native, self, callArgs, 'window');
  const posted = tracedPost(rt, native, self, callArgs, converted.items, 'window', 0);
  const targetOrigin = typeof args[1] === 'string' ? (args[1] as string) : undefined;
  guarded(rt, 'carrier-posted', () =>
    carrierPosted(rt, 'window', framePathOf(self, rt.global.top), targetOrigin, posted),
  );
  return undefined;
}

/** Where a method lives: own property of the global or somewhere on its prototype chain. */
function holderOf(o: object, key: string): object | undefined {
  for (let p: object | null = o, depth = 0; p !== null && depth < 8; p = getPrototypeOf(p), depth++) {
    if (getOwnPropertyDescriptor(p, key)) return p;
  }
  return undefined;
}

/**
 * The script URL as the browser resolved it: against the document base URL in a window, the
 * worker's own URL in a worker. Read through captured getters: no page code runs.
 */
function resolved(rt: Runtime, url: string): string {
  if (!NativeURL || !urlHref) return url;
  try {
    const g = rt.global;
    // In an in-worker instrumented worker the native base is the bootstrap's blob: URL.
    const base =
      apiBaseOverride() ??
      (g.document && nodeBaseURI
        ? nodeBaseURI(g.document)
        : g.location && workerLocationHref
          ? workerLocationHref(g.location)
          : undefined);
    return urlHref(construct(NativeURL as never, base === undefined ? [url] : [url, base])) as string;
  } catch {
    return url;
  }
}

function scriptUrl(rt: Runtime, arg: unknown): string {
  if (typeof arg === 'string') return resolved(rt, arg);
  if (urlHref) {
    try {
      return urlHref(arg) as string;
    } catch {
      // Not a URL object (a TrustedScriptURL or a page object): its string form would run page code.
    }
  }
  return '';
}

/** `type: 'module'` read from a data property only: a page getter must not run twice. */
function isModule(options: unknown): boolean {
  if (!isObject(options)) return false;
  const d = getOwnPropertyDescriptor(options, 'type');
  return !!d && hasOwn(d, 'value') && d.value === 'module';
}

type CarrierSource = (event: Event) => { source: string; sourceOrigin?: string };

/** A carrier message arrived at a target the runtime listens on (observeCarrier). */
function carrierArrived(rt: Runtime, carrier: CarrierKind, source: CarrierSource, event: Event): void {
  if (countsCarrier(rt, carrier) && countedCarrierArrival(rt, carrier as 'worker' | 'window', event)) return;
  guarded(rt, 'observe-carrier', () => {
    if (!eventIsTrusted(event)) return;
    const ports = messageEventPorts(event) as readonly object[];
    const print = fingerprint(messageEventData(event), true);
    const from = source(event);
    const ids = ports.length
      ? receivePorts(
          rt,
          ports,
          carrier === 'window'
            ? { carrier, fingerprint: print, sourcePath: from.source, sourceOrigin: from.sourceOrigin }
            : { carrier, fingerprint: print },
        )
      : [];
    const fact = {
      kind: 'carrier-received',
      ctx: rt.ctx,
      carrier,
      source: from.source,
      fingerprint: print,
      ports: ids,
      // In the literal, never assigned afterwards (a page setter on Object.prototype).
      sourceOrigin: from.sourceOrigin,
    } as Extract<Fact, { kind: 'carrier-received' }>;
    rt.emitter.emit(fact);
  });
}

/** The runtime's own capture listener for carrier messages arriving at `target`. */
export function observeCarrier(rt: Runtime, target: object, carrier: CarrierKind, source: CarrierSource): void {
  apply(nativeAddEventListener, target, ['message', bind(carrierArrived, undefined, rt, carrier, source), true]);
}

/** What window.postMessage's replacement is installed with. */
interface WindowPatch {
  rt: Runtime;
  /** The native's source text: the realm bridge performs only a genuine native postMessage. */
  nativeText: string;
}

/**
 * window.postMessage: its `event.source` (and the meaning of targetOrigin "/") come from the
 * *incumbent* realm, the topmost script frame. A replacement living in the target window's
 * realm would become that frame when another realm calls it (measured in Chromium 156 and
 * Firefox 153; conformance "window: event.source and origin across same-origin realms"), so a
 * call from another realm is handed to that realm's runtime, which records and performs it
 * (realm.ts). A caller realm without a runtime gets the native called from here.
 */
function windowPostMessage({ rt }: WindowPatch, native: NativeFn, self: unknown, args: unknown[]): unknown {
  const caller = getPrototypeOf(args) as object | null;
  if (caller !== OwnArrayPrototype) {
    const bridge = bridgeOf(caller);
    return bridge ? bridge.post(native, self, args) : apply(native, self, args);
  }
  return windowPost(rt, native, self, args);
}

/** Where a window message came from: the source's frame path and the origin. */
function windowSource(rt: Runtime, event: Event): { source: string; sourceOrigin?: string } {
  const origin = messageEventOrigin(event) as string;
  return { source: framePathOf(messageEventSource(event), rt.global.top), sourceOrigin: origin };
}

/**
 * The realm bridge's post (realm.ts). The bridge key is no secret: page code calling the bridge
 * must not make it record a post that did not happen, so only a genuine native postMessage is performed.
 */
function bridgedWindowPost(patch: WindowPatch, native: unknown, self: unknown, args: unknown[]): unknown {
  return typeof native === 'function' && apply(functionToString, native, []) === patch.nativeText
    ? windowPost(patch.rt, native as NativeFn, self, args)
    : undefined;
}

function patchWindowCarriers(rt: Runtime): void {
  const g = rt.global;
  const holder = holderOf(g, 'postMessage');
  if (holder) {
    const patch: WindowPatch = { rt, nativeText: '' };
    const native = replaceMethod(holder, 'postMessage', windowPostMessage, patch);
    if (native) patch.nativeText = apply(functionToString, native, []) as string;
    offerBridge({ post: bind(bridgedWindowPost, undefined, patch) });
  }
  observeCarrier(rt, g, 'window', bind(windowSource, undefined, rt));
}

/** self.close() in a worker: the last chance to hand over what is buffered. */
function workerClose(rt: Runtime, native: NativeFn, self: unknown, args: unknown[]): unknown {
  const result = apply(native, self, args);
  guarded(rt, 'worker-close', () => {
    rt.emitter.emit({ kind: 'context-destroyed', ctx: rt.ctx, reason: 'close' });
    rt.emitter.flush();
  });
  return result;
}

/** A dedicated worker's global (in-worker instrumentation): its postMessage to the parent and its arrivals. */
function patchWorkerGlobalPost(rt: Runtime): void {
  const g = rt.global;
  const holder = holderOf(g, 'postMessage');
  if (holder) replaceMethod(holder, 'postMessage', sequenceOrOptionsPost, { rt, carrier: 'worker', target: 'parent' });
  observeCarrier(rt, g, 'worker', () => ({ source: 'parent' }));
}

/** A dedicated or shared worker's global: a shared worker's `connect`, and self.close(). */
function patchWorkerGlobalEnd(rt: Runtime, contextKind: string): void {
  const g = rt.global;
  if (contextKind === 'sharedworker') {
    // Inside a shared worker (in-worker instrumentation): each connecting client's port is first seen in `connect`.
    apply(nativeAddEventListener, g, [
      'connect',
      (event: Event) =>
        guarded(rt, 'observe-connect', () => {
          if (!eventIsTrusted(event)) return;
          const ports = messageEventPorts(event) as readonly object[];
          for (let i = 0; i < ports.length; i++) seePort(rt, ports[i], 'sharedworker');
        }),
      true,
    ]);
  }
  const closeHolder = holderOf(g, 'close');
  if (closeHolder) replaceMethod(closeHolder, 'close', workerClose, rt);
}

function workerTerminate(rt: Runtime, native: NativeFn, self: unknown, args: unknown[]): unknown {
  const result = apply(native, self, args);
  guarded(rt, 'worker-terminated', () => {
    const id = weakMapGet(workers, self) as number | undefined;
    if (id !== undefined) rt.emitter.emit({ kind: 'worker-terminated', ctx: rt.ctx, worker: id });
  });
  return result;
}

/** A Worker object was constructed (worker-spawn.ts): its id, its fact, and the runtime's listener on it. */
function workerConstructed(rt: Runtime, worker: object, args: unknown[], childCtx: string | undefined): void {
  guarded(rt, 'worker-created', () => {
    const id = newWorkerId();
    weakMapSet(workers, worker, id);
    emitWorkerCreated(rt, id, 'worker', args, childCtx);
    observeCarrier(rt, worker, 'worker', () => ({ source: 'worker:' + id }));
  });
}

/** A SharedWorker object was constructed: its id, its fact, and its port seen. */
function sharedWorkerConstructed(rt: Runtime, worker: object, args: unknown[], childCtx: string | undefined): void {
  guarded(rt, 'sharedworker-created', () => {
    const id = newWorkerId();
    weakMapSet(workers, worker, id);
    emitWorkerCreated(rt, id, 'sharedworker', args, childCtx);
    seePort(rt, sharedWorkerPort!(worker) as object, 'sharedworker');
  });
}

/** Worker and SharedWorker objects: their construction, and a Worker's postMessage and terminate. */
function patchWorkerObjects(rt: Runtime): void {
  const g = rt.global;
  const workerProto = g.Worker?.prototype as object | undefined;
  if (workerProto) {
    replaceMethod(workerProto, 'postMessage', sequenceOrOptionsPost, { rt, carrier: 'worker', target: 'worker' });
    replaceMethod(workerProto, 'terminate', workerTerminate, rt);
    replaceWorkerConstructor(rt, g, 'Worker', bind(workerConstructed, undefined, rt));
  }
  if (g.SharedWorker && sharedWorkerPort)
    replaceWorkerConstructor(rt, g, 'SharedWorker', bind(sharedWorkerConstructed, undefined, rt));
}

/** The service-worker carriers' postMessage, each with the target its facts name. */
const SERVICE_WORKER_CARRIERS = ['ServiceWorker', 'Client'] as const;

export function patchCarriers(rt: Runtime, contextKind: string): void {
  const g = rt.global;
  if (contextKind === 'window' || contextKind === 'iframe') patchWindowCarriers(rt);
  else if (contextKind === 'worker') patchWorkerGlobalPost(rt);
  if (contextKind === 'serviceworker') observeServiceWorkerMessages(rt, g);
  else if (namesWorkers()) {
    // Only where workers are seen through the DevTools protocol (the recorder's Chromium); both
    // would return at once elsewhere, after being compiled at document_start for nothing.
    patchClientMessageQueue(rt);
    observeServiceWorkerContainer(rt, g);
  }
  if (contextKind === 'worker' || contextKind === 'sharedworker') patchWorkerGlobalEnd(rt, contextKind);
  patchWorkerObjects(rt);
  for (let i = 0; i < SERVICE_WORKER_CARRIERS.length; i++) {
    const target = SERVICE_WORKER_CARRIERS[i];
    const proto = g[target]?.prototype as object | undefined;
    if (proto) replaceMethod(proto, 'postMessage', sequenceOrOptionsPost, { rt, carrier: 'serviceworker', target });
  }
}

function emitWorkerCreated(
  rt: Runtime,
  id: number,
  workerKind: 'worker' | 'sharedworker',
  args: unknown[],
  childCtx: string | undefined,
): void {
  const fact = {
    kind: 'worker-created',
    ctx: rt.ctx,
    worker: id,
    workerKind,
    url: scriptUrl(rt, args[0]),
    module: isModule(args[1]),
  } as Extract<Fact, { kind: 'worker-created' }>;
  if (childCtx !== undefined) fact.childCtx = childCtx;
  rt.emitter.emit(fact);
}
