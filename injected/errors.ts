/** Name and message of a thrown value, read without running page code. */
import { hasOwn, domExceptionMessage, domExceptionName, getOwnPropertyDescriptor, getPrototypeOf } from './natives.ts';

function dataValue(x: object, key: string): unknown {
  let o: object | null = x;
  for (let depth = 0; o !== null && depth < 16; depth++) {
    const d = getOwnPropertyDescriptor(o, key);
    if (d) return hasOwn(d, 'value') ? d.value : undefined;
    o = getPrototypeOf(o);
  }
  return undefined;
}

/** `name` and `message` of an error object from data properties only (a getter never runs). */
export function errorFields(e: object): { name: string; message: string } {
  const name = dataValue(e, 'name');
  const message = dataValue(e, 'message');
  return { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '' };
}

export function describeThrown(e: unknown): { name: string; message: string } {
  if ((typeof e !== 'object' && typeof e !== 'function') || e === null)
    return { name: typeof e, message: typeof e === 'string' ? e : '' };
  if (domExceptionName) {
    try {
      return { name: domExceptionName(e), message: domExceptionMessage!(e) };
    } catch {
      // Not a DOMException: an ECMAScript error or a page object.
    }
  }
  return errorFields(e);
}
