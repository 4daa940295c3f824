/**
 * A batch of facts as one JSON text, for the private port: cloning one string is far cheaper
 * than cloning (and then forwarding) a graph of small objects, on the page's thread.
 *
 * JSON.stringify is not invisible the way structured clone is: for every object and array it
 * serializes it looks up `toJSON`, through the prototype chain, and reading an array's hole
 * reads the prototypes' indexed properties. A page that put either on Object.prototype or
 * Array.prototype (or gave Array.prototype another prototype) would see its code run. So each
 * batch is checked first, by own-property inspection only (no page code runs), and a batch
 * that could be seen travels as objects instead. Facts are built by this runtime's code, so
 * their objects and arrays have this realm's prototypes; a batch adopted from another realm
 * (a removed same-origin iframe's last facts) fails the per-fact prototype check and travels
 * as objects too.
 */
import type { Fact } from '../protocol/facts.ts';
import { RUNTIME_JSON_MAX_CHARS } from '../protocol/messages.ts';
import { apply, charCodeAt, getPrototypeOf, jsonStringify, objectCreate, ownKeys } from './natives.ts';

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

export interface EncodedBatch {
  json: string;
  /** Facts per kind (a null-prototype record: writing it runs no page setter). */
  kinds: Record<string, number>;
}

/** The batch as JSON text with its per-kind counts, or undefined when it must travel as objects. */
export function encodeBatch(facts: Fact[]): EncodedBatch | undefined {
  if (getPrototypeOf(facts) !== ArrayProto || getPrototypeOf(ArrayProto) !== ObjectProto) return undefined;
  if (!inert(ObjectProto) || !inert(ArrayProto)) return undefined;
  const kinds = objectCreate(null) as Record<string, number>;
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i];
    if (getPrototypeOf(fact) !== ObjectProto) return undefined;
    const kind = fact.kind;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  let json: string;
  try {
    json = apply(jsonStringify, undefined, [facts]) as string;
  } catch {
    // Nothing the runtime builds should throw here (no cycles, no BigInt); objects still clone.
    return undefined;
  }
  // Past the relay's bound, objects: checked fact by fact there rather than refused whole.
  if (json.length > RUNTIME_JSON_MAX_CHARS) return undefined;
  return { json, kinds };
}
