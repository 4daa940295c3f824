/**
 * Every built-in the runtime uses, captured when the bundle evaluates — before any page
 * script — so a page that later patches prototypes (Array.prototype.push, JSON.stringify,
 * Function.prototype.call, EventTarget.prototype.addEventListener...) can neither break the
 * runtime nor see it work. After this module runs, the runtime never calls a method through
 * a page-reachable prototype: it calls these captured functions with `apply`.
 */
type AnyFn = (...args: any[]) => any;

const R = Reflect;
export const apply: (fn: AnyFn, self: unknown, args: ArrayLike<unknown>) => any = R.apply;
export const construct: (ctor: AnyFn, args: ArrayLike<unknown>, newTarget?: AnyFn) => any = R.construct as never;
export const getOwnPropertyDescriptor = R.getOwnPropertyDescriptor;
export const defineProperty = R.defineProperty;
export const ownKeys = R.ownKeys;
export const getPrototypeOf = R.getPrototypeOf;

const nativeCall = Function.prototype.call;
const nativeBind = Function.prototype.bind;

/**
 * `fn.call` without touching Function.prototype.call: the native `call` bound, now, to `fn`. A
 * bound function keeps the `call` it was made from, so a page patching Function.prototype.call
 * later changes nothing; and unlike a rest-parameter wrapper it allocates nothing per call (the
 * hot path calls these for every message, some per character).
 */
function uncurry<F extends AnyFn>(fn: F): (self: unknown, ...args: Parameters<F>) => ReturnType<F> {
  return apply(nativeBind, nativeCall, [fn]);
}

/**
 * `fn.bind(self, ...args)` through the captured native: a listener or callback made this way at
 * document_start is a module-level function with its state bound, not a closure in the body of a
 * function `install` calls, whose compilation would scan it (BENCHMARKS.md, "Startup, step 4").
 */
export const bind = uncurry(nativeBind) as unknown as <A extends unknown[], R>(
  fn: (...args: A) => R,
  self: unknown,
  ...args: unknown[]
) => (...rest: unknown[]) => R;

function getter(proto: object | undefined, key: PropertyKey): ((self: unknown) => any) | undefined {
  if (proto === undefined || proto === null) return undefined;
  const d = getOwnPropertyDescriptor(proto, key);
  const get = d && d.get;
  return get ? uncurry(get) : undefined;
}

/**
 * The global, found without naming `globalThis`: Firefox defines most globals lazily, and
 * `Object.getOwnPropertyNames(window)` lists the ones already resolved in the order they were
 * (docs/firefox.md), so every name the runtime touches before the page is a name out of place.
 */
export const G: any = typeof window !== 'undefined' ? window : typeof self !== 'undefined' ? self : globalThis;

export const objectCreate = Object.create;
/**
 * Whether a descriptor (or any runtime object) has `key` itself: a descriptor inherits from
 * Object.prototype, where a page's `value` or `get` would answer `'value' in d` and `d.get`.
 */
export const hasOwn = uncurry(Object.prototype.hasOwnProperty) as (o: unknown, key: PropertyKey) => boolean;
export const isArray = Array.isArray;
/** Enumerable own string keys: what structured serialization copies of an ordinary object. */
export const objectKeys = Object.keys;
export const setPrototypeOf = R.setPrototypeOf;
export const NativeWeakMap = WeakMap;
export const NativeMap = Map;
export const NativeError = Error;
export const NativeFinalizationRegistry: typeof FinalizationRegistry | undefined = G.FinalizationRegistry;
export const jsonStringify = JSON.stringify;
/** V8 only: re-captures an error's stack, cutting the frames above a given function. */
export const errorCaptureStackTrace: ((e: object, above: unknown) => void) | undefined =
  typeof (Error as any).captureStackTrace === 'function' ? (Error as any).captureStackTrace : undefined;
/** Firefox keeps `stack` as an accessor on Error.prototype; V8 as an own accessor of each error. */
export const errorStackGetter = getter(Error.prototype, 'stack');
export const finalizationRegister = G.FinalizationRegistry
  ? (uncurry(G.FinalizationRegistry.prototype.register) as (r: unknown, target: object, held: unknown) => void)
  : undefined;
export const mathFloor = Math.floor;
export const mathRandom = Math.random;
export const symbolIterator: typeof Symbol.iterator = Symbol.iterator;
export const symbolToStringTag: typeof Symbol.toStringTag = Symbol.toStringTag;

export const weakMapGet = uncurry(WeakMap.prototype.get) as (m: WeakMap<object, any>, k: unknown) => any;
export const weakMapSet = uncurry(WeakMap.prototype.set) as (m: WeakMap<object, any>, k: object, v: unknown) => void;
export const weakMapHas = uncurry(WeakMap.prototype.has) as (m: WeakMap<object, any>, k: unknown) => boolean;
export const weakMapDelete = uncurry(WeakMap.prototype.delete) as (m: WeakMap<object, any>, k: unknown) => boolean;
export const mapGet = uncurry(Map.prototype.get) as (m: Map<any, any>, k: unknown) => any;
export const mapSet = uncurry(Map.prototype.set) as (m: Map<any, any>, k: unknown, v: unknown) => void;
export const mapForEach = uncurry(Map.prototype.forEach) as (m: unknown, cb: (v: any, k: any) => void) => void;
export const setForEach = uncurry(Set.prototype.forEach) as (s: unknown, cb: (v: any) => void) => void;
export const mapSize = getter(Map.prototype, 'size')!;
export const setSize = getter(Set.prototype, 'size')!;
export const stringSlice = uncurry(String.prototype.slice) as (s: string, a: number, b?: number) => string;
export const stringIndexOf = uncurry(String.prototype.indexOf) as (s: string, x: string) => number;
export const stringSplit = uncurry(String.prototype.split) as unknown as (s: string, sep: string) => string[];
export const charCodeAt = uncurry(String.prototype.charCodeAt) as (s: string, i: number) => number;
/** Called as a plain function: it reads no `this`. */
export const stringFromCharCode = String.fromCharCode;
export const numberToString = uncurry(Number.prototype.toString) as (n: number, radix?: number) => string;
export const functionToString = Function.prototype.toString;
export const dateGetTime = uncurry(Date.prototype.getTime) as (d: unknown) => number;
export const numberValueOf = uncurry(Number.prototype.valueOf) as (x: unknown) => number;
export const stringValueOf = uncurry(String.prototype.valueOf) as (x: unknown) => string;
export const booleanValueOf = uncurry(Boolean.prototype.valueOf) as (x: unknown) => boolean;
export const bigintValueOf =
  typeof BigInt === 'function' ? (uncurry(BigInt.prototype.valueOf) as (x: unknown) => bigint) : undefined;
export const bigintToString =
  typeof BigInt === 'function' ? (uncurry(BigInt.prototype.toString) as (x: bigint) => string) : undefined;
export const regexpSource = getter(RegExp.prototype, 'source')!;
export const regexpFlagGetters: [string, (self: unknown) => boolean][] = [];
// Indexed, not for-of: iterating an array would resolve the global `Iterator` in Firefox.
const REGEXP_FLAGS = [
  ['d', 'hasIndices'],
  ['g', 'global'],
  ['i', 'ignoreCase'],
  ['m', 'multiline'],
  ['s', 'dotAll'],
  ['u', 'unicode'],
  ['v', 'unicodeSets'],
  ['y', 'sticky'],
] as const;
for (let i = 0; i < REGEXP_FLAGS.length; i++) {
  const g = getter(RegExp.prototype, REGEXP_FLAGS[i][1]);
  if (g) regexpFlagGetters[regexpFlagGetters.length] = [REGEXP_FLAGS[i][0], g];
}
const ErrorProto = Error.prototype;
/** Error.isError where the engine has it; else "Error.prototype is on the chain" (this realm only). */
export const errorIsError: (x: unknown) => boolean =
  typeof (Error as any).isError === 'function'
    ? (Error as any).isError
    : (x) => {
        for (let o = x, depth = 0; typeof o === 'object' && o !== null && depth < 16; depth++) {
          o = getPrototypeOf(o);
          if (o === ErrorProto) return true;
        }
        return false;
      };

export const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength')!;
export const sharedArrayBufferByteLength = getter(G.SharedArrayBuffer?.prototype, 'byteLength');
export const NativeUint8Array = Uint8Array;
const TypedArrayProto = getPrototypeOf(Uint8Array.prototype) as object;
export const typedArrayTag = getter(TypedArrayProto, symbolToStringTag)!;
export const typedArrayLength = getter(TypedArrayProto, 'length')!;
export const typedArrayByteLength = getter(TypedArrayProto, 'byteLength')!;
export const dataViewByteLength = getter(DataView.prototype, 'byteLength')!;
export const blobSize = getter(G.Blob?.prototype, 'size');
export const blobType = getter(G.Blob?.prototype, 'type');
export const fileName = getter(G.File?.prototype, 'name');
export const urlHref = getter(G.URL?.prototype, 'href');
export const NativeURL: typeof URL | undefined = G.URL;
/** The document base URL (`<base href>` aware); worker globals have no Node. */
export const nodeBaseURI = getter(G.Node?.prototype, 'baseURI');
export const workerLocationHref = getter(G.WorkerLocation?.prototype, 'href');

export const performanceNow: () => number = (() => {
  const perf = G.performance;
  const now = perf && perf.now;
  return now ? () => apply(now, perf, []) : () => 0;
})();
export const timeOrigin: number = G.performance ? G.performance.timeOrigin : 0;
export const nativeSetTimeout: AnyFn = G.setTimeout;
/**
 * The crypto object and its method, held now: a context id is also made after the page has run
 * (a worker constructed with in-worker instrumentation or worker naming on, worker-spawn.ts), when
 * `window.crypto` and `Crypto.prototype.getRandomValues` may be the page's own.
 */
const nativeCrypto: Crypto | undefined = G.crypto;
const nativeGetRandomValues: AnyFn | undefined = nativeCrypto ? nativeCrypto.getRandomValues : undefined;
export const cryptoGetRandomValues: ((a: Uint8Array) => Uint8Array) | undefined = nativeGetRandomValues
  ? (a) => apply(nativeGetRandomValues, nativeCrypto, [a])
  : undefined;

// --- DOM --------------------------------------------------------------------------------
const ET = G.EventTarget?.prototype;
export const nativeAddEventListener: AnyFn = ET.addEventListener;
export const nativeRemoveEventListener: AnyFn = ET.removeEventListener;
export const nativeDispatchEvent: AnyFn = ET.dispatchEvent;
const ME = G.MessageEvent?.prototype;
export const messageEventData = getter(ME, 'data')!;
export const messageEventPorts = getter(ME, 'ports')!;
export const messageEventSource = getter(ME, 'source')!;
export const messageEventOrigin = getter(ME, 'origin')!;
export const NativeMessageEvent: typeof MessageEvent | undefined = G.MessageEvent;
export const errorEventError = getter(G.ErrorEvent?.prototype, 'error');
export const pageTransitionPersisted = getter(G.PageTransitionEvent?.prototype, 'persisted');

/**
 * `isTrusted` is [LegacyUnforgeable]: an own, non-configurable accessor on every event, whose
 * getter is one function per realm that brand-checks its receiver. Taken once from an event of
 * our own, so a `message` event costs one call instead of a descriptor object per dispatch.
 */
// From a MessageEvent, already named here: naming `Event` would resolve one more Firefox global early (docs/firefox.md).
const isTrustedGet: ((event: unknown) => boolean) | undefined = (() => {
  try {
    const d = NativeMessageEvent
      ? getOwnPropertyDescriptor(construct(NativeMessageEvent as never, ['']), 'isTrusted')
      : undefined;
    return d?.get ? uncurry(d.get as () => boolean) : undefined;
  } catch {
    return undefined;
  }
})();

export function eventIsTrusted(event: object): boolean {
  if (isTrustedGet !== undefined) {
    try {
      return !!isTrustedGet(event);
    } catch {
      // Not an event of this realm's kind: the descriptor below says what it is.
    }
  }
  const d = getOwnPropertyDescriptor(event, 'isTrusted');
  return !!(d && d.get && apply(d.get, event, []));
}

export const NativeMessageChannel: typeof MessageChannel | undefined = G.MessageChannel;
const MP = G.MessagePort?.prototype;
export const nativePortPostMessage: AnyFn = MP?.postMessage;
export const nativePortStart: AnyFn = MP?.start;
export const nativePortClose: AnyFn = MP?.close;
export const messageChannelPort1 = getter(G.MessageChannel?.prototype, 'port1')!;
export const messageChannelPort2 = getter(G.MessageChannel?.prototype, 'port2')!;
const onmessageGet = getter(MP, 'onmessage');
/** Brand check: the native `onmessage` getter throws on anything but a MessagePort. */
export function isMessagePort(x: unknown): boolean {
  if (!onmessageGet || (typeof x !== 'object' && typeof x !== 'function') || x === null) return false;
  try {
    onmessageGet(x);
    return true;
  } catch {
    return false;
  }
}
export const sharedWorkerPort = getter(G.SharedWorker?.prototype, 'port');

const DE = G.DOMException?.prototype;
export const domExceptionName = getter(DE, 'name');
export const domExceptionMessage = getter(DE, 'message');

/** byteLength of an ArrayBuffer, or undefined for anything else (no page code runs). */
export function probeByteLength(x: unknown): number | undefined {
  try {
    return arrayBufferByteLength(x) as number;
  } catch {
    return undefined;
  }
}

// --- Array iteration, as a sequence conversion sees it (injected/array-like.ts) ------------
export const NativeProxy = Proxy;
/** %Array.prototype.values%, which is also Array.prototype[@@iterator]. */
export const arrayValues: AnyFn = Array.prototype.values;
export const ArrayPrototype: object = Array.prototype;
