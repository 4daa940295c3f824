/**
 * Inside a service worker: carrier messages arrive as `message` on its global, and they are
 * ExtendableMessageEvents, whose `data` and `ports` are their own getters (MessageEvent's would
 * throw on them). Ports that come with them are received here like ports from any carrier, so
 * the model can follow a port handed to the service worker (`ServiceWorker#postMessage`) into it.
 */
import type { Fact } from '../protocol/facts.ts';
import { G, apply, eventIsTrusted, getOwnPropertyDescriptor, nativeAddEventListener } from './natives.ts';
import { receivePorts } from './observe.ts';
import { fingerprint } from './preview.ts';
import type { Runtime } from './runtime.ts';
import { guarded } from './guard.ts';

const proto = G.ExtendableMessageEvent?.prototype as object | undefined;
const dataGet = proto ? getOwnPropertyDescriptor(proto, 'data')?.get : undefined;
const portsGet = proto ? getOwnPropertyDescriptor(proto, 'ports')?.get : undefined;

export function observeServiceWorkerMessages(rt: Runtime, global: object): void {
  if (!dataGet || !portsGet) return;
  apply(nativeAddEventListener, global, [
    'message',
    (event: Event) => guarded(rt, 'observe-serviceworker-message', () => {
      if (!eventIsTrusted(event)) return;
      const ports = apply(portsGet, event, []) as readonly object[];
      const print = fingerprint(apply(dataGet, event, []), true);
      const ids = ports.length ? receivePorts(rt, ports, { carrier: 'serviceworker', fingerprint: print }) : [];
      rt.emitter.emit({ kind: 'carrier-received', ctx: rt.ctx, carrier: 'serviceworker', source: 'client', fingerprint: print, ports: ids } as Extract<Fact, { kind: 'carrier-received' }>);
    }),
    true,
  ]);
}
