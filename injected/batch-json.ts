/**
 * A batch of facts as one JSON text, for the private port: cloning one string is far cheaper
 * than cloning (and then forwarding) a graph of small objects, on the page's thread, and a text
 * has a length the relay can bound.
 *
 * JSON.stringify is not invisible the way structured clone is: for every object and array it
 * serializes it looks up `toJSON`, through the prototype chain, and reading an array's hole
 * reads the prototypes' indexed properties. A page that put either on Object.prototype or
 * Array.prototype (or gave Array.prototype another prototype) would see its code run. So each
 * batch is checked first, by own-property inspection only (no page code runs); a batch that
 * could be seen is written by `ownJson` instead, which reads own data properties only. Facts are
 * built by this runtime's code, so their objects and arrays have this realm's prototypes; a
 * fact of any other prototype fails the per-fact check and is written by `ownJson` too.
 */
import type { Fact } from '../protocol/facts.ts';
import {
  hasOwn,
  apply,
  charCodeAt,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isArray,
  jsonStringify,
  objectCreate,
  ownKeys,
} from './natives.ts';
import { putIndex } from './own-index.ts';

const ObjectProto: object = getPrototypeOf({}) as object;
const ArrayProto: object = getPrototypeOf([]) as object;

/** No `toJSON` and no index-like key among a prototype's own keys. */
function inert(proto: object): boolean {
  const keys = ownKeys(proto);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k !== 'string') continue;
    if (k === 'toJSON') return false;
    const c = charCodeAt(k, 0);
    // Conservative: any key starting with a digit might be an array index.
    if (c >= 48 && c <= 57) return false;
  }
  return true;
}

/** A primitive as JSON (undefined where JSON has none); JSON.stringify looks up nothing for these. */
const primitiveJson = (v: unknown): string | undefined => apply(jsonStringify, undefined, [v]) as string | undefined;

/** The own data value at `key`, or undefined (an accessor is never called). */
function ownValue(o: object, key: PropertyKey): { value: unknown } | undefined {
  const d = getOwnPropertyDescriptor(o, key);
  return d !== undefined && hasOwn(d, 'value') ? (d as { value: unknown }) : undefined;
}

/**
 * JSON text of `value` from own enumerable data properties only, in JSON.stringify's key order:
 * no prototype is read, so no page getter or `toJSON` runs. Undefined where JSON.stringify
 * would give undefined (a function, a symbol). Facts hold no cycles and no BigInt.
 */
export function ownJson(value: unknown, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null) return primitiveJson(value);
  // Facts are shallow (a preview tree is bounded well below this): a deeper graph is not a fact.
  if (depth > 64) throw new RangeError('too deep');
  if (isArray(value)) {
    const length = ownValue(value, 'length')!.value as number;
    let out = '[';
    for (let i = 0; i < length; i++) {
      const d = ownValue(value, i);
      const item = d === undefined ? undefined : ownJson(d.value, depth + 1);
      out += (i ? ',' : '') + (item === undefined ? 'null' : item);
    }
    return out + ']';
  }
  const keys = ownKeys(value);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'string') continue;
    const d = getOwnPropertyDescriptor(value, key);
    if (d === undefined || !d.enumerable || !hasOwn(d, 'value')) continue;
    const item = ownJson(d.value, depth + 1);
    if (item === undefined) continue;
    out += (first ? '' : ',') + primitiveJson(key) + ':' + item;
    first = false;
  }
  return out + '}';
}

export interface EncodedBatch {
  json: string;
  /** Facts per kind (a null-prototype record: writing it runs no page setter). */
  kinds: Record<string, number>;
}

/** The batch as JSON text with its per-kind counts. */
export function encodeBatch(facts: Fact[]): EncodedBatch {
  const kinds = objectCreate(null) as Record<string, number>;
  let plain =
    getPrototypeOf(facts) === ArrayProto &&
    getPrototypeOf(ArrayProto) === ObjectProto &&
    inert(ObjectProto) &&
    inert(ArrayProto);
  const length = ownValue(facts, 'length')!.value as number;
  for (let i = 0; i < length; i++) {
    const fact = ownValue(facts, i)?.value as object;
    if (getPrototypeOf(fact) !== ObjectProto) plain = false;
    const kind = ownValue(fact, 'kind')?.value as string;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  if (plain) {
    try {
      return { json: apply(jsonStringify, undefined, [facts]) as string, kinds };
    } catch {
      // Nothing the runtime builds should throw here; ownJson below says the same or throws.
    }
  }
  return { json: ownJson(facts) ?? '[]', kinds };
}

/** facts[from, to) as a new array, written by definition (no page setter on Array.prototype runs). */
function range(facts: Fact[], from: number, to: number): Fact[] {
  const out: Fact[] = [];
  for (let i = from; i < to; i++) putIndex(out, i - from, ownValue(facts, i)?.value as Fact);
  return out;
}

/**
 * The batch as texts of at most `maxChars` each (the relay refuses longer ones, and a browser
 * message has a size limit): halved until each fits. A single fact too long on its own is
 * replaced by a `facts-dropped` fact counting it, with its seq and time, so it is accounted for.
 */
export function encodeBatches(
  facts: Fact[],
  maxChars: number,
  send: (batch: EncodedBatch, count: number) => void,
): void {
  const length = ownValue(facts, 'length')!.value as number;
  const encoded = encodeBatch(facts);
  if (encoded.json.length <= maxChars) return send(encoded, length);
  if (length > 1) {
    const half = (length + 1) >> 1;
    encodeBatches(range(facts, 0, half), maxChars, send);
    encodeBatches(range(facts, half, length), maxChars, send);
    return;
  }
  const fact = ownValue(facts, 0)!.value as Fact;
  const counts = objectCreate(null) as Record<string, number>;
  counts[fact.kind] = 1;
  const dropped: Fact = { kind: 'facts-dropped', ctx: fact.ctx, counts, seq: fact.seq, time: fact.time };
  send(encodeBatch(range([dropped], 0, 1)), 1);
}
