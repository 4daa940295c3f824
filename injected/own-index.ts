/**
 * Writing an element of the runtime's own arrays by definition, never by assignment: an
 * assignment to a missing index walks the prototype chain, so a setter the page put on
 * `Array.prototype[0]` would be called with runtime data, and a read-only index key on
 * `Object.prototype` would make the write fail (a TypeError, in strict code).
 */
import { defineProperty } from './natives.ts';

export function putIndex<T>(array: T[], index: number, value: T): void {
  defineProperty(array, index, { value, writable: true, enumerable: true, configurable: true });
}

export function append<T>(array: T[], value: T): void {
  putIndex(array, array.length, value);
}

/** The same for a property of the runtime's own objects (a page setter on `Object.prototype` never sees it). */
export function putKey(object: object, key: string, value: unknown): void {
  defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}
