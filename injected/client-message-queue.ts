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
  apply,
  defineProperty,
  eventIsTrusted,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  nativeAddEventListener,
} from './natives.ts';
import type { Runtime } from './runtime.ts';
import { guarded } from './guard.ts';
import { documentUrl, isPlaceholderUrl } from './document-url.ts';
import { namesWorkers } from './worker-protocol.ts';

type How = Extract<Fact, { kind: 'client-message-queue-enabled' }>['how'];

/**
 * `document.readyState` through the native getter found on the document's prototypes, read at
 * install, before any page script (naming `Document` at module load would define that lazily
 * resolved global in Firefox, where this module runs too).
 */
function readyStateOf(doc: object): unknown {
  for (let p: object | null = getPrototypeOf(doc), depth = 0; p !== null && depth < 8; p = getPrototypeOf(p), depth++) {
    const d = getOwnPropertyDescriptor(p, 'readyState');
    if (d) return d.get ? apply(d.get, doc, []) : undefined;
  }
  return undefined;
}

/** This context's own queue was reported enabled (by any of the three ways). */
let reported = false;
/** The container the recorder watches (followContainer); until then a container's prototype tells whether it is this realm's. */
let watched: object | undefined;
let watchFirstOwn: ((container: object) => void) | undefined;

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
    if (typeof self !== 'object' || self === null) return;
    // A container of another realm passed to this realm's method is not this context's queue.
    if (watched !== undefined ? self !== watched : getPrototypeOf(self) !== proto) return;
    watchFirstOwn?.(self);
    report(rt, how);
  });
}

/**
 * `startMessages()` and the `onmessage` setter, where the recorder watches the container (its
 * Chromium): the native runs first and unchanged; the getter stays the native function itself.
 * Not in the extension, where the service worker is not seen from inside (nothing to pair
 * these facts with), and where naming `ServiceWorkerContainer` at document start would define
 * that lazily resolved global in Firefox, out of its native place (docs/firefox.md).
 */
export function patchClientMessageQueue(rt: Runtime): void {
  if (!namesWorkers()) return;
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
 * Where the recorder watches the container (service-worker-carriers.ts): `watch` is handed this
 * context's container, and the document's own rule is reported — enabled once DOMContentLoaded
 * is dispatched; a runtime that arrives after that (readyState no longer `loading`) takes the
 * queue as enabled, so the model never calls it never started.
 * A frame's initial `about:blank` is not asked for its container: the real document reuses its
 * Window, and a container made for the placeholder never resolves the real document's
 * `navigator.serviceWorker.ready` (measured, Chromium 156). There the container is taken at
 * the real document's DOMContentLoaded, or when the page first starts it, whichever is first:
 * until then its queue is disabled, so nothing can be dispatched from it unseen.
 */
export function followContainer(
  rt: Runtime,
  global: object,
  readContainer: () => object | undefined,
  watch: (container: object) => void,
): void {
  const start = (container: object) => {
    watched = container;
    watchFirstOwn = undefined;
    watch(container);
  };
  const doc = (global as { document?: object }).document;
  if (!isPlaceholderUrl(documentUrl(global))) {
    const container = readContainer();
    if (!container) return;
    start(container);
    if (!doc) return;
    if (readyStateOf(doc) !== 'loading') {
      report(rt, 'document');
      return;
    }
  } else {
    if (!doc) return;
    watchFirstOwn = start;
  }
  apply(nativeAddEventListener, global, [
    'DOMContentLoaded',
    (event: Event) =>
      guarded(rt, 'client-message-queue', () => {
        if (!eventIsTrusted(event)) return;
        if (watched === undefined) {
          if (isPlaceholderUrl(documentUrl(global))) return;
          const container = readContainer();
          if (!container) return;
          start(container);
        }
        report(rt, 'document');
      }),
    true,
  ]);
}
