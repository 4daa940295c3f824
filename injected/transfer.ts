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
  hasOwn,
  apply,
  getOwnPropertyDescriptor,
  isArray,
  numberToString,
  objectCreate,
  symbolIterator,
} from './natives.ts';
import { append } from './own-index.ts';
import { postConversion } from './dictionaries.ts';

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
 * Chromium converts an Array to a sequence without the iterator protocol (measured: a page
 * getter on Array.prototype[@@iterator] is never read), so an Array goes to the native
 * untouched and the runtime reads its items through own data descriptors: no getter runs.
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

/** `sequence<object>` conversion of an object: the Array fast path, else the iterator protocol. */
export function toSequence(v: object): Converted {
  return isArray(v) ? fromArray(v as unknown[]) : toObjectSequence(v, iteratorMethod(v));
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
export function fromOptions(options: unknown, keys: readonly string[]): Converted {
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
    const seq = toSequence(value);
    standIn.transfer = seq.standIn;
    items = seq.items;
    if (!seq.complete) return { items, complete: false, standIn };
  }
  return { items, complete: true, standIn };
}

/**
 * The second argument of `postMessage(message, transfer)` / `postMessage(message, options)`
 * (MessagePort, Worker, DedicatedWorkerGlobalScope, ServiceWorker, Client): an Array is a
 * sequence; otherwise overload resolution picks the sequence when the value has an
 * `@@iterator`, else the dictionary.
 * Returns undefined when the native must see the original value (a primitive: it throws).
 */
export function secondArgument(arg: unknown, keys: readonly string[], iteratorReads = 1): Converted | undefined {
  if (arg === undefined || arg === null) return { items: [], complete: true, standIn: arg };
  if (!isObject(arg)) return undefined;
  if (isArray(arg)) return fromArray(arg as unknown[]);
  // Chromium reads @@iterator once to pick the overload and once more to convert (dictionaries.ts).
  const method = iteratorMethod(arg);
  if (method !== undefined) return toObjectSequence(arg, iteratorReads === 2 ? iteratorMethod(arg) : method);
  return fromOptions(arg, keys);
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
  const converted = secondArgument(args[1], keys, iteratorReads);
  if (converted === undefined) return undefined;
  return { callArgs: [args[0], converted.standIn], items: converted.items, complete: converted.complete };
}
