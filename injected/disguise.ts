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

/** A native function as the runtime calls it (through captured `apply`). */
export type NativeFn = (...a: unknown[]) => unknown;
export type OnApply = (self: unknown, args: unknown[]) => unknown;
export type OnConstruct = (args: unknown[], newTarget: object) => object;
/**
 * A replacement's behaviour as a module-level function: it gets the context it was installed
 * with (the runtime, say) and the native it replaces. One function serves every property of its
 * kind, so installing a replacement creates no closure and compiles nothing: V8 compiles a hook
 * at its first call, the page's, not at document_start (BENCHMARKS.md, "Startup, step 4").
 */
export type ApplyHook<C> = (context: C, native: NativeFn, self: unknown, args: unknown[]) => unknown;
export type ConstructHook<C> = (context: C, native: NativeFn, args: unknown[], newTarget: object) => object;

/**
 * What a trap finds for its target: the hook, its context and the native. A replacement that is a
 * closure of its own (OnApply, OnConstruct) is its hook, with OWN_CLOSURE as context.
 */
interface Patch {
  hook: (context: unknown, native: NativeFn, a: unknown, b: unknown) => unknown;
  context: unknown;
  native: NativeFn;
}
const OWN_CLOSURE = {};

/**
 * Every page call into a replacement passes through this named frame: call sites (site.ts)
 * keep only the frames below it, whatever the script URL (an init script has none).
 */
export const BOUNDARY = 'portscopeBoundary';
const boundary = {
  [BOUNDARY](patch: Patch, a: unknown, b: unknown): unknown {
    const hook = patch.hook;
    // A closure is called from here directly: a frame between would show on stacks a page reads
    // (in-worker instrumentation's importScripts, docs/in-worker.md).
    return patch.context === OWN_CLOSURE
      ? (hook as unknown as (a: unknown, b: unknown) => unknown)(a, b)
      : hook(patch.context, patch.native, a, b);
  },
}[BOUNDARY];

const applyPatches = new NativeWeakMap<object, Patch>();
const constructPatches = new NativeWeakMap<object, Patch>();

/**
 * The one `apply` and one `construct` trap of every replacement (the hook is found by target),
 * so an error raised by a native inside a replacement can have the runtime's frames cut from
 * its stack at exactly this frame (hideRuntimeFrames).
 */
export const applyTrap = function (target: object, self: unknown, args: unknown[]): unknown {
  return boundary(weakMapGet(applyPatches, target) as Patch, self, args);
};
const constructTrap = function (target: object, args: unknown[], newTarget: object): object {
  return boundary(weakMapGet(constructPatches, target) as Patch, args, newTarget) as object;
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
 * The Proxy handlers, shared by every replacement (each trap finds its patch by target): one
 * per combination of traps, made once per realm rather than once per property.
 */
const HANDLERS = [
  { __proto__: null },
  { __proto__: null, apply: applyTrap },
  { __proto__: null, construct: constructTrap },
  { __proto__: null, apply: applyTrap, construct: constructTrap },
] as unknown as readonly ProxyHandler<object>[];

/** The Proxy of `native` with the traps of the patches given; without `onApply` a call reaches the native directly. */
function proxyOf<T extends object>(native: T, onApply: Patch | undefined, onConstruct: Patch | undefined): T {
  if (onApply) weakMapSet(applyPatches, native, onApply);
  if (onConstruct) weakMapSet(constructPatches, native, onConstruct);
  const proxy = new NativeProxy(native, HANDLERS[(onApply ? 1 : 0) + (onConstruct ? 2 : 0)] as ProxyHandler<T>);
  weakMapSet(originals, proxy, native);
  return proxy;
}

/**
 * A Proxy of `native` whose calls go to `onApply(context, native, self, args)` (and `new` to
 * `onConstruct(context, native, args, newTarget)`, when given). Without `onApply` a call
 * reaches the native directly, with no runtime frame on the stack.
 */
export function wrapNativeWith<T extends object, C>(
  native: T,
  onApply: ApplyHook<C> | undefined,
  context: C,
  onConstruct?: ConstructHook<C>,
): T {
  const fn = native as unknown as NativeFn;
  return proxyOf(
    native,
    onApply ? ({ hook: onApply, context, native: fn } as Patch) : undefined,
    onConstruct ? ({ hook: onConstruct, context, native: fn } as Patch) : undefined,
  );
}

/** wrapNativeWith for replacements that are closures of their own. */
export function wrapNative<T extends object>(native: T, onApply: OnApply | undefined, onConstruct?: OnConstruct): T {
  const fn = native as unknown as NativeFn;
  return proxyOf(
    native,
    onApply ? ({ hook: onApply, context: OWN_CLOSURE, native: fn } as unknown as Patch) : undefined,
    onConstruct ? ({ hook: onConstruct, context: OWN_CLOSURE, native: fn } as unknown as Patch) : undefined,
  );
}

/** `target[key]`'s descriptor when it is a method (a data property holding a function). */
function methodDescriptor(target: object, key: PropertyKey): PropertyDescriptor | undefined {
  const d = getOwnPropertyDescriptor(target, key);
  return d && hasOwn(d, 'value') && typeof d.value === 'function' ? d : undefined;
}

/** Puts `replacement` where the method of descriptor `d` was, with its attributes. */
function defineMethod(target: object, key: PropertyKey, d: PropertyDescriptor, replacement: unknown): void {
  defineProperty(target, key, {
    value: replacement,
    writable: d.writable,
    enumerable: d.enumerable,
    configurable: d.configurable,
  });
}

/** Replaces a method (a data property) with `onApply`, keeping its attributes. Returns the native, or undefined. */
export function replaceMethod<C>(
  target: object,
  key: PropertyKey,
  onApply: ApplyHook<C>,
  context: C,
): NativeFn | undefined {
  const d = methodDescriptor(target, key);
  if (!d) return undefined;
  const native = d.value as NativeFn;
  defineMethod(target, key, d, wrapNativeWith(native, onApply, context));
  return native;
}

/** replaceMethod for a replacement made by `onApply(native)`, a closure of its own. */
export function replaceValue(
  target: object,
  key: PropertyKey,
  onApply: (native: NativeFn) => OnApply,
): NativeFn | undefined {
  const d = methodDescriptor(target, key);
  if (!d) return undefined;
  const native = d.value as NativeFn;
  defineMethod(target, key, d, wrapNative(native, onApply(native)));
  return native;
}

/** Replaces an accessor's getter and setter with `onGet` and `onSet`, keeping its attributes. */
export function replaceAccessorWith<C>(
  target: object,
  key: PropertyKey,
  onGet: ApplyHook<C>,
  onSet: ApplyHook<C>,
  context: C,
): boolean {
  const d = getOwnPropertyDescriptor(target, key);
  if (!d || !d.get) return false;
  const get = wrapNativeWith(d.get, onGet, context);
  const set = d.set ? wrapNativeWith(d.set, onSet, context) : undefined;
  return defineProperty(target, key, { get, set, enumerable: d.enumerable, configurable: d.configurable });
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
 * Replaces a constructor held in `holder[key]`: `new` goes to `onConstruct(context, Native,
 * args, newTarget)`, which builds the instance with the native and the page's new.target (so
 * subclasses work); a call without `new` reaches the native, which throws its own TypeError.
 */
export function replaceConstructorWith<C>(
  holder: object,
  key: string,
  onConstruct: ConstructHook<C>,
  context: C,
): boolean {
  const d = getOwnPropertyDescriptor(holder, key);
  if (!d || !hasOwn(d, 'value') || typeof d.value !== 'function') return false;
  const Native = d.value as NativeFn;
  // A call without `new` is the native's own (it throws its TypeError): no trap, so the error
  // carries no runtime frame.
  return installConstructor(holder, key, d, Native, wrapNativeWith(Native, undefined, context, onConstruct));
}

const constructThenAfter = (
  after: (instance: object, args: unknown[]) => void,
  Native: NativeFn,
  args: unknown[],
  newTarget: object,
): object => {
  const instance = construct(Native as never, args, newTarget as never) as object;
  after(instance, args);
  return instance;
};

/** replaceConstructorWith where `after(instance, args)` runs once the native has built the instance. */
export function replaceConstructor(
  holder: object,
  key: string,
  after: (instance: object, args: unknown[]) => void,
): boolean {
  return replaceConstructorWith(holder, key, constructThenAfter, after);
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

function disguisedToString(_context: undefined, native: NativeFn, self: unknown, args: unknown[]): unknown {
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
}

/** Installs the disguised Function.prototype.toString once per realm. */
export function patchToString(): void {
  if (toStringPatched) return;
  toStringPatched = true;
  replaceMethod(Function.prototype, 'toString', disguisedToString, undefined);
}
