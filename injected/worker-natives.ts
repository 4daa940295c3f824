/**
 * Built-ins only in-worker instrumentation uses, captured when the bundle evaluates (before
 * any page script), like natives.ts. Two exceptions in a window: `BroadcastChannel` and
 * `SecurityPolicyViolationEvent` are looked up only when in-worker instrumentation is first
 * used, because Firefox lists the globals a script resolved in the order it resolved them
 * (docs/firefox.md) and the default path must not name anything new. Inside a worker the
 * runtime runs before the page's script, so they are captured at once.
 */
import {
  G,
  apply,
  defineProperty,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  objectCreate,
  symbolIterator,
} from './natives.ts';

const NativeString = String;

export const NativeBlob: typeof Blob = G.Blob;
export const jsonStringify = JSON.stringify;
const nativeMapDelete = Map.prototype.delete;
export const mapDelete = (m: Map<unknown, unknown>, k: unknown): boolean => apply(nativeMapDelete, m, [k]) as boolean;
const URLCtor = G.URL;
const createObjectURLNative = URLCtor?.createObjectURL;
const revokeObjectURLNative = URLCtor?.revokeObjectURL;
export const createObjectURL = (blob: Blob): string => apply(createObjectURLNative, URLCtor, [blob]) as string;
export const revokeObjectURL = (url: string): void => {
  if (revokeObjectURLNative) apply(revokeObjectURLNative, URLCtor, [url]);
};
const originHolder = ((): object | undefined => {
  for (let p: object | null = G, depth = 0; p !== null && depth < 8; p = getPrototypeOf(p), depth++)
    if (getOwnPropertyDescriptor(p, 'origin')) return p;
  return undefined;
})();
const originGet = originHolder ? getOwnPropertyDescriptor(originHolder, 'origin')?.get : undefined;
/** This global's origin, through the captured getter (`self.origin` is replaceable by the page). */
export const globalOrigin = (): string => {
  try {
    return originGet ? NativeString(apply(originGet, G, [])) : '';
  } catch {
    return '';
  }
};
/** The Worker constructor and terminate(), before carriers.ts replaces them (the CSP probe uses them). */
export const NativeWorker: typeof Worker | undefined = G.Worker;
export const nativeWorkerTerminate: ((...a: unknown[]) => unknown) | undefined = G.Worker?.prototype.terminate;
const stopImmediate = G.Event?.prototype.stopImmediatePropagation;
export const stopImmediatePropagation = (event: object): void => {
  if (stopImmediate) apply(stopImmediate, event, []);
};
const urlOriginGet = URLCtor ? getOwnPropertyDescriptor(URLCtor.prototype, 'origin')?.get : undefined;
const urlProtocolGet = URLCtor ? getOwnPropertyDescriptor(URLCtor.prototype, 'protocol')?.get : undefined;
export const urlOrigin = (u: object): string => (urlOriginGet ? NativeString(apply(urlOriginGet, u, [])) : '');
export const urlProtocol = (u: object): string => (urlProtocolGet ? NativeString(apply(urlProtocolGet, u, [])) : '');

interface Late {
  BroadcastChannel?: typeof BroadcastChannel;
  broadcastPost?: (...a: unknown[]) => unknown;
  blockedURIGet?: (...a: unknown[]) => unknown;
}
let late: Late | undefined;
function lateNatives(): Late {
  if (late) return late;
  const BC = G.BroadcastChannel as typeof BroadcastChannel | undefined;
  const SPVE = G.SecurityPolicyViolationEvent?.prototype as object | undefined;
  late = {
    BroadcastChannel: BC,
    broadcastPost: BC?.prototype.postMessage,
    blockedURIGet: SPVE ? getOwnPropertyDescriptor(SPVE, 'blockedURI')?.get : undefined,
  };
  return late;
}
if (G.document === undefined) lateNatives();

export const nativeBroadcastChannel = (): typeof BroadcastChannel | undefined => lateNatives().BroadcastChannel;
export const broadcastPost = (): ((...a: unknown[]) => unknown) | undefined => lateNatives().broadcastPost;
export const canMakeBlobWorkers = (): boolean =>
  typeof createObjectURLNative === 'function' &&
  typeof NativeBlob === 'function' &&
  typeof lateNatives().BroadcastChannel === 'function';

/** `event.blockedURI` of a SecurityPolicyViolationEvent, or '' for any other event. */
export const violationBlockedURI = (event: object): string => {
  const get = lateNatives().blockedURIGet;
  if (!get) return '';
  try {
    return NativeString(apply(get, event, []));
  } catch {
    return '';
  }
};

/**
 * `new Blob([text], { type })` without touching page-reachable prototypes: the parts array
 * carries its own iterator (Array.prototype[@@iterator] and %ArrayIteratorPrototype%.next may
 * be page-patched by now) and the options dictionary has no prototype.
 */
export function textBlob(text: string): Blob {
  const parts = [text];
  defineProperty(parts, symbolIterator, {
    value: () => {
      let done = false;
      const iterator = objectCreate(null) as { next(): { value: string | undefined; done: boolean } };
      iterator.next = () => {
        if (done) return { __proto__: null, value: undefined, done: true } as never;
        done = true;
        return { __proto__: null, value: text, done: false } as never;
      };
      return iterator;
    },
  });
  const options = objectCreate(null) as BlobPropertyBag;
  options.type = 'text/javascript';
  return new NativeBlob(parts, options);
}
