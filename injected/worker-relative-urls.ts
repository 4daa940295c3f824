/**
 * Inside an in-worker instrumented worker (it runs from a bootstrap blob: URL), every API
 * that resolves a relative URL against the worker's API base URL is made to resolve it
 * against the original script URL, as it would natively: `self.location`'s parts, `fetch`,
 * `new Request`, `XMLHttpRequest#open`, `importScripts`, `new EventSource`, `new WebSocket`.
 * Nested `new Worker` / `new SharedWorker` are resolved in worker-spawn.ts. Only string
 * arguments are rewritten: a URL object is absolute already, and converting any other object
 * ourselves would run page code (its toString) an extra time.
 * What stays observable is listed in docs/in-worker.md.
 */
import { againstApiBase, copyArguments, setApiBase } from './worker-api-base.ts';
import { replaceAccessor, replaceValue, wrapNative, type NativeFn } from './disguise.ts';
import {
  hasOwn,
  NativeURL,
  apply,
  construct,
  defineProperty,
  getOwnPropertyDescriptor,
  getPrototypeOf,
} from './natives.ts';

/** WorkerLocation parts, read from the original URL with the captured URL getters. */
const LOCATION_PARTS = ['href', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const;

function holderOf(o: object, key: string): object | undefined {
  for (let p: object | null = o, depth = 0; p !== null && depth < 8; p = getPrototypeOf(p), depth++) {
    if (getOwnPropertyDescriptor(p, key)) return p;
  }
  return undefined;
}

function rewriteFirst(args: unknown[]): unknown[] {
  if (args.length === 0) return args;
  const out = copyArguments(args);
  out[0] = againstApiBase(out[0]);
  return out;
}

/** Replaces a constructor so its first argument resolves against the original URL. */
function replaceConstructorResolving(holder: object, key: string): void {
  const d = getOwnPropertyDescriptor(holder, key);
  if (!d || !hasOwn(d, 'value') || typeof d.value !== 'function') return;
  const Native = d.value as NativeFn;
  const replacement = wrapNative(
    Native,
    (self, args) => apply(Native, self, args),
    (args, newTarget) => construct(Native as never, rewriteFirst(args), newTarget as never) as object,
  );
  const proto = (Native as unknown as { prototype?: object }).prototype;
  const ctor = proto && getOwnPropertyDescriptor(proto, 'constructor');
  if (proto && ctor && ctor.value === Native)
    defineProperty(proto, 'constructor', {
      value: replacement,
      writable: ctor.writable,
      enumerable: ctor.enumerable,
      configurable: ctor.configurable,
    });
  defineProperty(holder, key, {
    value: replacement,
    writable: d.writable,
    enumerable: d.enumerable,
    configurable: d.configurable,
  });
}

function patchLocation(g: { WorkerLocation?: { prototype: object } }, original: string): void {
  const proto = g.WorkerLocation?.prototype;
  if (!proto || !NativeURL) return;
  const url = construct(NativeURL as never, [original]) as object;
  const parts: Record<string, string> = {};
  for (const key of LOCATION_PARTS) {
    const get = getOwnPropertyDescriptor(NativeURL.prototype, key)?.get;
    if (get) parts[key] = apply(get, url, []) as string;
  }
  for (const key of LOCATION_PARTS) {
    if (parts[key] === undefined) continue;
    const value = parts[key];
    // The native getter still runs first: its brand check throws for a foreign receiver.
    replaceAccessor(
      proto,
      key,
      (get) => (self, args) => {
        apply(get, self, args);
        return value;
      },
      (set) => (self, args) => apply(set, self, args),
    );
  }
  replaceValue(proto, 'toString', (native) => (self, args) => {
    apply(native, self, args);
    return parts.href;
  });
}

export function resolveAgainstOriginal(g: any, original: string): void {
  setApiBase(original);
  patchLocation(g, original);
  const fetchHolder = holderOf(g, 'fetch');
  if (fetchHolder)
    replaceValue(fetchHolder, 'fetch', (native) => (self, args) => apply(native, self, rewriteFirst(args)));
  const importHolder = holderOf(g, 'importScripts');
  if (importHolder) {
    replaceValue(importHolder, 'importScripts', (native) => (self, args) => {
      const out = copyArguments(args);
      for (let i = 0; i < out.length; i++) out[i] = againstApiBase(out[i]);
      return apply(native, self, out);
    });
  }
  const xhr = g.XMLHttpRequest?.prototype as object | undefined;
  if (xhr) {
    replaceValue(xhr, 'open', (native) => (self, args) => {
      if (args.length < 2) return apply(native, self, args);
      const out = copyArguments(args);
      out[1] = againstApiBase(out[1]);
      return apply(native, self, out);
    });
  }
  for (const key of ['Request', 'EventSource', 'WebSocket'] as const)
    if (typeof g[key] === 'function') replaceConstructorResolving(g, key);
}
