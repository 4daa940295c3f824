/**
 * A batch of facts as one compact JSON text, for the private port: cloning one string is far
 * cheaper than cloning (and then forwarding) a graph of small objects, on the page's thread, and a
 * text has a length the relay can bound. The text is the wire of protocol/wire.ts: each fact a
 * record of its fields by position (the layout of protocol/wire-layout.ts, read from the shapes),
 * strings once per batch in a table, times as steps from the batch's first, previews with their
 * common nodes written short (keys in the table), so the relay's `runtime.Port` send and the
 * background's parse carry a quarter to a third of the plain JSON.
 *
 * JSON.stringify is not invisible the way structured clone is: for every object and array it
 * serializes it looks up `toJSON`, through the prototype chain, and reading an array's hole
 * reads the prototypes' indexed properties; reading a field a fact lacks reads the prototypes
 * too. A page that put any of these on Object.prototype or Array.prototype (or gave
 * Array.prototype another prototype) would see its code run. So each batch is checked first, by
 * own-property inspection only (no page code runs); a batch that could be seen is encoded
 * reading own data properties only, and written by `ownJson`. Facts are built by this runtime's
 * code, so their objects and arrays have this realm's prototypes; a fact of any other prototype
 * makes the batch take the own-property path too.
 */
import type { Fact } from '../protocol/facts.ts';
import {
  WIRE_CLOCK_STEPS,
  WIRE_LAYOUT_TEXT,
  WIRE_PREVIEW_ARRAY,
  WIRE_PREVIEW_ARRAY_CUT,
  WIRE_PREVIEW_AS_IS,
  WIRE_PREVIEW_OBJECT,
  WIRE_PREVIEW_OBJECT_CUT,
  WIRE_PREVIEW_STRING_CUT,
  WIRE_PREVIEW_UNDEFINED,
  WIRE_VERSION,
  type WireField,
  type WireKind,
} from '../protocol/wire-layout.ts';
import {
  hasOwn,
  apply,
  charCodeAt,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isArray,
  jsonStringify,
  mathFloor,
  objectCreate,
  ownKeys,
  stringIndexOf,
  stringSlice,
  stringSplit,
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

/** How a field travels (protocol/wire.ts), as small integers the encoder switches on. */
const STR = 0;
const TEXT = 1;
const NUM = 2;
const CLOCK = 3;
const STRS = 4;
const JSON_AS_IS = 5;
const PREVIEW = 6;
const RECORD = 7;

/** A layout read once into parallel arrays: names, how each travels, and the layout of each nested record. */
interface Layout {
  names: string[];
  codes: number[];
  nested: (Layout | null)[];
}

function codeOf(how: string): number {
  switch (how) {
    case 'str':
      return STR;
    case 'text':
      return TEXT;
    case 'num':
      return NUM;
    case 'clock':
      return CLOCK;
    case 'strs':
      return STRS;
    case 'preview':
      return PREVIEW;
    default:
      return JSON_AS_IS;
  }
}

/** What the encoder reads from WIRE_LAYOUT_TEXT, once, at its first batch (nothing of it runs at document_start). */
interface Tables {
  /** Per fact kind, its index (null prototype: looking a kind up reads no prototype). */
  kindIndex: Record<string, number>;
  layouts: Layout[];
  /** Every name the encoder reads from a fact (a field the fact lacks is looked up on Object.prototype). */
  fieldNames: Record<string, true>;
  /** The kind indices `postedRecord` and `dispatchedRecord` write, or −1 when the layout is not the one they know. */
  posted: number;
  dispatched: number;
}
let tables: Tables | undefined;

const PREVIEW_FIELDS = ['t', 'v', 'len', 'truncated', 'entries', 'keys', 'items'] as const;

/** `String.prototype.indexOf` with its start position (the captured one; natives.ts types it without). */
const indexOfFrom = stringIndexOf as unknown as (s: string, x: string, from: number) => number;

/**
 * The fields of `text` from `at.i` (`name:how,…`, a nested record's in parentheses) up to `)` or
 * its end. The page has run by now: only captured natives read the text, and the runtime's own
 * arrays are written by definition (a page setter on Array.prototype[0] would see an assignment).
 */
function parseFields(text: string, at: { i: number }, t: Tables): Layout {
  const layout: Layout = { names: [], codes: [], nested: [] };
  let n = 0;
  while (at.i < text.length && charCodeAt(text, at.i) !== 41 /* ) */) {
    const colon = indexOfFrom(text, ':', at.i);
    const name = stringSlice(text, at.i, colon);
    t.fieldNames[name] = true;
    at.i = colon + 1;
    if (charCodeAt(text, at.i) === 40 /* ( */) {
      at.i++;
      putIndex(layout.nested, n, parseFields(text, at, t));
      putIndex(layout.codes, n, RECORD);
      at.i++; // the closing parenthesis
    } else {
      let end = at.i;
      while (end < text.length && charCodeAt(text, end) !== 44 /* , */ && charCodeAt(text, end) !== 41) end++;
      putIndex(layout.codes, n, codeOf(stringSlice(text, at.i, end)));
      putIndex(layout.nested, n, null);
      at.i = end;
    }
    putIndex(layout.names, n++, name);
    if (charCodeAt(text, at.i) === 44) at.i++;
  }
  return layout;
}

function readTables(): Tables {
  const t: Tables = {
    kindIndex: objectCreate(null) as Record<string, number>,
    layouts: [],
    fieldNames: objectCreate(null) as Record<string, true>,
    posted: -1,
    dispatched: -1,
  };
  t.fieldNames.kind = true;
  // What the preview's short forms read from a node (node() below).
  // An index loop: for…of would call Array.prototype[Symbol.iterator], which the page may have replaced.
  for (let i = 0; i < PREVIEW_FIELDS.length; i++) t.fieldNames[PREVIEW_FIELDS[i]] = true;
  // The runtime's own arrays, written by definition (own-index.ts): the page has run by now.
  const kinds = stringSplit(WIRE_LAYOUT_TEXT, ';');
  for (let k = 0; k < kinds.length; k++) {
    const line = kinds[k];
    const eq = stringIndexOf(line, '=');
    t.kindIndex[stringSlice(line, 0, eq)] = k;
    putIndex(t.layouts, k, parseFields(stringSlice(line, eq + 1), { i: 0 }, t));
  }
  t.posted = handWritten(t, 'port-posted', POSTED_FIELDS);
  t.dispatched = handWritten(t, 'message-dispatched', DISPATCHED_FIELDS);
  return t;
}

/** `kind`'s index when its layout lists exactly `fields` (names and how each travels), else −1. */
function handWritten(t: Tables, kind: string, fields: string): number {
  const k = t.kindIndex[kind];
  if (k === undefined) return -1;
  const { names, codes } = t.layouts[k];
  let listed = '';
  for (let i = 0; i < names.length; i++) listed += (i ? ',' : '') + names[i] + ':' + codes[i];
  return listed === fields ? k : -1;
}

/** The layout the encoder reads, as WireKinds: for the test that compares it with the shapes (the runtime never calls it). */
export function encoderLayout(): WireKind[] {
  tables ??= readTables();
  const t = tables;
  const fields = (l: Layout): WireField[] =>
    l.names.map((name, i) => [name, l.nested[i] ? fields(l.nested[i]!) : CLASS_NAMES[l.codes[i]]] as const);
  return Object.keys(t.kindIndex).map((kind) => [kind, fields(t.layouts[t.kindIndex[kind]])] as const);
}
const CLASS_NAMES = ['str', 'text', 'num', 'clock', 'strs', 'json', 'preview'] as const;

/** No own key of Object.prototype is a field the encoder may read. */
function noFieldNames(proto: object, fieldNames: Record<string, true>): boolean {
  const keys = ownKeys(proto);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k === 'string' && fieldNames[k] === true) return false;
  }
  return true;
}

/** One batch being encoded. */
interface Encoding {
  /** Plain property reads and writes run no page code (see the module comment). */
  plain: boolean;
  /** String → its index in `table` (null prototype). */
  strings: Record<string, number>;
  table: string[];
  /** The time the batch's clock fields are counted from. */
  base: number;
}

function read(e: Encoding, o: object, key: string | number): unknown {
  return e.plain ? (o as Record<string | number, unknown>)[key] : ownValue(o, key)?.value;
}

function ref(e: Encoding, s: string): number {
  const known = e.strings[s];
  if (known !== undefined) return known;
  const index = e.table.length;
  if (e.plain) e.table[index] = s;
  else putIndex(e.table, index, s);
  e.strings[s] = index;
  return index;
}

/** A value its field's class cannot carry (a forged or foreign fact), sent as it is: decoded to the same value. */
const verbatim = (v: unknown): object => ({ v });

function strings(e: Encoding, v: unknown): unknown {
  if (!isArray(v)) return verbatim(v);
  const length = read(e, v, 'length') as number;
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const s = read(e, v, i);
    if (typeof s !== 'string') return verbatim(v);
    if (e.plain) out[i] = ref(e, s);
    else putIndex(out, i, ref(e, s));
  }
  return out;
}

/** The runtime's own list being written: plain assignment, or definition when the prototypes could see it. */
function put(e: Encoding, out: unknown[], i: number, v: unknown): void {
  if (e.plain) out[i] = v;
  else putIndex(out, i, v);
}

/** A preview node as written by this runtime: its fields read as plain properties (see `plainNode`). */
interface PlainNode {
  t?: unknown;
  v?: unknown;
  len?: unknown;
  truncated?: unknown;
  entries?: unknown;
  keys?: unknown;
  items?: unknown;
}

/**
 * `node` for a batch whose prototypes run no page code (`e.plain`): the same forms, read with
 * plain property loads, which V8 keeps monomorphic per node type (the previews' hottest path).
 */
function plainNode(e: Encoding, n: PlainNode): unknown {
  switch (n.t) {
    case 'number': {
      const v = n.v;
      return typeof v === 'number' && v - v === 0 ? v : n;
    }
    case 'string': {
      const v = n.v;
      const len = n.len;
      if (typeof v !== 'string' || typeof len !== 'number') return n;
      const truncated = n.truncated;
      if (truncated === undefined) return len === v.length ? v : n;
      return truncated === true ? [WIRE_PREVIEW_STRING_CUT, len, v] : n;
    }
    case 'boolean':
      return typeof n.v === 'boolean' ? n.v : n;
    case 'null':
      return null;
    case 'undefined':
      return [WIRE_PREVIEW_UNDEFINED];
    case 'object': {
      const entries = n.entries;
      const keys = n.keys;
      const truncated = n.truncated;
      if (!isArray(entries) || typeof keys !== 'number' || (truncated !== undefined && truncated !== true)) return n;
      const out: unknown[] = [truncated ? WIRE_PREVIEW_OBJECT_CUT : WIRE_PREVIEW_OBJECT, keys];
      for (let i = 0; i < entries.length; i++) {
        const entry: unknown = entries[i];
        if (!isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return n;
        const child: unknown = entry[1];
        out[out.length] = ref(e, entry[0]);
        out[out.length] =
          typeof child === 'object' && child !== null && !isArray(child)
            ? plainNode(e, child)
            : [WIRE_PREVIEW_AS_IS, child];
      }
      return out;
    }
    case 'array': {
      const items = n.items;
      const len = n.len;
      const truncated = n.truncated;
      if (!isArray(items) || typeof len !== 'number' || (truncated !== undefined && truncated !== true)) return n;
      const out: unknown[] = [truncated ? WIRE_PREVIEW_ARRAY_CUT : WIRE_PREVIEW_ARRAY, len];
      for (let i = 0; i < items.length; i++) {
        const child: unknown = items[i];
        out[i + 2] =
          typeof child === 'object' && child !== null && !isArray(child)
            ? plainNode(e, child)
            : [WIRE_PREVIEW_AS_IS, child];
      }
      return out;
    }
    default:
      return n;
  }
}

/**
 * A preview node written short where its fields fit one of the forms of protocol/wire.ts, else
 * as it is (its subtree too). Only the fields those forms carry are read: a node's other own
 * fields are left behind, as the receiving side's validator leaves them.
 */
function node(e: Encoding, n: object): unknown {
  const t = read(e, n, 't');
  switch (t) {
    case 'number': {
      const v = read(e, n, 'v');
      // Finite: the others travel as the words the node holds ('NaN'), as they are.
      return typeof v === 'number' && v - v === 0 ? v : n;
    }
    case 'string': {
      const v = read(e, n, 'v');
      const len = read(e, n, 'len');
      if (typeof v !== 'string' || typeof len !== 'number') return n;
      const truncated = read(e, n, 'truncated');
      if (truncated === undefined) return len === v.length ? v : n;
      if (truncated !== true) return n;
      const out: unknown[] = [WIRE_PREVIEW_STRING_CUT];
      put(e, out, 1, len);
      put(e, out, 2, v);
      return out;
    }
    case 'boolean': {
      const v = read(e, n, 'v');
      return typeof v === 'boolean' ? v : n;
    }
    case 'null':
      return null;
    case 'undefined':
      return [WIRE_PREVIEW_UNDEFINED];
    case 'object': {
      const entries = read(e, n, 'entries');
      const keys = read(e, n, 'keys');
      const truncated = read(e, n, 'truncated');
      if (!isArray(entries) || typeof keys !== 'number' || (truncated !== undefined && truncated !== true)) return n;
      const length = read(e, entries, 'length') as number;
      const out: unknown[] = [truncated ? WIRE_PREVIEW_OBJECT_CUT : WIRE_PREVIEW_OBJECT];
      put(e, out, 1, keys);
      for (let i = 0, at = 2; i < length; i++) {
        const entry = read(e, entries, i);
        // [key, node] only: an entry with a cut key's length (or anything else) keeps the node as it is.
        if (!isArray(entry) || read(e, entry, 'length') !== 2) return n;
        const key = read(e, entry, 0);
        const child = read(e, entry, 1);
        if (typeof key !== 'string') return n;
        put(e, out, at++, ref(e, key));
        put(
          e,
          out,
          at++,
          typeof child === 'object' && child !== null && !isArray(child) ? node(e, child) : [WIRE_PREVIEW_AS_IS, child],
        );
      }
      return out;
    }
    case 'array': {
      const items = read(e, n, 'items');
      const len = read(e, n, 'len');
      const truncated = read(e, n, 'truncated');
      if (!isArray(items) || typeof len !== 'number' || (truncated !== undefined && truncated !== true)) return n;
      const length = read(e, items, 'length') as number;
      const out: unknown[] = [truncated ? WIRE_PREVIEW_ARRAY_CUT : WIRE_PREVIEW_ARRAY];
      put(e, out, 1, len);
      for (let i = 0; i < length; i++) {
        const child = read(e, items, i);
        put(
          e,
          out,
          i + 2,
          typeof child === 'object' && child !== null && !isArray(child) ? node(e, child) : [WIRE_PREVIEW_AS_IS, child],
        );
      }
      return out;
    }
    default:
      return n;
  }
}

/** A finite number: `v - v === 0` holds exactly for those (JSON writes the others as null, so they go verbatim). */
const finite = (v: unknown): v is number => typeof v === 'number' && v - v === 0;

/** An object that is not an array: what a preview node or a nested record is written from (anything else goes as it is). */
const isNode = (v: unknown): v is PlainNode => typeof v === 'object' && v !== null && !isArray(v);

/** A clock field: steps from the batch's base, or undefined where the value must go verbatim. */
function clockSteps(e: Encoding, v: unknown): number | undefined {
  if (typeof v !== 'number') return undefined;
  const steps = (v - e.base) * WIRE_CLOCK_STEPS;
  return steps === mathFloor(steps) && e.base + steps / WIRE_CLOCK_STEPS === v ? steps : undefined;
}

/** [mask × `times` + `plus`, …the present fields' values]: bit i of the mask says field i is present. */
function record(e: Encoding, layout: Layout, o: object, plus: number, times: number): unknown[] {
  const { names, codes } = layout;
  const plain = e.plain;
  const out: unknown[] = [0];
  let mask = 0;
  let bit = 1;
  let n = 1;
  for (let i = 0; i < names.length; i++, bit *= 2) {
    // `read`, written out: the hottest line of the encoder.
    const v = plain ? (o as Record<string, unknown>)[names[i]] : ownValue(o, names[i])?.value;
    const type = typeof v;
    // Absent, as JSON.stringify leaves such a property out.
    if (type === 'undefined' || type === 'function' || type === 'symbol') continue;
    mask += bit;
    let w: unknown;
    switch (codes[i]) {
      case STR:
        w = type === 'string' ? ref(e, v as string) : verbatim(v);
        break;
      case TEXT:
        w = type === 'string' ? v : verbatim(v);
        break;
      case NUM:
        w = finite(v) ? v : verbatim(v);
        break;
      case CLOCK: {
        const steps = clockSteps(e, v);
        w = steps === undefined ? verbatim(v) : steps;
        break;
      }
      case STRS:
        w = strings(e, v);
        break;
      case JSON_AS_IS:
        w = v;
        break;
      case PREVIEW:
        w = isNode(v) ? (plain ? plainNode(e, v) : node(e, v)) : [WIRE_PREVIEW_AS_IS, v];
        break;
      default:
        w = isNode(v) ? record(e, layout.nested[i]!, v, 0, 1) : verbatim(v);
    }
    if (plain) out[n++] = w;
    else putIndex(out, n++, w);
  }
  if (plain) out[0] = mask * times + plus;
  else putIndex(out, 0, mask * times + plus);
  return out;
}

/**
 * The fields of the two facts every recorded message makes, as `record` reads them from the layout
 * (name:how, `how` the codes above): `postedRecord` and `dispatchedRecord` write exactly what
 * `record` writes for them, and are used only while the layout says these (`handWritten`).
 */
const POSTED_FIELDS = `seq:${NUM},time:${CLOCK},ctx:${STR},port:${NUM},msg:${NUM},preview:${PREVIEW},bytes:${NUM},fingerprint:${TEXT},transfer:${JSON_AS_IS},outcome:${STR},site:${RECORD}`;
const DISPATCHED_FIELDS = `seq:${NUM},time:${CLOCK},ctx:${STR},port:${NUM},fingerprint:${TEXT},preview:${PREVIEW},ports:${JSON_AS_IS},handlers:${NUM},duration:${NUM},threw:${RECORD}`;

interface PlainPosted {
  seq?: unknown;
  time?: unknown;
  ctx?: unknown;
  port?: unknown;
  msg?: unknown;
  preview?: unknown;
  bytes?: unknown;
  fingerprint?: unknown;
  transfer?: unknown;
  outcome?: unknown;
  site?: unknown;
}

/**
 * `record` of a `port-posted` fact as the runtime builds it (post.ts, port.ts: every field there,
 * `site` an object or absent), on the plain path: its fields read by name (one shape, not a load
 * per layout name) and its record made as one literal of its length, not grown element by element.
 * Undefined for any other fact: `record` writes that one.
 */
function postedRecord(e: Encoding, f: PlainPosted, plus: number, times: number): unknown[] | undefined {
  const { seq, ctx, port, msg, preview, bytes, fingerprint, transfer, outcome, site } = f;
  const steps = clockSteps(e, f.time);
  if (
    steps === undefined ||
    !finite(seq) ||
    typeof ctx !== 'string' ||
    !finite(port) ||
    !finite(msg) ||
    !isNode(preview) ||
    !finite(bytes) ||
    typeof fingerprint !== 'string' ||
    typeof transfer !== 'object' ||
    typeof outcome !== 'string'
  )
    return undefined;
  // Every field but `site`: bits 0–9; `site` is bit 10.
  if (site === undefined)
    return [
      1023 * times + plus,
      seq,
      steps,
      ref(e, ctx),
      port,
      msg,
      plainNode(e, preview),
      bytes,
      fingerprint,
      transfer,
      ref(e, outcome),
    ];
  if (!isNode(site)) return undefined;
  return [
    2047 * times + plus,
    seq,
    steps,
    ref(e, ctx),
    port,
    msg,
    plainNode(e, preview),
    bytes,
    fingerprint,
    transfer,
    ref(e, outcome),
    record(e, tables!.layouts[plus].nested[10]!, site, 0, 1),
  ];
}

interface PlainDispatched {
  seq?: unknown;
  time?: unknown;
  ctx?: unknown;
  port?: unknown;
  fingerprint?: unknown;
  preview?: unknown;
  ports?: unknown;
  handlers?: unknown;
  duration?: unknown;
  threw?: unknown;
}

/**
 * `record` of a `message-dispatched` fact as observe.ts builds it, without `threw`: with neither
 * fingerprint nor preview (a message whose post was recorded here) or with both. Undefined
 * otherwise: `record` writes that one.
 */
function dispatchedRecord(e: Encoding, f: PlainDispatched, plus: number, times: number): unknown[] | undefined {
  const { seq, ctx, port, fingerprint, preview, ports, handlers, duration } = f;
  const steps = clockSteps(e, f.time);
  if (
    steps === undefined ||
    f.threw !== undefined ||
    !finite(seq) ||
    typeof ctx !== 'string' ||
    !finite(port) ||
    typeof ports !== 'object' ||
    !finite(handlers) ||
    !finite(duration)
  )
    return undefined;
  // seq, time, ctx, port, ports, handlers, duration: bits 0–3 and 6–8.
  if (fingerprint === undefined && preview === undefined)
    return [463 * times + plus, seq, steps, ref(e, ctx), port, ports, handlers, duration];
  if (typeof fingerprint !== 'string' || !isNode(preview)) return undefined;
  // With fingerprint (bit 4) and preview (bit 5).
  return [
    511 * times + plus,
    seq,
    steps,
    ref(e, ctx),
    port,
    fingerprint,
    plainNode(e, preview),
    ports,
    handlers,
    duration,
  ];
}

/**
 * The batch as one compact text (protocol/wire.ts) with its per-kind counts. `handWrittenRecords`
 * false writes every fact with `record` (the test that compares the two ways; the runtime never
 * passes it).
 */
export function encodeBatch(facts: Fact[], handWrittenRecords = true): EncodedBatch {
  const kinds = objectCreate(null) as Record<string, number>;
  tables ??= readTables();
  const { kindIndex, layouts, fieldNames, posted, dispatched } = tables;
  const inertProtos =
    getPrototypeOf(facts) === ArrayProto &&
    getPrototypeOf(ArrayProto) === ObjectProto &&
    inert(ObjectProto) &&
    inert(ArrayProto) &&
    noFieldNames(ObjectProto, fieldNames);
  // Own elements only, read once; with inert prototypes the runtime's own array is read as it is.
  const items: unknown[] = inertProtos ? facts : range(facts, 0, ownValue(facts, 'length')!.value as number);
  const length = items.length;
  let plain = inertProtos;
  for (let i = 0; i < length; i++) {
    const fact = items[i];
    if (typeof fact !== 'object' || fact === null || getPrototypeOf(fact) !== ObjectProto) plain = false;
  }
  const e: Encoding = { plain, strings: objectCreate(null) as Record<string, number>, table: [], base: 0 };
  const first = items[0];
  const time = typeof first === 'object' && first !== null ? read(e, first, 'time') : undefined;
  if (typeof time === 'number' && time - time === 0) e.base = time;
  const out: unknown[] = [WIRE_VERSION, e.base, e.table];
  for (let i = 0; i < length; i++) {
    const fact = items[i];
    const kind = typeof fact === 'object' && fact !== null ? read(e, fact, 'kind') : undefined;
    kinds[kind as string] = (kinds[kind as string] ?? 0) + 1;
    const k = typeof kind === 'string' ? kindIndex[kind] : undefined;
    let r: unknown;
    if (k === undefined) r = verbatim(fact);
    else {
      const times = layouts.length;
      if (plain && handWrittenRecords)
        r =
          k === posted
            ? postedRecord(e, fact as PlainPosted, k, times)
            : k === dispatched
              ? dispatchedRecord(e, fact as PlainDispatched, k, times)
              : undefined;
      r ??= record(e, layouts[k], fact as object, k, times);
    }
    if (plain) out[i + 3] = r;
    else putIndex(out, i + 3, r);
  }
  if (plain) {
    try {
      return { json: apply(jsonStringify, undefined, [out]) as string, kinds };
    } catch {
      // Nothing the runtime builds should throw here; ownJson below says the same or throws.
    }
  }
  return { json: ownJson(out) ?? '[]', kinds };
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
