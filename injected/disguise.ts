/**
 * A patched function must be indistinguishable from the native one it replaces: same
 * `name`, same `length`, same property attributes where it is installed, and
 * `Function.prototype.toString` answering with the native's source text ("[native code]").
 * The replacement toString is itself disguised as the native toString.
 */
import {
  NativeWeakMap,
  apply,
  defineProperty,
  functionToString,
  getOwnPropertyDescriptor,
  weakMapGet,
  weakMapSet,
} from './natives.ts';

const originals = new NativeWeakMap<object, object>();

/** Makes `replacement` answer like `original` to toString and reflection on name/length. */
export function disguise<T extends object>(replacement: T, original: object): T {
  for (const key of ['length', 'name'] as const) {
    const d = getOwnPropertyDescriptor(original, key);
    if (d) defineProperty(replacement, key, d);
  }
  weakMapSet(originals, replacement, original);
  return replacement;
}

/** Replaces a data property's value, keeping its attributes (writable/enumerable/configurable). */
export function replaceValue(target: object, key: PropertyKey, replacement: object): boolean {
  const d = getOwnPropertyDescriptor(target, key);
  if (!d || !('value' in d) || typeof d.value !== 'function') return false;
  disguise(replacement, d.value);
  return defineProperty(target, key, { value: replacement, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable });
}

/** Replaces an accessor property's get/set, keeping its attributes. Missing halves stay missing. */
export function replaceAccessor(target: object, key: PropertyKey, get: () => unknown, set: (v: unknown) => void): boolean {
  const d = getOwnPropertyDescriptor(target, key);
  if (!d || !d.get) return false;
  disguise(get, d.get);
  if (d.set) disguise(set, d.set);
  return defineProperty(target, key, { get, set: d.set ? set : undefined, enumerable: d.enumerable, configurable: d.configurable });
}

let toStringPatched = false;

/** Installs the disguised Function.prototype.toString once per realm. */
export function patchToString(): void {
  if (toStringPatched) return;
  toStringPatched = true;
  const replacement = {
    toString(this: unknown): string {
      const original = weakMapGet(originals, this);
      return apply(functionToString, original === undefined ? this : original, []);
    },
  }.toString;
  replaceValue(Function.prototype, 'toString', replacement);
}
