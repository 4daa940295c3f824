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
import { apply, objectCreate, symbolIterator } from './natives.ts';

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
function replay(steps: Step[], iteratorResult?: { value: unknown }, method?: unknown): object {
  const iterable = objectCreate(null) as Record<PropertyKey, unknown>;
  if (method !== undefined) {
    iterable[symbolIterator] = method;
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
 * Converts `v` to `sequence<object>` given its already-read `@@iterator` method.
 * Page code runs here exactly as in native conversion: one call of the method, one read of
 * `next`, one call of `next` per step with one read of `done` and (when not done) of `value`.
 */
export function toObjectSequence(v: object, method: unknown): Converted {
  if (typeof method !== 'function') return { items: [], complete: false, standIn: replay([], undefined, method) };
  const iterator = apply(method as () => unknown, v, []);
  if (!isObject(iterator)) return { items: [], complete: false, standIn: replay([], { value: iterator }) };
  const next = (iterator as { next: unknown }).next;
  if (typeof next !== 'function') return { items: [], complete: false, standIn: replay([], { value: { __proto__: null, next } }) };
  const steps: Step[] = [];
  const items: unknown[] = [];
  for (;;) {
    const result = apply(next as () => unknown, iterator, []);
    if (!isObject(result)) {
      steps[steps.length] = { raw: result, done: false };
      return { items, complete: false, standIn: replay(steps) };
    }
    const done = !!(result as { done: unknown }).done;
    if (done) return { items, complete: true, standIn: replay(steps) };
    const value = (result as { value: unknown }).value;
    steps[steps.length] = { done: false, value };
    if (!isObject(value)) return { items, complete: false, standIn: replay(steps) };
    items[items.length] = value;
  }
}

/** GetMethod(v, @@iterator): undefined and null both mean "no method". */
export function iteratorMethod(v: object): unknown {
  const m = (v as Record<PropertyKey, unknown>)[symbolIterator];
  return m === null ? undefined : m;
}

/**
 * The `transfer` member of a StructuredSerializeOptions dictionary (already known to be an
 * object, undefined or null). Returns the items and a stand-in dictionary; `extra` adds
 * members read after `transfer` (WindowPostMessageOptions.targetOrigin).
 */
export function fromOptions(options: unknown, extraKeys: readonly string[] = []): Converted {
  const standIn = objectCreate(null) as Record<string, unknown>;
  let items: unknown[] = [];
  let complete = true;
  if (options !== undefined && options !== null) {
    const transfer = (options as { transfer?: unknown }).transfer;
    if (transfer !== undefined) {
      if (!isObject(transfer)) {
        standIn.transfer = transfer;
        return { items, complete: false, standIn };
      }
      const seq = toObjectSequence(transfer, iteratorMethod(transfer));
      standIn.transfer = seq.standIn;
      items = seq.items;
      complete = seq.complete;
      if (!complete) return { items, complete, standIn };
    }
    for (let i = 0; i < extraKeys.length; i++) {
      const value = (options as Record<string, unknown>)[extraKeys[i]];
      if (value !== undefined) standIn[extraKeys[i]] = value;
    }
  }
  return { items, complete, standIn };
}

/**
 * The second argument of `postMessage(message, transfer)` / `postMessage(message, options)`
 * (MessagePort, Worker, DedicatedWorkerGlobalScope, ServiceWorker, Client): overload
 * resolution picks the sequence when the value has an `@@iterator`, else the dictionary.
 * Returns undefined when the native must see the original value (a primitive: it throws).
 */
export function secondArgument(arg: unknown): Converted | undefined {
  if (arg === undefined || arg === null) return { items: [], complete: true, standIn: arg };
  if (!isObject(arg)) return undefined;
  const method = iteratorMethod(arg);
  if (method !== undefined) return toObjectSequence(arg, method);
  return fromOptions(arg);
}
