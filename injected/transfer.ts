/**
 * The `transfer` argument of postMessage, converted exactly once.
 *
 * WebIDL overload resolution and conversion would run page code (an `@@iterator` getter, a
 * generator, a `transfer` getter on the options dictionary). We run those steps ourselves,
 * once, in the standard's order, and hand the native a *stand-in* argument that replays the
 * same results: a null-prototype object whose own `@@iterator` yields the collected items.
 * When a step fails, the stand-in replays the failing result too, so the native throws its
 * own error, with its own message; a page exception simply propagates, as it would natively.
 */
import {
  ArrayPrototype,
  hasOwn,
  apply,
  arrayValues,
  getOwnPropertyDescriptor,
  isArray,
  mathFloor,
  numberToString,
  objectCreate,
  symbolIterator,
} from './natives.ts';
import { append } from './own-index.ts';
import { browserArrayFastPath, postConversion } from './dictionaries.ts';
import { isProxy, pristineArrayNext } from './array-like.ts';

export interface Converted {
  /** Items in order (well-formed only when `complete`). */
  items: unknown[];
  /** False when conversion will fail in the native: the stand-in reproduces the failure. */
  complete: boolean;
  /** What to pass to the native in place of the page's value. */
  standIn: unknown;
}

interface Step {
  /** The raw iterator result to replay when it is not an object, or undefined. */
  raw?: unknown;
  done: boolean;
  value?: unknown;
}

const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

/** A null-prototype iterable replaying recorded steps; `iteratorResult` replays a non-object iterator. */
function replay(steps: Step[], iteratorResult?: { value: unknown }, method?: { value: unknown }): object {
  const iterable = objectCreate(null) as Record<PropertyKey, unknown>;
  if (method !== undefined) {
    if (method.value !== undefined) iterable[symbolIterator] = method.value;
    return iterable;
  }
  iterable[symbolIterator] = () => {
    if (iteratorResult) return iteratorResult.value;
    let i = 0;
    const iterator = objectCreate(null) as Record<string, unknown>;
    iterator.next = () => {
      const step = steps[i++];
      if (step === undefined) return { __proto__: null, done: true, value: undefined };
      if ('raw' in step) return step.raw;
      return { __proto__: null, done: step.done, value: step.value };
    };
    return iterator;
  };
  return iterable;
}

/**
 * A real Array where Chromium converts it without the iterator protocol (measured: a page
 * getter on Array.prototype[@@iterator] is never read): it goes to the native untouched and
 * the runtime reads its items through own data descriptors, which no getter answers (on a
 * Proxy they would run its traps: only for a value known to be no Proxy, see fromArrayLike).
 * A hole or a non-object item makes the native throw its own TypeError: `complete` is false.
 */
export function fromArray(v: unknown[]): Converted {
  let items: unknown[] = [];
  const lengthDesc = getOwnPropertyDescriptor(v, 'length');
  const length = lengthDesc && hasOwn(lengthDesc, 'value') ? (lengthDesc.value as number) : 0;
  for (let i = 0; i < length; i++) {
    const d = getOwnPropertyDescriptor(v, numberToString(i));
    if (!d || !hasOwn(d, 'value') || !isObject(d.value)) return { items, complete: false, standIn: v };
    // The first item in a literal, which defines its element as the definition append makes
    // does, at a fraction of the cost: most transfer lists hold one object (a buffer, a port),
    // posted once per message (issue 16 step 3, the 16 MB transfer).
    if (i === 0) items = [d.value];
    else append(items, d.value);
  }
  return { items, complete: true, standIn: v };
}

/**
 * `sequence<object>` conversion of an object (a dictionary's `transfer`, window.postMessage's
 * third argument): Array-like values as the browser reads them, else the iterator protocol.
 * `arrayFastPath`: see dictionaries.ts.
 */
export function toSequence(v: object, arrayFastPath: FastPath = browserArrayFastPath): Converted {
  const kind = arrayKind(v);
  // The native rejects a revoked Proxy before it runs anything: with its own error.
  if (kind === 'revoked') return { items: [], complete: false, standIn: v };
  if (kind) return fromArrayLike(v, arrayFastPath, 1, undefined);
  return toObjectSequence(v, iteratorMethod(v));
}

/**
 * Whether the browser reads a real Array without its @@iterator (dictionaries.ts), or a function
 * that asks it: asked only for a list that Array.isArray accepts.
 */
export type FastPath = boolean | (() => boolean);

/** `Array.isArray(v)`, which throws only for a revoked Proxy (and looks through any other). */
function arrayKind(v: object): boolean | 'revoked' {
  try {
    return isArray(v);
  } catch {
    return 'revoked';
  }
}

/**
 * A value `Array.isArray` accepts: a real Array, or a Proxy whose target is one (array-like.ts).
 * The first read of its @@iterator is the native's first step on a Proxy; `afterMethod` goes on
 * from there as for any other object, `reads` being how often the native reads @@iterator.
 *
 * Firefox iterates both (measured), so the runtime does too (readIndexes).
 * Chromium reads a real Array without the protocol and iterates a Proxy. While Array iteration is
 * the built-in one, the runtime iterates whatever the value is, with the built-ins: on a Proxy
 * exactly what Chromium does, on a real Array nothing a page sees — except for a real Array
 * whose own `@@iterator`, or a prototype other than Array.prototype, is an accessor or a Proxy:
 * its getter or trap runs here (twice where Chromium reads @@iterator twice) while Chromium runs
 * none. Asking first whether the value is a Proxy (isProxy) would close that gap at the price of
 * a throw on every post that transfers anything; it is asked only where iteration was changed.
 */
function fromArrayLike(
  v: object,
  arrayFastPath: FastPath,
  reads: number,
  keys: readonly string[] | undefined,
): Converted {
  if (!readsArraysDirectly(arrayFastPath)) {
    // Firefox iterates a real Array as it iterates a Proxy, with one read of @@iterator.
    const method = iteratorMethod(v);
    return method === arrayValues ? readIndexes(v) : afterMethod(v, method, reads, keys, arrayFastPath);
  }
  // Chromium: where iteration was changed, it must be told a real Array from a Proxy.
  const next = pristineArrayNext();
  if (next === undefined)
    return isProxy(v) ? afterMethod(v, iteratorMethod(v), reads, keys, arrayFastPath) : fromArray(v as unknown[]);
  const method = iteratorMethod(v);
  if (method !== arrayValues)
    return isProxy(v) ? afterMethod(v, method, reads, keys, arrayFastPath) : fromArray(v as unknown[]);
  if (reads === 2) {
    const again = iteratorMethod(v);
    if (again !== arrayValues) return toObjectSequence(v, again);
  }
  return iterateArray(v, next);
}

const readsArraysDirectly = (fastPath: FastPath): boolean => (typeof fastPath === 'function' ? fastPath() : fastPath);

/**
 * An object whose @@iterator was read once (`method`): a sequence when it has one, read again
 * where the browser reads it twice; else, as postMessage's second argument (`keys` given), the
 * options dictionary; else (a dictionary member, window.postMessage's list) a conversion error.
 */
function afterMethod(
  v: object,
  method: unknown,
  reads: number,
  keys: readonly string[] | undefined,
  arrayFastPath: FastPath,
): Converted {
  if (keys !== undefined && method === undefined) return fromOptions(v, keys, arrayFastPath);
  return toObjectSequence(v, reads === 2 && method !== undefined ? iteratorMethod(v) : method);
}

/**
 * Firefox, once `@@iterator` read the built-in %Array.prototype.values%: what its Array Iterator
 * reads (`length`, then each index in turn, `length` again before each), read here without
 * making one. Firefox makes none for a real Array whose iteration nobody changed, and the first
 * Array Iterator of a realm defines the `Iterator` global (docs/firefox.md), which the page could
 * see in `Object.getOwnPropertyNames(window)`. What this leaves out: a page that replaced
 * %ArrayIteratorPrototype%.next (and not Array.prototype[@@iterator]) sees its `next` called
 * natively and not here (unless the stand-in is a fresh Array, see below); for a Proxy list,
 * `Iterator` is defined natively at this post.
 *
 * Complete, the stand-in is a fresh Array of the items when Array.prototype[@@iterator] is still
 * the built-in in a data property: Firefox then reads it as it reads the page's own real Array,
 * without the protocol (or, where the page replaced %ArrayIteratorPrototype%.next, through that
 * `next`, as it would natively), instead of calling back into a replay for every step (BENCHMARKS.md,
 * "Transfer lists after the Proxy fix"). Checked after the reads, which may run page code (a
 * Proxy's traps). The steps are replayed only when the native must throw.
 */
function readIndexes(v: object): Converted {
  let items: unknown[] = [];
  for (let i = 0; ; i++) {
    if (i >= toLength((v as { length: unknown }).length))
      return { items, complete: true, standIn: arrayIterationIsBuiltin() ? items : replayItems(items) };
    const value = (v as Record<number, unknown>)[i];
    if (!isObject(value)) return cutAt(items, value);
    // A literal for the first item, as in fromArray: most lists hold one object.
    if (i === 0) items = [value];
    else append(items, value);
  }
}

/** Whether Array.prototype[@@iterator] is the built-in %Array.prototype.values%, held in a data property. */
function arrayIterationIsBuiltin(): boolean {
  const d = getOwnPropertyDescriptor(ArrayPrototype, symbolIterator);
  return d !== undefined && hasOwn(d, 'value') && d.value === arrayValues;
}

function stepsOf(items: unknown[]): Step[] {
  const steps: Step[] = [];
  for (let k = 0; k < items.length; k++) append<Step>(steps, { done: false, value: items[k] });
  return steps;
}

const replayItems = (items: unknown[]): object => replay(stepsOf(items));

/** A list cut at a non-object item: the items so far and that one replayed, for the native's own error. */
function cutAt(items: unknown[], value: unknown): Converted {
  const steps = stepsOf(items);
  append<Step>(steps, { done: false, value });
  return { items, complete: false, standIn: replay(steps) };
}

/** ToLength: a page `valueOf` on what `length` returned runs here, once a step, as natively. */
function toLength(length: unknown): number {
  const n = +(length as number);
  if (!(n > 0)) return 0;
  return n > MAX_LENGTH ? MAX_LENGTH : mathFloor(n);
}

const MAX_LENGTH = 2 ** 53 - 1;

/**
 * Chromium: iterates an Array-like value with %Array.prototype.values% and the built-in `next`, whose
 * results are the engine's own objects. Complete, the items themselves are the stand-in: a real
 * Array that the native reads without running anything (Firefox's fast path too, while
 * iteration is the built-in one). A non-object item is replayed for the native's own error.
 */
function iterateArray(v: object, next: (this: unknown) => { done: boolean; value: unknown }): Converted {
  const iterator = apply(arrayValues, v, []);
  let items: unknown[] = [];
  for (let i = 0; ; i++) {
    const step = apply(next, iterator, []) as { done: boolean; value: unknown };
    if (step.done) return { items, complete: true, standIn: items };
    const value = step.value;
    if (!isObject(value)) return cutAt(items, value);
    // A literal for the first item, as in fromArray: most lists hold one object.
    if (i === 0) items = [value];
    else append(items, value);
  }
}

/**
 * Converts `v` to `sequence<object>` given its already-read `@@iterator` method.
 * Page code runs here exactly as in native conversion: one call of the method, one read of
 * `next`, one call of `next` per step with one read of `done` and (when not done) of `value`.
 */
export function toObjectSequence(v: object, method: unknown): Converted {
  if (typeof method !== 'function')
    return { items: [], complete: false, standIn: replay([], undefined, { value: method }) };
  const iterator = apply(method as () => unknown, v, []);
  if (!isObject(iterator)) return { items: [], complete: false, standIn: replay([], { value: iterator }) };
  const next = (iterator as { next: unknown }).next;
  if (typeof next !== 'function')
    return { items: [], complete: false, standIn: replay([], { value: { __proto__: null, next } }) };
  const steps: Step[] = [];
  const items: unknown[] = [];
  for (;;) {
    const result = apply(next as () => unknown, iterator, []);
    if (!isObject(result)) {
      append<Step>(steps, { raw: result, done: false });
      return { items, complete: false, standIn: replay(steps) };
    }
    const done = !!(result as { done: unknown }).done;
    if (done) return { items, complete: true, standIn: replay(steps) };
    const value = (result as { value: unknown }).value;
    append<Step>(steps, { done: false, value });
    if (!isObject(value)) return { items, complete: false, standIn: replay(steps) };
    append(items, value);
  }
}

/** GetMethod(v, @@iterator): undefined and null both mean "no method". */
export function iteratorMethod(v: object): unknown {
  const m = (v as Record<PropertyKey, unknown>)[symbolIterator];
  return m === null ? undefined : m;
}

/**
 * An options dictionary (already known to be an object, undefined or null), its members read
 * in the browser's order (`keys`, see dictionaries.ts): `transfer` is converted here, the
 * others are copied raw into the stand-in dictionary for the native to convert.
 */
export function fromOptions(options: unknown, keys: readonly string[], arrayFastPath: FastPath = false): Converted {
  const standIn = objectCreate(null) as Record<string, unknown>;
  let items: unknown[] = [];
  if (options === undefined || options === null) return { items, complete: true, standIn };
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key !== 'transfer') {
      standIn[key] = value;
      continue;
    }
    if (!isObject(value)) {
      standIn.transfer = value;
      return { items, complete: false, standIn };
    }
    const seq = toSequence(value, arrayFastPath);
    standIn.transfer = seq.standIn;
    items = seq.items;
    if (!seq.complete) return { items, complete: false, standIn };
  }
  return { items, complete: true, standIn };
}

/**
 * The second argument of `postMessage(message, transfer)` / `postMessage(message, options)`
 * (MessagePort, Worker, DedicatedWorkerGlobalScope, ServiceWorker, Client): a real Array is a
 * sequence in Chromium; otherwise overload resolution picks the sequence when the value has an
 * `@@iterator`, else the dictionary (a Proxy of an Array whose `@@iterator` reads undefined too).
 * Returns undefined when the native must see the original value (a primitive, a revoked Proxy:
 * it throws its own error).
 */
export function secondArgument(
  arg: unknown,
  keys: readonly string[],
  iteratorReads = 1,
  arrayFastPath: FastPath = false,
): Converted | undefined {
  if (arg === undefined || arg === null) return { items: [], complete: true, standIn: arg };
  if (!isObject(arg)) return undefined;
  const kind = arrayKind(arg);
  if (kind === 'revoked') return undefined;
  // Chromium reads @@iterator once to pick the overload and once more to convert (dictionaries.ts).
  if (kind) return fromArrayLike(arg, arrayFastPath, iteratorReads, keys);
  return afterMethod(arg, iteratorMethod(arg), iteratorReads, keys, arrayFastPath);
}

/**
 * The arguments of `postMessage(message)` / `postMessage(message, transfer | options)` for the
 * native, converted once: `callArgs` replaces the page's arguments, `items` is the transfer
 * list. Undefined: the native must get the page's own arguments (it throws its own error).
 * `complete` false: the native gets `callArgs` and throws the error the conversion ran into.
 */
export function postArguments(
  args: unknown[],
): { callArgs: unknown[]; items: unknown[]; complete: boolean } | undefined {
  const count = args.length;
  if (count === 0) return undefined;
  if (count === 1) return { callArgs: [args[0]], items: [], complete: true };
  const { keys, iteratorReads } = postConversion();
  const converted = secondArgument(args[1], keys, iteratorReads, browserArrayFastPath);
  if (converted === undefined) return undefined;
  return { callArgs: [args[0], converted.standIn], items: converted.items, complete: converted.complete };
}
