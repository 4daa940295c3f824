/**
 * Which internal slots an object has: the question StructuredSerialize branches on, and so the
 * one a preview and a fingerprint must answer the same way the clone did.
 *
 * A brand-check native that throws on the wrong receiver answers it exactly but costs a thrown
 * TypeError (microseconds, a stack captured each time), so the common answers are reached
 * without a throw:
 * - `Array.isArray`, `ArrayBuffer.isView` and `Error.isError` never throw;
 * - an object whose prototype is one of this realm's intrinsic prototypes is checked with the
 *   one native that *succeeds* for that kind (a Map with %Map.prototype% costs one `size` read);
 * - a value *deserialized* in this realm (event.data of a trusted event) has exactly the
 *   intrinsic prototype of its kind — StructuredDeserialize creates every object that way — so
 *   an object with %Object.prototype% there is ordinary, with no probe at all;
 * - on the sender, a prototype proves nothing (`Object.setPrototypeOf(new Map, Object.prototype)`
 *   or `Reflect.construct(Date, [], Object)` still serialize as a Map and a Date): the builtin tag
 *   of `Object.prototype.toString` names Date, RegExp and the boxed primitives whatever their
 *   prototype. No cache by prototype: one prototype can be shared by objects with different slots.
 *
 * One deliberate gap, for speed: a sender's object with %Object.prototype% or a null prototype
 * whose builtin tag is "Object" is taken as ordinary without probing for the kinds that tag
 * cannot name (Map, Set, ArrayBuffer, SharedArrayBuffer, Blob, boxed BigInt). Ruling them out
 * costs six thrown TypeErrors per object — measured at 50–60 % of a page's time posting 1 KB
 * records — and such an object exists only if the page moved a Map (say) onto
 * %Object.prototype%. The receiver's copy has the real kind, so when the receiver is observed
 * the panel shows it right and the differing fingerprints are counted (fingerprint-mismatch).
 * Any other prototype (a class's, a subclass of Map...) still gets every brand check.
 */
import {
  hasOwn,
  G,
  NativeError,
  defineProperty,
  arrayBufferByteLength,
  apply,
  bigintValueOf,
  blobSize,
  errorIsError,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isArray,
  mapSize,
  NativeMap,
  mapGet,
  mapSet,
  setSize,
  sharedArrayBufferByteLength,
  symbolToStringTag,
  typedArrayTag,
  dateGetTime,
  regexpSource,
  numberValueOf,
  stringValueOf,
  booleanValueOf,
} from './natives.ts';

export type Slots =
  | 'array'
  | 'typedarray'
  | 'dataview'
  | 'arraybuffer'
  | 'sharedarraybuffer'
  | 'date'
  | 'regexp'
  | 'blob'
  | 'map'
  | 'set'
  | 'number'
  | 'string'
  | 'boolean'
  | 'bigint'
  | 'error'
  /** None of the above: an ordinary object, or a platform object the preview shows by its tag. */
  | 'ordinary';

export const arrayBufferIsView: (x: unknown) => boolean = ArrayBuffer.isView;
const objectToString = Object.prototype.toString;
const ObjectPrototype = getPrototypeOf({}) as object;

/** This realm's intrinsic prototypes and the kind their ordinary instances have. */
const intrinsic = new NativeMap<object, Slots>();
function learn(ctor: { prototype?: object } | undefined, kind: Slots): void {
  if (ctor && ctor.prototype) mapSet(intrinsic, ctor.prototype, kind);
}
mapSet(intrinsic, ObjectPrototype, 'ordinary');
learn(Date, 'date');
learn(RegExp, 'regexp');
learn(Map, 'map');
learn(Set, 'set');
learn(ArrayBuffer, 'arraybuffer');
learn(G.SharedArrayBuffer, 'sharedarraybuffer');
learn(Number, 'number');
learn(String, 'string');
learn(Boolean, 'boolean');
learn(G.BigInt, 'bigint');
learn(G.Blob, 'blob');
learn(G.File, 'blob');

/** Runs a brand-checked native; false when `x` lacks the internal slot. */
function has(read: ((x: unknown) => unknown) | undefined, x: unknown): boolean {
  if (!read) return false;
  try {
    read(x);
    return true;
  } catch {
    return false;
  }
}

/** The one check that succeeds for an object of `kind` (no throw when the guess is right). */
function confirm(kind: Slots, o: object): boolean {
  switch (kind) {
    case 'date':
      return has(dateGetTime, o);
    case 'regexp':
      return has(regexpSource, o);
    case 'map':
      return has(mapSize, o);
    case 'set':
      return has(setSize, o);
    case 'arraybuffer':
      return has(arrayBufferByteLength, o);
    case 'sharedarraybuffer':
      return has(sharedArrayBufferByteLength, o);
    case 'number':
      return has(numberValueOf, o);
    case 'string':
      return has(stringValueOf, o);
    case 'boolean':
      return has(booleanValueOf, o);
    case 'bigint':
      return has(bigintValueOf, o);
    case 'blob':
      return has(blobSize, o);
    default:
      return false;
  }
}

/** Every kind, by brand checks: for objects whose prototype tells nothing. */
function probed(o: object): Slots {
  if (has(arrayBufferByteLength, o)) return 'arraybuffer';
  if (has(sharedArrayBufferByteLength, o)) return 'sharedarraybuffer';
  if (has(dateGetTime, o)) return 'date';
  if (has(regexpSource, o)) return 'regexp';
  if (has(blobSize, o)) return 'blob';
  if (has(numberValueOf, o)) return 'number';
  if (has(stringValueOf, o)) return 'string';
  if (has(booleanValueOf, o)) return 'boolean';
  if (has(bigintValueOf, o)) return 'bigint';
  if (has(mapSize, o)) return 'map';
  if (has(setSize, o)) return 'set';
  return 'ordinary';
}

/**
 * Runs brand checks that are expected to fail with V8's `Error.stackTraceLimit` at 0: a thrown
 * TypeError then captures no stack, about three times cheaper. Only an own writable data
 * property is changed, and back, with no page code running in between, so nothing observes it;
 * an engine or a page without that property (or with an accessor) keeps the plain path.
 */
function withoutStacks(o: object, run: (o: object) => Slots): Slots {
  const d = getOwnPropertyDescriptor(NativeError, 'stackTraceLimit');
  if (!d || !hasOwn(d, 'value') || !d.writable || d.value === 0) return run(o);
  const limit: unknown = d.value;
  defineProperty(NativeError, 'stackTraceLimit', { __proto__: null, value: 0 } as PropertyDescriptor);
  try {
    return run(o);
  } finally {
    defineProperty(NativeError, 'stackTraceLimit', { __proto__: null, value: limit } as PropertyDescriptor);
  }
}

/**
 * A page object with %Object.prototype% (`proto`) or none. `Object.prototype.toString` reads
 * `@@toStringTag` through the chain, so it runs only when neither the object nor its prototype
 * has one (then no page code can run); its builtin tag comes from the internal slots.
 */
function ordinaryOnSender(o: object, proto: object | null): Slots {
  if (
    getOwnPropertyDescriptor(o, symbolToStringTag) !== undefined ||
    (proto !== null && getOwnPropertyDescriptor(proto, symbolToStringTag) !== undefined)
  )
    return withoutStacks(o, probed);
  const tag = apply(objectToString, o, []) as string;
  return tag === '[object Object]' ? 'ordinary' : withoutStacks(o, probed);
}

/**
 * The kind of `o`. `deserialized`: `o` belongs to a value StructuredDeserialize just made in this
 * realm (event.data of a trusted message event), so its prototype is its kind's intrinsic one.
 */
export function slotsOf(o: object, deserialized: boolean): Slots {
  if (isArray(o)) return 'array';
  if (arrayBufferIsView(o)) return typedArrayTag(o) !== undefined ? 'typedarray' : 'dataview';
  if (errorIsError(o)) return 'error';
  const proto = getPrototypeOf(o);
  if (proto === null) return ordinaryOnSender(o, null);
  const expected = mapGet(intrinsic, proto) as Slots | undefined;
  if (expected === 'ordinary') return deserialized ? 'ordinary' : ordinaryOnSender(o, proto);
  if (expected !== undefined && confirm(expected, o)) return expected;
  return withoutStacks(o, probed);
}
