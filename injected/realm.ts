/**
 * The realm bridge: same-origin windows share one agent, and a call may come from another
 * realm's script — `frame.contentWindow.postMessage(msg, '*', [port])` runs the *iframe's*
 * postMessage on behalf of the parent. Such a call is recorded, and performed, by the runtime
 * of the realm that made it: its own ids, its own ctx, and its own function as the topmost
 * script, so the incumbent realm (event.source, targetOrigin "/") stays the caller's.
 *
 * No global is needed to reach the other runtime: every runtime disguises its realm's
 * Function.prototype.toString (disguise.ts); called with `this` === the bridge key, that
 * wrapper answers the runtime's bridge function. The key is made of a secret the relay hands
 * over with the handshake (content/realm-secret.ts: random, shared by the relays of same-origin
 * documents, never in page-readable text); the extension's runtime has no key until then (the
 * build's nonce is public), and the recorder's standalone runtime, where no relay runs, keeps one
 * made of the build's nonce. Any other receiver reaches the native
 * exactly as before. The caller's realm is told by the arguments array itself: a Proxy's
 * [[Call]] creates it in the caller's current realm (measured in Chromium 156 and Firefox 153).
 */
import {
  hasOwn,
  NativeWeakMap,
  apply,
  functionToString,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  stringIndexOf,
  weakMapGet,
  weakMapSet,
} from './natives.ts';

declare const __PORTSCOPE_NONCE__: string;

/** Undefined: this runtime neither answers nor finds another realm's. */
let bridgeKey: string | undefined =
  'portscope-realm-' + (typeof __PORTSCOPE_NONCE__ === 'string' ? __PORTSCOPE_NONCE__ : 'dev');

/** The relay's secret replaces the build's nonce (once: only the relay's first word counts). */
let keyed = false;
export function keyBridge(secret: string): void {
  if (keyed) return;
  keyed = true;
  bridgeKey = 'portscope-realm-' + secret;
}

/**
 * The extension's runtime: no key until the relay's secret, so a runtime whose relay hands none
 * (an offer taken after the relay's task) answers nobody rather than the public nonce.
 */
export function awaitBridgeKey(): void {
  if (!keyed) bridgeKey = undefined;
}

/** What one realm's runtime does for another realm of the same agent. */
export interface Bridge {
  /** Performs a window.postMessage for a call made from this realm. */
  post(native: (...a: unknown[]) => unknown, target: unknown, args: unknown[]): unknown;
}

let answer: Bridge | undefined;

export function offerBridge(part: Partial<Bridge>): void {
  answer = { ...(answer as Bridge), ...part } as Bridge;
}

/** What the disguised toString answers to the secret receiver (undefined: not a bridge call). */
export function bridgeAnswer(self: unknown): Bridge | undefined {
  return bridgeKey !== undefined && self === bridgeKey ? answer : undefined;
}

export const OwnArrayPrototype: object = Array.prototype;
const known = new NativeWeakMap<object, Bridge>();

const dataValue = (o: object, key: PropertyKey): unknown => {
  const d = getOwnPropertyDescriptor(o, key);
  return d && hasOwn(d, 'value') ? d.value : undefined;
};

/**
 * The bridge of the realm whose Array.prototype is `arrayPrototype`, or undefined when that
 * realm runs no runtime of this build. Only a function that renders as native code (a
 * disguised wrapper does) is ever called: a page-written toString never runs.
 */
export function bridgeOf(arrayPrototype: object | null): Bridge | undefined {
  if (arrayPrototype === null || bridgeKey === undefined) return undefined;
  const cached = weakMapGet(known, arrayPrototype) as Bridge | undefined;
  if (cached) return cached;
  try {
    const ctor = dataValue(arrayPrototype, 'constructor');
    if (typeof ctor !== 'function') return undefined;
    const nativeToString = dataValue(getPrototypeOf(ctor) as object, 'toString');
    if (typeof nativeToString !== 'function') return undefined;
    if (stringIndexOf(apply(functionToString, nativeToString, []) as string, '[native code]') < 0) return undefined;
    const bridge = apply(nativeToString as () => unknown, bridgeKey, []) as Bridge | undefined;
    if (typeof bridge !== 'object' || bridge === null || typeof bridge.post !== 'function') return undefined;
    weakMapSet(known, arrayPrototype, bridge);
    return bridge as Bridge;
  } catch {
    // A native toString throws for a string receiver: that realm has no runtime.
    return undefined;
  }
}
