/**
 * The client message queue of `navigator.serviceWorker` (Service Workers, ServiceWorkerContainer):
 * where the messages a service worker posts to this client (`Client#postMessage`) wait. It is
 * disabled until `startMessages()` is called or `onmessage` is set for the first time; a
 * document also enables it itself once it has fired DOMContentLoaded (HTML, "the end"). The
 * runtime reports the first enabling of each container, and how (`client-message-queue-enabled`),
 * so the model can tell a queue that was provably never enabled from one it knows nothing about.
 */
import type { Fact } from '../protocol/facts.ts';
import { wrapNative, recaptureFromTrap, replaceValue } from './disguise.ts';
import {
  G,
  NativeWeakMap,
  apply,
  defineProperty,
  eventIsTrusted,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  nativeAddEventListener,
  weakMapGet,
  weakMapSet,
} from './natives.ts';
import type { Runtime } from './runtime.ts';
import { guarded } from './guard.ts';

type How = Extract<Fact, { kind: 'client-message-queue-enabled' }>['how'];

const documentReadyState = G.Document?.prototype
  ? getOwnPropertyDescriptor(G.Document.prototype, 'readyState')?.get
  : undefined;

/** Containers whose queue this runtime saw enabled (a realm has one; another realm's may be passed in). */
const enabled = new NativeWeakMap<object, true>();
/** This context's own queue was reported enabled (by any of the three ways). */
let reported = false;

function report(rt: Runtime, how: How): void {
  if (reported) return;
  reported = true;
  rt.emitter.emit({ kind: 'client-message-queue-enabled', ctx: rt.ctx, how });
}

/** The native's own TypeError (a receiver that is no container) without the runtime's frames. */
function callNative(native: (...a: unknown[]) => unknown, self: unknown, args: unknown[]): unknown {
  try {
    return apply(native, self, args);
  } catch (e) {
    recaptureFromTrap(e);
    throw e;
  }
}

function enabledBy(rt: Runtime, proto: object, self: unknown, how: How): void {
  guarded(rt, 'client-message-queue', () => {
    if (typeof self !== 'object' || self === null || weakMapGet(enabled, self) !== undefined) return;
    weakMapSet(enabled, self, true);
    // A container of another realm passed to this realm's method is not this context's queue
    // (a realm has one; the recorder knows it, elsewhere its prototype tells).
    if (self === ownContainer || (ownContainer === undefined && getPrototypeOf(self) === proto)) report(rt, how);
  });
}

let ownContainer: object | undefined;

/**
 * `startMessages()` and the `onmessage` setter, on every route: the native runs first and
 * unchanged; the getter stays the native function itself.
 */
export function patchClientMessageQueue(rt: Runtime): void {
  const proto = G.ServiceWorkerContainer?.prototype as object | undefined;
  if (!proto) return;
  replaceValue(proto, 'startMessages', (native) => (self, args) => {
    const result = callNative(native, self, args);
    enabledBy(rt, proto, self, 'startMessages');
    return result;
  });
  const d = getOwnPropertyDescriptor(proto, 'onmessage');
  if (!d || !d.get || !d.set) return;
  const nativeSet = d.set as (...a: unknown[]) => unknown;
  defineProperty(proto, 'onmessage', {
    get: d.get,
    // The spec enables the queue the first time the setter steps run, whatever the value.
    set: wrapNative(nativeSet, (self, args) => {
      const result = callNative(nativeSet, self, args);
      enabledBy(rt, proto, self, 'onmessage');
      return result;
    }),
    enumerable: d.enumerable,
    configurable: d.configurable,
  });
}

/**
 * The document's own rule, where the recorder watches the container (service-worker-carriers.ts):
 * enabled once DOMContentLoaded is dispatched. A runtime that arrives after that (readyState no
 * longer `loading`) takes the queue as enabled: the model then never calls it never started.
 */
export function watchDocumentRule(rt: Runtime, global: object, container: object): void {
  ownContainer = container;
  const doc = (global as { document?: object }).document;
  if (!doc || !documentReadyState) return;
  if (apply(documentReadyState, doc, []) !== 'loading') {
    report(rt, 'document');
    return;
  }
  apply(nativeAddEventListener, global, [
    'DOMContentLoaded',
    (event: Event) =>
      guarded(rt, 'client-message-queue', () => {
        if (eventIsTrusted(event)) report(rt, 'document');
      }),
    true,
  ]);
}
