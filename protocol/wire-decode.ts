/**
 * The receiving side of the compact wire (protocol/wire.ts): a parsed batch text back into the
 * facts the runtime emitted, one record at a time. What this checks is the wire itself (a string
 * index outside the table, a mask naming more fields than the record holds, a kind that does not
 * exist); the facts it gives are then checked by the facts' own validator like any other, so an
 * error names the fact and the field either way (`message.json[0][12].ctx: …`).
 *
 * The decoder builds every record and every short preview node afresh, with only the fields its
 * layout names (the shape's), so such a fact needs no second, checked copy: it says so in
 * `WireBatch.owned`, and the validator then checks it in place (check.ts, owned). A value the
 * text carried as it is (a fact or field `{"v": …}`, a `json` field holding an object or a
 * non-empty array, a preview node written as its JSON object or `[AS_IS, value]`) may hold keys
 * nobody named: its fact is not owned, and is checked into a copy as before.
 */
import { Fault, ProtocolError, located, show, via } from './fault.ts';
import { deriveWireLayout } from './wire.ts';
import {
  WIRE_CLOCK_STEPS,
  WIRE_PREVIEW_ARRAY,
  WIRE_PREVIEW_ARRAY_CUT,
  WIRE_PREVIEW_AS_IS,
  WIRE_PREVIEW_OBJECT,
  WIRE_PREVIEW_OBJECT_CUT,
  WIRE_PREVIEW_STRING_CUT,
  WIRE_PREVIEW_UNDEFINED,
  WIRE_VERSION,
  type WireClass,
  type WireField,
} from './wire-layout.ts';

/** The layout, from the shapes (the runtime reads the same from wire-layout.ts's text; a test compares). */
const WIRE_LAYOUT = deriveWireLayout();

const KINDS = WIRE_LAYOUT.length;

/** Each fact kind's fields in the order a record holds them (WireBatch.values), in FACT_KINDS order. */
export function wireFactFields(): readonly (readonly [kind: string, fields: readonly string[]])[] {
  return WIRE_LAYOUT.map(([kind, fields]) => [kind, fields.map((f) => f[0])] as const);
}

/** A compact batch after its header was read: the record of fact `i` is `records[i + 3]`. */
export interface WireBatch {
  base: number;
  table: string[];
  records: unknown[];
  /** Facts in the batch. */
  count: number;
  /**
   * After wireFact: whether the fact it gave was built here whole (every object and array in it
   * made by the decoder, holding only the fields its shape names), so it may be checked in place.
   */
  owned: boolean;
  /** After wireFact of a record: its kind's index in the layout (FACT_KINDS order). */
  kind: number;
  /**
   * After wireFact of a record: the value of each field of its kind's layout, by position
   * (undefined where absent), so that its check need not read them back by name (check.ts
   * ownedVariantChecks). Overwritten by the next fact.
   */
  values: unknown[];
}

/** Whether a parsed text is a compact batch at all (a plain JSON array of facts is not). */
export function isWire(parsed: unknown[]): boolean {
  return typeof parsed[0] === 'number';
}

/** The batch's header (version, base time, string table); a bad one costs the whole text. */
export function wireHeader(parsed: unknown[], where: string): WireBatch {
  if (parsed[0] !== WIRE_VERSION)
    throw new ProtocolError(`${where}[0]`, `expected wire version ${WIRE_VERSION}, got ${show(parsed[0])}`);
  const base = parsed[1];
  if (typeof base !== 'number' || !Number.isFinite(base))
    throw new ProtocolError(`${where}[1]`, `expected the batch's base time (a finite number), got ${show(base)}`);
  const table = parsed[2];
  if (!Array.isArray(table))
    throw new ProtocolError(`${where}[2]`, `expected the batch's string table, got ${show(table)}`);
  for (let i = 0; i < table.length; i++)
    if (typeof table[i] !== 'string')
      throw new ProtocolError(`${where}[2][${i}]`, `expected a string of the table, got ${show(table[i])}`);
  return { base, table, records: parsed, count: Math.max(0, parsed.length - 3), owned: false, kind: -1, values: [] };
}

const isVerbatim = (x: unknown): x is { v: unknown } =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && Object.hasOwn(x, 'v');

// Problems travel as Faults and gather their path while unwinding (fault.ts): a good record
// costs no string work.

function string(batch: WireBatch, x: unknown): string {
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < batch.table.length) return batch.table[x];
  throw new Fault(
    typeof x === 'number'
      ? `string ${x} is not in the batch's table (${batch.table.length} strings)`
      : `expected a string's index in the table, got ${show(x)}`,
  );
}

function expectItems(x: unknown[], length: number) {
  if (x.length !== length)
    throw new Fault(`expected ${length} items in a preview node of code ${x[0]}, got ${x.length}`);
}

/** The node at `x[i]` of an object node (its `entry`th) or of an array node (`entry` -1); its path is written only for a fault. */
function childNode(batch: WireBatch, x: unknown[], i: number, entry: number): unknown {
  try {
    return previewNode(batch, x[i]);
  } catch (e) {
    throw via(e, entry >= 0 ? `.entries[${entry}][1]` : `.items[${i - 2}]`);
  }
}

/**
 * A preview node from its short form (protocol/wire.ts), its fields in the order the runtime
 * writes them; a JSON object is the node as it is. What the node then holds is the facts'
 * validator's to check (a `keys` that is not a count, say), as for plain JSON.
 */
function previewNode(batch: WireBatch, x: unknown): unknown {
  switch (typeof x) {
    case 'number':
      return { t: 'number', v: x };
    case 'string':
      return { t: 'string', v: x, len: x.length };
    case 'boolean':
      return { t: 'boolean', v: x };
  }
  if (x === null) return { t: 'null' };
  if (!Array.isArray(x)) {
    batch.owned = false;
    return x;
  }
  const code = x[0];
  switch (code) {
    case WIRE_PREVIEW_UNDEFINED:
      expectItems(x, 1);
      return { t: 'undefined' };
    case WIRE_PREVIEW_STRING_CUT:
      expectItems(x, 3);
      return { t: 'string', v: x[2], len: x[1], truncated: true };
    case WIRE_PREVIEW_AS_IS:
      expectItems(x, 2);
      batch.owned = false;
      return x[1];
    case WIRE_PREVIEW_OBJECT:
    case WIRE_PREVIEW_OBJECT_CUT: {
      if (x.length % 2 !== 0)
        throw new Fault(`expected an object node's keys and [key, node] pairs, got ${x.length - 2} items after them`);
      const entries: [string, unknown][] = new Array((x.length - 2) / 2);
      for (let i = 2, n = 0; i < x.length; i += 2, n++) {
        let key: string;
        try {
          key = string(batch, x[i]);
        } catch (e) {
          throw via(e, `.entries[${n}][0]`);
        }
        entries[n] = [key, childNode(batch, x, i + 1, n)];
      }
      return code === WIRE_PREVIEW_OBJECT
        ? { t: 'object', entries, keys: x[1] }
        : { t: 'object', entries, keys: x[1], truncated: true };
    }
    case WIRE_PREVIEW_ARRAY:
    case WIRE_PREVIEW_ARRAY_CUT: {
      if (x.length < 2) throw new Fault(`expected an array node's length, got ${x.length - 1} items`);
      const items: unknown[] = new Array(x.length - 2);
      for (let i = 2; i < x.length; i++) items[i - 2] = childNode(batch, x, i, -1);
      return code === WIRE_PREVIEW_ARRAY
        ? { t: 'array', len: x[1], items }
        : { t: 'array', len: x[1], items, truncated: true };
    }
    default:
      throw new Fault(`expected a preview node, its short form or [${WIRE_PREVIEW_AS_IS}, value], got ${show(x)}`);
  }
}

function value(batch: WireBatch, how: WireClass, x: unknown): unknown {
  if (how === 'json') {
    // JSON.parse makes an empty array with nothing else on it; anything larger may hold more than its shape names.
    if (typeof x === 'object' && x !== null && !(Array.isArray(x) && x.length === 0)) batch.owned = false;
    return x;
  }
  if (how === 'preview') return previewNode(batch, x);
  if (isVerbatim(x)) {
    batch.owned = false;
    return x.v;
  }
  switch (how) {
    case 'str':
      return string(batch, x);
    case 'text':
      if (typeof x === 'string') return x;
      throw new Fault(`expected a string or {"v": value}, got ${show(x)}`);
    case 'num':
      if (typeof x === 'number') return x;
      throw new Fault(`expected a number or {"v": value}, got ${show(x)}`);
    case 'clock':
      if (typeof x === 'number') return batch.base + x / WIRE_CLOCK_STEPS;
      throw new Fault(`expected the time's steps from the batch's base or {"v": value}, got ${show(x)}`);
    case 'strs': {
      if (!Array.isArray(x)) throw new Fault(`expected a list of string indices, got ${show(x)}`);
      const out: string[] = [];
      for (let i = 0; i < x.length; i++) {
        try {
          out.push(string(batch, x[i]));
        } catch (e) {
          throw via(e, `[${i}]`);
        }
      }
      return out;
    }
    default:
      return record(batch, how, x, 1);
  }
}

/**
 * A record [code, …values]: the code is mask × `times` + kind; bit i of the mask says field i is
 * present. `fields` null: a fact, whose layout the kind names.
 */
function record(
  batch: WireBatch,
  fields: readonly WireField[] | null,
  x: unknown,
  times: number,
): Record<string, unknown> {
  if (!Array.isArray(x) || typeof x[0] !== 'number' || !Number.isSafeInteger(x[0]) || x[0] < 0)
    throw new Fault(`expected a record [code, …values] or {"v": value}, got ${show(x)}`);
  const kind = x[0] % times;
  const mask = (x[0] - kind) / times;
  const layout = fields ?? WIRE_LAYOUT[kind][1];
  if (mask >= 2 ** layout.length)
    throw new Fault(`mask ${mask} names fields past the ${layout.length} this record has`);
  const fact = fields === null;
  const out: Record<string, unknown> = fact ? { kind: WIRE_LAYOUT[kind][0] } : {};
  const values = batch.values;
  let n = 1;
  for (let i = 0; i < layout.length; i++) {
    if (((mask >> i) & 1) === 0) {
      if (fact) values[i] = undefined;
      continue;
    }
    if (n >= x.length) throw new Fault(`the mask names more fields than the record's ${x.length - 1} values`);
    const field = layout[i];
    let v: unknown;
    try {
      v = value(batch, field[1], x[n++]);
    } catch (e) {
      throw via(e, `.${field[0]}`);
    }
    out[field[0]] = v;
    if (fact) values[i] = v;
  }
  if (fact) batch.kind = kind;
  if (n !== x.length) throw new Fault(`the record holds ${x.length - 1} values, its mask names ${n - 1}`);
  return out;
}

/** Fact `i` of the batch as the runtime emitted it, for the facts' validator; throws a ProtocolError at `where[i]`. */
export function wireFact(batch: WireBatch, i: number, where: string): unknown {
  const x = batch.records[i + 3];
  batch.owned = !isVerbatim(x);
  if (!batch.owned) return (x as { v: unknown }).v;
  try {
    return record(batch, null, x, KINDS);
  } catch (e) {
    throw located(e, `${where}[${i}]`, show);
  }
}

/** Every fact of a compact batch text, unchecked (for tools and tests); throws a ProtocolError at the first wire error. */
export function wireFacts(text: string, where = 'batch'): unknown[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !isWire(parsed)) throw new ProtocolError(where, 'expected a compact batch text');
  const batch = wireHeader(parsed, where);
  const out: unknown[] = [];
  for (let i = 0; i < batch.count; i++) out.push(wireFact(batch, i, where));
  return out;
}
