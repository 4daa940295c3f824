/**
 * A patched function must be indistinguishable from the native it replaces. Each replacement
 * is a Proxy of the native itself with only an `apply` (or `construct`) trap: name, length,
 * own keys, descriptors, prototype chain, extensibility and constructor-ness are the native's,
 * and engine messages that render the function ("... is not a constructor") render the
 * native. `Function.prototype.toString` (itself replaced the same way) answers the native's
 * source text for every replacement, including for itself.
 * Trap handlers have a null prototype: a page property on Object.prototype must never become a trap.
 */
import { bridgeAnswer } from './realm.ts';
import {
  hasOwn,
  NativeError,
  NativeWeakMap,
  apply,
  construct,
  defineProperty,
  errorCaptureStackTrace,
  getOwnPropertyDescriptor,
  weakMapGet,
  weakMapSet,
} from './natives.ts';

const originals = new NativeWeakMap<object, object>();
const NativeProxy = Proxy;

export type OnApply = (self: unknown, args: unknown[]) => unknown;
export type OnConstruct = (args: unknown[], newTarget: object) => object;

/**
 * Every page call into a replacement passes through this named frame: call sites (site.ts)
 * keep only the frames below it, whatever the script URL (an init script has none).
 */
export const BOUNDARY = 'portscopeBoundary';
const boundary = {
  [BOUNDARY]<A, B, R>(f: (a: A, b: B) => R, a: A, b: B): R {
    return f(a, b);
  },
}[BOUNDARY];

const applyHooks = new NativeWeakMap<object, OnApply>();
const constructHooks = new NativeWeakMap<object, OnConstruct>();

/**
 * The one `apply` and one `construct` trap of every replacement (the hook is found by target),
 * so an error raised by a native inside a replacement can have the runtime's frames cut from
 * its stack at exactly this frame (hideRuntimeFrames).
 */
export const applyTrap = function (target: object, self: unknown, args: unknown[]): unknown {
  return boundary(weakMapGet(applyHooks, target) as OnApply, self, args);
};
const constructTrap = function (target: object, args: unknown[], newTarget: object): object {
  return boundary(weakMapGet(constructHooks, target) as OnConstruct, args, newTarget);
};

/**
 * Re-captures the stack of an error a native raised inside a replacement from the trap down,
 * so that it carries the page's frames only, as natively. Only for an error that is certainly
 * the native's own (a failed receiver check precedes any page code; a DataCloneError). Not
 * while the page has an Error.prepareStackTrace: it would see the call.
 */
export function recaptureFromTrap(e: unknown): void {
  if (!errorCaptureStackTrace || typeof e !== 'object' || e === null) return;
  if (getOwnPropertyDescriptor(NativeError, 'prepareStackTrace') !== undefined) return;
  errorCaptureStackTrace(e, applyTrap);
}

/**
 * A Proxy of `native` whose calls go to `onApply` (and `new` to `onConstruct`, when given).
 * Without `onApply` a call reaches the native directly, with no runtime frame on the stack.
 */
export function wrapNative<T extends object>(native: T, onApply: OnApply | undefined, onConstruct?: OnConstruct): T {
  const handler = { __proto__: null } as unknown as ProxyHandler<T> & { apply?: unknown; construct?: unknown };
  if (onApply) {
    weakMapSet(applyHooks, native, onApply);
    handler.apply = applyTrap;
  }
  if (onConstruct) {
    weakMapSet(constructHooks, native, onConstruct);
    handler.construct = constructTrap;
  }
  const proxy = new NativeProxy(native, handler);
  weakMapSet(originals, proxy, native);
  return proxy;
}

/** Replaces a method (a data property), keeping its attributes. Returns the native, or undefined. */
export function replaceValue(
  target: object,
  key: PropertyKey,
  onApply: (native: (...a: unknown[]) => unknown) => OnApply,
): ((...a: unknown[]) => unknown) | undefined {
  const d = getOwnPropertyDescriptor(target, key);
  if (!d || !hasOwn(d, 'value') || typeof d.value !== 'function') return undefined;
  const native = d.value as (...a: unknown[]) => unknown;
  defineProperty(target, key, {
    value: wrapNative(native, onApply(native)),
    writable: d.writable,
    enumerable: d.enumerable,
    configurable: d.configurable,
  });
  return native;
}

/** Replaces an accessor's getter and setter, keeping its attributes. */
export function replaceAccessor(
  target: object,
  key: PropertyKey,
  onGet: (nativeGet: (...a: unknown[]) => unknown) => OnApply,
  onSet: (nativeSet: (...a: unknown[]) => unknown) => OnApply,
): boolean {
  const d = getOwnPropertyDescriptor(target, key);
  if (!d || !d.get) return false;
  const get = wrapNative(d.get, onGet(d.get as never));
  const set = d.set ? wrapNative(d.set, onSet(d.set as never)) : undefined;
  return defineProperty(target, key, { get, set, enumerable: d.enumerable, configurable: d.configurable });
}

/**
 * Replaces a constructor held in `holder[key]`: `new` goes to `after(instance, args)` once the
 * native has built the instance (with the page's new.target, so subclasses work); a call
 * without `new` reaches the native, which throws its own TypeError.
 */
export function replaceConstructor(
  holder: object,
  key: string,
  after: (instance: object, args: unknown[]) => void,
): boolean {
  const d = getOwnPropertyDescriptor(holder, key);
  if (!d || !hasOwn(d, 'value') || typeof d.value !== 'function') return false;
  const Native = d.value as (...a: unknown[]) => unknown;
  // A call without `new` is the native's own (it throws its TypeError): no trap, so the error
  // carries no runtime frame.
  const replacement = wrapNative(Native, undefined, (args, newTarget) => {
    const instance = construct(Native as never, args, newTarget as never) as object;
    after(instance, args);
    return instance;
  });
  return installConstructor(holder, key, d, Native, replacement);
}

/**
 * Puts `replacement` where `Native` was: `holder[key]` with the native's attributes, and the
 * prototype's `constructor` when it named the native, so `instance.constructor === Ctor` holds.
 */
export function installConstructor(
  holder: object,
  key: string,
  d: PropertyDescriptor,
  Native: unknown,
  replacement: unknown,
): boolean {
  const proto = (Native as { prototype: object }).prototype;
  const ctor = getOwnPropertyDescriptor(proto, 'constructor');
  if (ctor && ctor.value === Native)
    defineProperty(proto, 'constructor', {
      value: replacement,
      writable: ctor.writable,
      enumerable: ctor.enumerable,
      configurable: ctor.configurable,
    });
  return defineProperty(holder, key, {
    value: replacement,
    writable: d.writable,
    enumerable: d.enumerable,
    configurable: d.configurable,
  });
}

let toStringPatched = false;

/** Installs the disguised Function.prototype.toString once per realm. */
export function patchToString(): void {
  if (toStringPatched) return;
  toStringPatched = true;
  replaceValue(Function.prototype, 'toString', (native) => (self, args) => {
    // Another realm's runtime looking for this one (realm.ts); any other receiver is unaffected.
    if (typeof self === 'string') {
      const bridge = bridgeAnswer(self);
      if (bridge) return bridge;
    }
    const original = weakMapGet(originals, self);
    // A receiver that is not a function makes the native throw here, with the runtime's frames
    // on its stack: re-capturing would also drop V8's builtin frame (String.toString), which the
    // native error shows (README, "Permissions and security").
    return apply(native, original === undefined ? self : original, args);
  });
}
