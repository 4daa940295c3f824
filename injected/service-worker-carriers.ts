/**
 * Service-worker carrier messages as they arrive, so the model can follow ports handed to and
 * from a service worker:
 *  - inside the service worker, `message` on its global: ExtendableMessageEvents, whose `data`
 *    and `ports` are their own getters (MessageEvent's would throw on them);
 *  - in a document or a worker, `message` on `navigator.serviceWorker` (the client message
 *    queue), only when workers are seen through the DevTools protocol (the recorder's Chromium):
 *    reading `navigator.serviceWorker` at document_start creates the container, which a page
 *    could tell in Firefox (a lazily resolved global), so the extension does not.
 */
import type { Fact } from '../protocol/facts.ts';
import {
  G,
  apply,
  eventIsTrusted,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  messageEventData,
  messageEventPorts,
  nativeAddEventListener,
} from './natives.ts';
import { namesWorkers } from './worker-protocol.ts';
import { receivePorts } from './observe.ts';
import { fingerprint } from './preview.ts';
import type { Runtime } from './runtime.ts';
import { guarded } from './guard.ts';
import { followContainer } from './client-message-queue.ts';

const proto = G.ExtendableMessageEvent?.prototype as object | undefined;
const clientProto = G.Client?.prototype as object | undefined;
const clientUrlGet = clientProto ? getOwnPropertyDescriptor(clientProto, 'url')?.get : undefined;
const clientTypeGet = clientProto ? getOwnPropertyDescriptor(clientProto, 'type')?.get : undefined;
/** A URL past the contract's bound for one string (protocol LIMITS.string) is left out: the client is then unknown. */
const MAX_URL = 65_536;

/**
 * Which client a service worker's `Client#postMessage` went to, read through the natives'
 * getters (no page code runs): the model matches its URL with a document seen from inside.
 */
export function clientTarget(
  client: unknown,
): { clientUrl: string; clientType: 'window' | 'worker' | 'sharedworker' } | undefined {
  if (!clientUrlGet || !clientTypeGet) return undefined;
  try {
    const clientUrl = apply(clientUrlGet, client, []) as string;
    const clientType = apply(clientTypeGet, client, []) as 'window' | 'worker' | 'sharedworker';
    return clientUrl.length <= MAX_URL ? { clientUrl, clientType } : undefined;
  } catch {
    return undefined;
  }
}
const dataGet = proto ? getOwnPropertyDescriptor(proto, 'data')?.get : undefined;
const portsGet = proto ? getOwnPropertyDescriptor(proto, 'ports')?.get : undefined;

export function observeServiceWorkerMessages(rt: Runtime, global: object): void {
  if (!dataGet || !portsGet) return;
  apply(nativeAddEventListener, global, [
    'message',
    (event: Event) =>
      guarded(rt, 'observe-serviceworker-message', () => {
        if (!eventIsTrusted(event)) return;
        const ports = apply(portsGet, event, []) as readonly object[];
        const print = fingerprint(apply(dataGet, event, []), true);
        const ids = ports.length ? receivePorts(rt, ports, { carrier: 'serviceworker', fingerprint: print }) : [];
        rt.emitter.emit({
          kind: 'carrier-received',
          ctx: rt.ctx,
          carrier: 'serviceworker',
          source: 'client',
          fingerprint: print,
          ports: ids,
        } as Extract<Fact, { kind: 'carrier-received' }>);
      }),
    true,
  ]);
}

/** The getter of `key` on `o` or its prototypes (a data property or none: undefined). */
function getterOf(o: object, key: string): (() => unknown) | undefined {
  for (let p: object | null = o, depth = 0; p !== null && depth < 8; p = getPrototypeOf(p), depth++) {
    const d = getOwnPropertyDescriptor(p, key);
    if (d) return d.get;
  }
  return undefined;
}

/** This context's `navigator.serviceWorker`, read through the natives' getters; undefined where there is none. */
function containerOf(global: object): object | undefined {
  try {
    const navigatorGet = getterOf(global, 'navigator');
    const navigator = navigatorGet ? apply(navigatorGet, global, []) : undefined;
    const containerGet =
      typeof navigator === 'object' && navigator !== null ? getterOf(navigator, 'serviceWorker') : undefined;
    const container = containerGet ? apply(containerGet, navigator, []) : undefined;
    return typeof container === 'object' && container !== null ? container : undefined;
  } catch {
    // An opaque origin refuses service workers: there is no client message queue to watch.
    return undefined;
  }
}

/** The client side (recorder only): messages a service worker posts to this document or worker. */
export function observeServiceWorkerContainer(rt: Runtime, global: object): void {
  if (!namesWorkers()) return;
  followContainer(
    rt,
    global,
    () => containerOf(global),
    (container) =>
      apply(nativeAddEventListener, container, [
        'message',
        (event: Event) =>
          guarded(rt, 'observe-serviceworker-client', () => {
            if (!eventIsTrusted(event)) return;
            const ports = messageEventPorts(event) as readonly object[];
            const print = fingerprint(messageEventData(event), true);
            const ids = ports.length ? receivePorts(rt, ports, { carrier: 'serviceworker', fingerprint: print }) : [];
            rt.emitter.emit({
              kind: 'carrier-received',
              ctx: rt.ctx,
              carrier: 'serviceworker',
              source: 'ServiceWorker',
              fingerprint: print,
              ports: ids,
            } as Extract<Fact, { kind: 'carrier-received' }>);
          }),
        true,
      ]),
  );
}
