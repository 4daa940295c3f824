/**
 * Turns a shape (shape.ts) into the check the receiving side runs on untrusted input: built once
 * per shape, from closures specialised to it (no `eval`: the extension's CSP and the house rule
 * forbid it). A check returns a fresh copy holding only the fields the shape names, so nothing a
 * sender smuggled in travels further, and throws a ProtocolError naming the exact path (fault.ts).
 *
 * An *owned* check is the same check for a value its caller made itself and gives away, every
 * object and array of it holding only what the shape names (the wire decoder's facts,
 * wire-decode.ts): it checks every field alike, with the same errors, but writes the checked
 * values back into the value instead of into a copy, since a copy of what is already fresh and
 * clean would only be allocation and garbage for the collector.
 */
import { Fault, expected, located, show, via } from './fault.ts';
import { emptyCounts } from './messages.ts';
import { type Budget, type Primitive, checkPrimitive, primitive, primitiveOf } from './primitive-check.ts';
import type { Fields, Shape, UnionShape } from './shape.ts';

/** A compiled check; `budget` is the enclosing preview tree's, when inside one. */
type Check = (x: unknown, budget: Budget) => unknown;

/** Copies (the default) or, for an owned value, checks in place (see above). */
type Mode = 'copy' | 'owned';

/** A property name as a path step: `.port`, or `["port-posted"]` for `quoted` counts. */
function keyStep(key: string, quoted: boolean): string {
  if (!quoted || /^[A-Za-z_$][\w$]*$/.test(key)) return `.${key}`;
  return `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const compiled = { copy: new WeakMap<object, Check>(), owned: new WeakMap<object, Check>() };

/** `child` is the check of a node one level deeper in the preview tree being compiled. */
function compile(shape: Shape, mode: Mode, child?: Check): Check {
  const known = compiled[mode].get(shape);
  if (known) return known;
  const check = build(shape, mode, child);
  // A preview tree's nodes depend on their tree; everything else is the same wherever it appears.
  if (!child) compiled[mode].set(shape, check);
  return check;
}

function build(shape: Shape, mode: Mode, child: Check | undefined): Check {
  const owned = mode === 'owned';
  switch (shape.s) {
    case 'string':
    case 'int':
    case 'number':
    case 'boolean':
    case 'true':
    case 'enum': {
      const rule = primitive(shape);
      return (x, budget) => checkPrimitive(rule, x, budget);
    }
    case 'const': {
      const value = shape.value;
      return (x) => {
        if (x !== value) throw expected(JSON.stringify(value), x);
        return x;
      };
    }
    case 'optional':
    case 'named':
      return compile(shape.inner, mode, child);
    case 'nullable': {
      const inner = compile(shape.inner, mode, child);
      return (x, budget) => (x === null ? null : inner(x, budget));
    }
    case 'numberValue': {
      const word = primitive({ s: 'enum', values: shape.words });
      const number = primitive({ s: 'number' });
      return (x, budget) => checkPrimitive(typeof x === 'string' ? word : number, x, budget);
    }
    case 'dateValue': {
      const number = primitive({ s: 'number' });
      return (x, budget) =>
        x === null || (typeof x === 'number' && Number.isNaN(x)) ? Number.NaN : checkPrimitive(number, x, budget);
    }
    case 'instant':
      return (x) => {
        if (typeof x !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(x) || Number.isNaN(Date.parse(x))) {
          throw expected('an ISO 8601 date-time string', x);
        }
        return x;
      };
    case 'list':
      return listCheck(shape.item.s === 'unchecked' ? undefined : compile(shape.item, mode, child), owned, shape.max);
    case 'tuple': {
      const items = shape.items.map((item) => compile(item, mode, child));
      const { min, expected: what } = shape;
      const max = items.length;
      return (x, budget) => {
        if (!Array.isArray(x)) throw expected('an array', x);
        if (x.length > max) throw new Fault(`expected at most ${max} entries, got ${x.length}`);
        if (x.length < min) throw expected(what, x);
        const out = owned ? x : new Array(x.length);
        let i = 0;
        try {
          for (; i < x.length; i++) {
            const v = items[i](x[i], budget);
            if (out !== x || v !== x[i]) out[i] = v;
          }
        } catch (e) {
          throw via(e, `[${i}]`);
        }
        return out;
      };
    }
    case 'object': {
      const fields = fieldChecks(shape.fields, mode, child);
      return (x, budget) => {
        if (!isRecord(x)) throw expected('an object', x);
        const out: Record<string, unknown> = owned ? x : {};
        writeFields(x, fields, out, budget);
        return out;
      };
    }
    case 'union':
      return unionCheck(shape, mode, child);
    case 'variant': {
      const union = compile(shape.union, mode, child);
      const { tag } = shape.union.s === 'named' ? shape.union.inner : shape.union;
      const value = shape.value;
      return (x, budget) => {
        const out = union(x, budget) as Record<string, unknown>;
        if (out[tag] !== value) throw via(expected(JSON.stringify(value), out[tag]), `.${tag}`);
        return out;
      };
    }
    case 'counts': {
      const key = shape.key ? compile(shape.key, mode) : undefined;
      const max = shape.maxKeys ?? Number.POSITIVE_INFINITY;
      const noun = shape.noun ?? 'keys';
      const quoted = shape.quoted === true;
      const count = primitive({ s: 'int', min: 0 });
      // Always a copy, owned or not: a key such as `__proto__` must land in a record without a prototype.
      return (x, budget) => {
        if (!isRecord(x)) throw expected('an object', x);
        const out = emptyCounts();
        const keys = Object.keys(x);
        if (keys.length > max) throw new Fault(`expected at most ${max} ${noun}, got ${keys.length}`);
        for (const k of keys) {
          try {
            key?.(k, budget);
          } catch (e) {
            throw via(e, ' key');
          }
          try {
            out[k] = checkPrimitive(count, x[k], budget) as number;
          } catch (e) {
            throw via(e, keyStep(k, quoted));
          }
        }
        return out;
      };
    }
    case 'preview':
      return previewCheck(shape, mode);
    case 'child':
      if (!child) throw new Error('a preview child outside a preview tree');
      return child;
    case 'unchecked':
      return (x) => x;
  }
}

function listCheck(item: Check | undefined, owned: boolean, max: number = Number.POSITIVE_INFINITY): Check {
  return (x, budget) => {
    if (!Array.isArray(x)) throw expected('an array', x);
    if (x.length > max) throw new Fault(`expected at most ${max} entries, got ${x.length}`);
    if (!item) return x;
    const out = owned ? x : new Array(x.length);
    let i = 0;
    try {
      for (; i < x.length; i++) {
        const v = item(x[i], budget);
        if (out !== x || v !== x[i]) out[i] = v;
      }
    } catch (e) {
      throw via(e, `[${i}]`);
    }
    return out;
  };
}

interface FieldCheck {
  key: string;
  /** A primitive field's rule (checked inline), else its check. */
  rule: Primitive | undefined;
  check: Check;
  optional: boolean;
  /** The field before this one that its counts add up to. */
  sumsTo: string | undefined;
}

function fieldChecks(fields: Fields, mode: Mode, child: Check | undefined): FieldCheck[] {
  return Object.entries(fields).map(([key, shape]) => ({
    key,
    rule: primitiveOf(shape),
    check: compile(shape, mode, child),
    optional: shape.s === 'optional',
    sumsTo: shape.s === 'counts' ? shape.sumsTo : undefined,
  }));
}

/**
 * Copies each field through its check into `out`, in order; an absent optional field stays
 * absent. Checking in place (`out` is `x`), only a value the check changed is written back.
 */
function writeFields(x: Record<string, unknown>, fields: FieldCheck[], out: Record<string, unknown>, budget: Budget) {
  let i = 0;
  try {
    for (; i < fields.length; i++) writeField(fields[i], x[fields[i].key], out, out !== x, budget);
  } catch (e) {
    throw via(e, `.${fields[i].key}`);
  }
}

/**
 * One field's value `v` through its check into `out` (writeFields, writeValues): an absent
 * optional field stays absent; unless `copy`, only a value the check changed is written.
 */
function writeField(f: FieldCheck, v: unknown, out: Record<string, unknown>, copy: boolean, budget: Budget) {
  if (f.optional && v === undefined) return;
  const checked = f.rule ? checkPrimitive(f.rule, v, budget) : f.check(v, budget);
  if (copy || checked !== v) out[f.key] = checked;
  if (f.sumsTo !== undefined) sumCheck(out[f.key] as Record<string, number>, out[f.sumsTo] as number);
}

/**
 * The owned check of each variant of a union, for a decoder that read the variant and every
 * field's value itself (wire-decode.ts keeps them by position, in the shape's order): the
 * union's own field checks, in the same order, with the same errors, run over those values
 * rather than read back from the object by key (a fact's fields are of many shapes: reading
 * them by a computed key is a megamorphic lookup per field). A changed value is written into
 * `out` as the owned check does. `keys` lets the decoder check its positions are the shape's.
 */
export interface VariantCheck {
  keys: readonly string[];
  check(values: readonly unknown[], out: Record<string, unknown>): void;
}

export function ownedVariantChecks(shape: UnionShape): ReadonlyMap<string, VariantCheck> {
  const out = new Map<string, VariantCheck>();
  for (const [name, own] of Object.entries(shape.variants)) {
    const fields = fieldChecks({ ...shape.common, ...own }, 'owned', undefined);
    out.set(name, {
      keys: fields.map((f) => f.key),
      check: (values, record) => writeValues(values, fields, record),
    });
  }
  return out;
}

/** writeFields for an owned value whose fields' values are given by position (ownedVariantChecks). */
function writeValues(values: readonly unknown[], fields: FieldCheck[], out: Record<string, unknown>) {
  // Facts are not inside a preview tree: their checks take no budget (a preview field brings its own).
  const budget = undefined as unknown as Budget;
  let i = 0;
  try {
    for (; i < fields.length; i++) writeField(fields[i], values[i], out, false, budget);
  } catch (e) {
    throw via(e, `.${fields[i].key}`);
  }
}

function sumCheck(counts: Record<string, number>, total: number) {
  let sum = 0;
  for (const k in counts) sum += counts[k];
  if (sum !== total) throw new Fault(`expected counts summing to ${total}, got ${sum}`);
}

function unionCheck(shape: UnionShape, mode: Mode, child: Check | undefined): Check {
  const { tag } = shape;
  const owned = mode === 'owned';
  const variants = new Map<string, FieldCheck[]>();
  for (const [name, fields] of Object.entries(shape.variants)) {
    variants.set(name, fieldChecks({ ...shape.common, ...fields }, mode, child));
  }
  const what = shape.expected ?? `one of ${[...variants.keys()].join('|')}`;
  return (x, budget) => {
    if (!isRecord(x)) throw expected('an object', x);
    const name = x[tag];
    const fields = typeof name === 'string' ? variants.get(name) : undefined;
    if (!fields) throw via(expected(what, name), `.${tag}`);
    if (owned) {
      writeFields(x, fields, x, budget);
      return x;
    }
    const out: Record<string, unknown> = {};
    out[tag] = name;
    writeFields(x, fields, out, budget);
    return out;
  };
}

function previewCheck(shape: Extract<Shape, { s: 'preview' }>, mode: Mode): Check {
  const { nodes, chars, depth } = shape;
  let tree: Check = () => undefined;
  const node = (x: unknown, budget: Budget) => {
    if (--budget.nodes < 0) throw new Fault(`preview has more than ${nodes} nodes`);
    if (budget.depth > depth) throw new Fault(`preview deeper than ${depth}`);
    return tree(x, budget);
  };
  const child: Check = (x, budget) => {
    // A fault ends the whole check, so the depth need not be restored on the way out.
    budget.depth++;
    if (--budget.nodes < 0) throw new Fault(`preview has more than ${nodes} nodes`);
    if (budget.depth > depth) throw new Fault(`preview deeper than ${depth}`);
    const out = tree(x, budget);
    budget.depth--;
    return out;
  };
  tree = build(shape.tree, mode, child);
  // One budget for every tree this check sees: checks are synchronous and never re-enter the root.
  const budget: Budget = { nodes, chars, depth: 0, charLimit: chars };
  return (x) => {
    budget.nodes = nodes;
    budget.chars = chars;
    budget.depth = 0;
    return node(x, budget);
  };
}

/**
 * A shape's check for a value found at `where` (at `where[index]` when an index is given): the
 * validated copy, or a ProtocolError naming the path. `shown` pictures a bad value in the error.
 * `owned`: the check of an owned value (see above), which returns the value itself, checked.
 */
export function checker<T>(shape: Shape, shown: (x: unknown) => string = show, owned = false) {
  const check = compile(shape, owned ? 'owned' : 'copy');
  return (x: unknown, where: string, index?: number): T => {
    try {
      return check(x, undefined as unknown as Budget) as T;
    } catch (e) {
      throw located(e, index === undefined ? where : `${where}[${index}]`, shown);
    }
  };
}

/**
 * `checker`, compiled at its first call. A receiver evaluated at `document_start` in every frame
 * (the content relay) imports these checks, and a compiled check is closures its page's heap
 * holds for the document's life: most of them never run there. A pure annotation at a call site
 * lets a bundle drop the checks a receiver never calls, and their shapes.
 */
export function checkerOnUse<T>(shape: () => Shape, shown: (x: unknown) => string = show, owned = false) {
  let check: ((x: unknown, where: string, index?: number) => T) | undefined;
  return (x: unknown, where: string, index?: number): T => {
    check ??= checker<T>(shape(), shown, owned);
    return check(x, where, index);
  };
}
