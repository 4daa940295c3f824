/**
 * EventTarget.prototype.addEventListener / removeEventListener. For anything but a known
 * port they call the native at once (one WeakMap lookup). On a port, `message` and
 * `messageerror` listeners are replaced by wrappers (handlers.ts), memoised per
 * (listener, port, type, capture) so the native's duplicate check, removal, `once` and
 * `signal` behave exactly as they would for the page's own function. Arguments are converted
 * once, in WebIDL order, and the native receives already-converted stand-ins. Which `message`
 * wrappers are on a port is followed exactly (the native's duplicate check and removal match
 * on the same key), so the runtime's own listener can leave a port a handler observes
 * (observe.ts settleObserver); a listener the native may drop unseen (`once`, `signal`) keeps it.
 */
import { portRecord, type PortRecord } from './ids.ts';
import { wrapHandler } from './handlers.ts';
import { NativeMap, NativeWeakMap, apply, mapGet, mapSet, objectCreate, weakMapGet, weakMapSet } from './natives.ts';
import { replaceMethod } from './disguise.ts';
import type { Runtime } from './runtime.ts';
import { settleCounts } from './counted.ts';
import { guarded } from './guard.ts';
import { settleObserver } from './observe.ts';

/** A page listener's wrapper on one (port, type, capture), and whether the native holds it now. */
interface Wrapped {
  fn: object;
  present: boolean;
}

const memo = new NativeWeakMap<object, Map<string, Wrapped>>();

const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

function wrapperFor(
  listener: object,
  key: string,
  create: { rt: Runtime; record: PortRecord; type: string } | undefined,
): Wrapped | undefined {
  let byKey = weakMapGet(memo, listener) as Map<string, Wrapped> | undefined;
  if (byKey === undefined) {
    if (!create) return undefined;
    byKey = new NativeMap<string, Wrapped>();
    weakMapSet(memo, listener, byKey);
  }
  let wrapped = mapGet(byKey, key) as Wrapped | undefined;
  if (wrapped === undefined && create) {
    const { rt, record, type } = create;
    const observes = type === 'message' && record.observer !== undefined;
    wrapped = { fn: wrapHandler(listener, observes ? { rt, record } : undefined), present: false };
    mapSet(byKey, key, wrapped);
  }
  return wrapped;
}

/**
 * What the native just did with a `message` wrapper on `port`: it holds it when it did not
 * already (an add; a duplicate changes nothing), it let it go when it held it (a remove).
 */
function followHandler(record: PortRecord, port: object, wrapped: Wrapped, adding: boolean, unsure: boolean): void {
  if (adding) {
    if (wrapped.present) return;
    wrapped.present = true;
    record.handlers++;
    if (unsure) record.unsure = true;
  } else {
    if (!wrapped.present) return;
    wrapped.present = false;
    record.handlers--;
  }
  settleObserver(record, port);
}

/** The DOMString conversion of `type`, or undefined when the native must convert it (a Symbol throws). */
function typeString(type: unknown): string | undefined {
  if (typeof type === 'string') return type;
  if (typeof type === 'symbol') return undefined;
  return `${type as string}`;
}

/** Arguments for the native, with the same count the page passed. */
function argsOf(count: number, a: unknown, b: unknown, c: unknown): unknown[] {
  const args: unknown[] = [a, b, c];
  args.length = count < 3 ? count : 3;
  return args;
}

/** Dictionary members read from the options argument, in WebIDL order (inherited `capture` first). */
const ADD_OPTIONS = ['capture', 'once', 'passive', 'signal'];
const REMOVE_OPTIONS = ['capture'];

/**
 * The options argument converted once: its capture flag, and what the native gets instead (a
 * null-prototype dictionary replaying the members read, so no page getter runs twice).
 */
function listenerOptions(
  count: number,
  options: unknown,
  members: readonly string[],
): { capture: boolean; standIn: unknown; unsure: boolean } {
  if (count >= 3 && isObject(options)) {
    const o = options as Record<string, unknown>;
    const dict = objectCreate(null) as Record<string, unknown>;
    for (let i = 0; i < members.length; i++) {
      const value = o[members[i]];
      if (value !== undefined) dict[members[i]] = value;
    }
    // The native may let such a listener go without a call the runtime sees.
    return { capture: !!dict.capture, standIn: dict, unsure: !!dict.once || dict.signal !== undefined };
  }
  return {
    capture: count >= 3 && options !== undefined && options !== null ? !!options : false,
    standIn: options,
    unsure: false,
  };
}

/** What addEventListener's or removeEventListener's replacement is installed with. */
interface ListenerPatch {
  rt: Runtime;
  /** The options dictionary's members the native reads. */
  members: readonly string[];
  adding: boolean;
  kind: 'listener-added' | 'listener-removed';
}

/**
 * addEventListener / removeEventListener on a port: for `message` and `messageerror` the page's
 * listener is swapped for its memoized wrapper (handlers.ts) so removal finds it; the options
 * are converted once. Anything that is not a port listener goes to the native untouched.
 */
function listenerCall(
  patch: ListenerPatch,
  native: (...a: unknown[]) => unknown,
  self: unknown,
  args: unknown[],
): unknown {
  const record = portRecord(self);
  const count = args.length;
  if (record === undefined || count < 2) return apply(native, self, args);
  const t = typeString(args[0]);
  if (t === undefined) return apply(native, self, args);
  const listener = args[1];
  const options = args[2];
  const observed = t === 'message' || t === 'messageerror';
  if (!isObject(listener) || (!observed && t !== 'close'))
    return apply(native, self, argsOf(count, t, listener, options));
  const { rt, members, adding, kind } = patch;
  const { capture, standIn, unsure } = listenerOptions(count, options, members);
  // Removal never creates a wrapper: a listener never added has none, and the native ignores it.
  const wrapped = observed
    ? wrapperFor(listener, record.id + '|' + t + '|' + (capture ? 1 : 0), adding ? { rt, record, type: t } : undefined)
    : undefined;
  const result = apply(native, self, argsOf(count, t, wrapped === undefined ? listener : wrapped.fn, standIn));
  guarded(rt, kind, () => {
    if (wrapped !== undefined && t === 'message') followHandler(record, self as object, wrapped, adding, unsure);
    settleCounts(rt, record);
    rt.emitter.emit({ kind, ctx: rt.ctx, port: record.id, type: t as 'message', via: 'addEventListener' });
  });
  return result;
}

export function patchListeners(rt: Runtime, proto: object): void {
  replaceMethod(proto, 'addEventListener', listenerCall, {
    rt,
    members: ADD_OPTIONS,
    adding: true,
    kind: 'listener-added',
  } as ListenerPatch);
  replaceMethod(proto, 'removeEventListener', listenerCall, {
    rt,
    members: REMOVE_OPTIONS,
    adding: false,
    kind: 'listener-removed',
  } as ListenerPatch);
}
