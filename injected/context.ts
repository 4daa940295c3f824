/** Which kind of global the runtime runs in, and this context's random id. */
import type { ContextKind } from '../protocol/facts.ts';
import { cryptoGetRandomValues, mathFloor, numberToString } from './natives.ts';

export function contextKindOf(g: any): ContextKind {
  if (typeof g.DedicatedWorkerGlobalScope === 'function') return 'worker';
  if (typeof g.SharedWorkerGlobalScope === 'function') return 'sharedworker';
  if (typeof g.ServiceWorkerGlobalScope === 'function') return 'serviceworker';
  return g.top === g.window ? 'window' : 'iframe';
}

export function newContextId(): string {
  let id = '';
  if (cryptoGetRandomValues) {
    const bytes = cryptoGetRandomValues(new Uint8Array(10));
    for (let i = 0; i < bytes.length; i++) id += numberToString(bytes[i] + 256, 16).slice(1);
  } else {
    for (let i = 0; i < 20; i++) id += numberToString(mathFloor(Math.random() * 16), 16);
  }
  return id;
}
