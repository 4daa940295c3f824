/**
 * Writing an element of the runtime's own arrays by definition, never by assignment: an
 * assignment to a missing index walks the prototype chain, so a setter the page put on
 * `Array.prototype[0]` would be called with runtime data, and a read-only index key on
 * `Object.prototype` would make the write fail (a TypeError, in strict code).
 */
import { defineProperty, objectCreate } from './natives.ts';

// One descriptor for every write, with no prototype: a literal would inherit a `get` or `set` the
// page put on Object.prototype, and the definition would then throw into the page's call. Its
// value is cleared after each write, so it keeps nothing alive.
const data = objectCreate(null) as PropertyDescriptor;
data.writable = true;
data.enumerable = true;
data.configurable = true;

function define(object: object, key: PropertyKey, value: unknown): void {
  data.value = value;
  defineProperty(object, key, data);
  data.value = undefined;
}

export function putIndex<T>(array: T[], index: number, value: T): void {
  define(array, index, value);
}

export function append<T>(array: T[], value: T): void {
  putIndex(array, array.length, value);
}

/**
 * The one empty list every post and dispatch that transfers nothing shares instead of a fresh
 * array each (issue 16 step 3): frozen, so a write would throw rather than leak into another fact.
 */
export const EMPTY: never[] = Object.freeze([]) as never[];

/** The same for a property of the runtime's own objects (a page setter on `Object.prototype` never sees it). */
export function putKey(object: object, key: string, value: unknown): void {
  define(object, key, value);
}
