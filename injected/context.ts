/** Which kind of global the runtime runs in, and this context's random id. */
import type { ContextKind } from '../protocol/facts.ts';
import {
  NativeUint8Array,
  cryptoGetRandomValues,
  mathFloor,
  mathRandom,
  numberToString,
  stringSlice,
} from './natives.ts';

export function contextKindOf(g: any): ContextKind {
  if (typeof g.DedicatedWorkerGlobalScope === 'function') return 'worker';
  if (typeof g.SharedWorkerGlobalScope === 'function') return 'sharedworker';
  if (typeof g.ServiceWorkerGlobalScope === 'function') return 'serviceworker';
  return g.top === g.window ? 'window' : 'iframe';
}

/**
 * Also called after the page has run (worker-spawn.ts, worker-protocol.ts, worker-inbox.ts): only
 * captured built-ins, so no page replacement of `Uint8Array`, `crypto` or `String.prototype.slice`
 * runs or sees the call.
 */
export function newContextId(): string {
  let id = '';
  if (cryptoGetRandomValues) {
    const bytes = cryptoGetRandomValues(new NativeUint8Array(10));
    for (let i = 0; i < 10; i++) id += stringSlice(numberToString(bytes[i] + 256, 16), 1);
  } else {
    for (let i = 0; i < 20; i++) id += numberToString(mathFloor(mathRandom() * 16), 16);
  }
  return id;
}
