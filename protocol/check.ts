/**
 * Turns a shape (shape.ts) into the check the receiving side runs on untrusted input: built once
 * per shape, from closures specialised to it (no `eval`: the extension's CSP and the house rule
 * forbid it). A check returns a fresh copy holding only the fields the shape names, so nothing a
 * sender smuggled in travels further, and throws a ProtocolError naming the exact path:
 * `facts[12].transfer[0].port: expected a positive integer, got "x"`.
 *
 * The path is only built on failure: each container adds its step to the error while it
 * unwinds, so a valid fact costs no string work.
 */
import { emptyCounts } from './messages.ts';
import type { Fields, Shape, UnionShape } from './shape.ts';

export class ProtocolError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ProtocolError';
  }
}

/** A short, escaped picture of a bad value for an error message: never the whole (hostile) value. */
export function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return String(x);
}

/**
 * A problem found inside a value; the steps to it (innermost first) are added while unwinding.
 * `expected ${what}, got <the value>` when `what` is set (the value is shown only at the top,
 * by the receiver's way of showing one), else `problem` as it is.
 */
class Fault {
  readonly steps: string[] = [];
  constructor(
    readonly problem: string,
    readonly what?: string,
    readonly got?: unknown,
  ) {}
}

const expected = (what: string, got: unknown) => new Fault('', what, got);

/** Adds the step `step` to a Fault on its way out; other errors pass untouched. */
function via(e: unknown, step: string): unknown {
  if (e instanceof Fault) e.steps.push(step);
  return e;
}

/** The running totals of one preview tree; `charLimit` is its character bound, for the error. */
interface Budget {
  nodes: number;
  chars: number;
  depth: number;
  charLimit: number;
}

/** A compiled check; `budget` is the enclosing preview tree's, when inside one. */
type Check = (x: unknown, budget: Budget) => unknown;

/** A property name as a path step: `.port`, or `["port-posted"]` for `quoted` counts. */
function keyStep(key: string, quoted: boolean): string {
  if (!quoted || /^[A-Za-z_$][\w$]*$/.test(key)) return `.${key}`;
  return `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const compiled = new WeakMap<object, Check>();

/** `child` is the check of a node one level deeper in the preview tree being compiled. */
function compile(shape: Shape, child?: Check): Check {
  const known = compiled.get(shape);
  if (known) return known;
  const check = build(shape, child);
  // A preview tree's nodes depend on their tree; everything else is the same wherever it appears.
  if (!child) compiled.set(shape, check);
  return check;
}

function build(shape: Shape, child: Check | undefined): Check {
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
      return compile(shape.inner, child);
    case 'nullable': {
      const inner = compile(shape.inner, child);
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
      return listCheck(shape.item.s === 'unchecked' ? undefined : compile(shape.item, child), shape.max);
    case 'tuple': {
      const items = shape.items.map((item) => compile(item, child));
      const { min, expected: what } = shape;
      const max = items.length;
      return (x, budget) => {
        if (!Array.isArray(x)) throw expected('an array', x);
        if (x.length > max) throw new Fault(`expected at most ${max} entries, got ${x.length}`);
        if (x.length < min) throw expected(what, x);
        const out = new Array(x.length);
        let i = 0;
        try {
          for (; i < x.length; i++) out[i] = items[i](x[i], budget);
        } catch (e) {
          throw via(e, `[${i}]`);
        }
        return out;
      };
    }
    case 'object': {
      const fields = fieldChecks(shape.fields, child);
      return (x, budget) => {
        if (!isRecord(x)) throw expected('an object', x);
        const out: Record<string, unknown> = {};
        writeFields(x, fields, out, budget);
        return out;
      };
    }
    case 'union':
      return unionCheck(shape, child);
    case 'variant': {
      const union = compile(shape.union, child);
      const { tag } = shape.union.s === 'named' ? shape.union.inner : shape.union;
      const value = shape.value;
      return (x, budget) => {
        const out = union(x, budget) as Record<string, unknown>;
        if (out[tag] !== value) throw via(expected(JSON.stringify(value), out[tag]), `.${tag}`);
        return out;
      };
    }
    case 'counts': {
      const key = shape.key ? compile(shape.key) : undefined;
      const max = shape.maxKeys ?? Number.POSITIVE_INFINITY;
      const noun = shape.noun ?? 'keys';
      const quoted = shape.quoted === true;
      const count = primitive({ s: 'int', min: 0 });
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
      return previewCheck(shape);
    case 'child':
      if (!child) throw new Error('a preview child outside a preview tree');
      return child;
    case 'unchecked':
      return (x) => x;
  }
}

/**
 * A single value's rule, checked by one function the field loop calls directly: most fields are
 * primitives, and a direct call is cheaper than a closure per field (the background checks
 * every fact while streaming).
 */
interface Primitive {
  type: 'string' | 'int' | 'number' | 'boolean' | 'true' | 'enum';
  min: number;
  max: number;
  /** The integer bound's unit, or whether a string must be non-empty and is charged to its preview. */
  unit: string;
  nonEmpty: boolean;
  charged: boolean;
  allowed: ReadonlySet<string> | undefined;
  what: string;
}

function primitive(shape: Extract<Shape, { s: Primitive['type'] }>): Primitive {
  const rule: Primitive = {
    type: shape.s,
    min: Number.NEGATIVE_INFINITY,
    max: Number.POSITIVE_INFINITY,
    unit: '',
    nonEmpty: false,
    charged: false,
    allowed: undefined,
    what: '',
  };
  switch (shape.s) {
    case 'string':
      rule.max = shape.max ?? rule.max;
      rule.nonEmpty = shape.id === true;
      rule.charged = shape.charged === true;
      rule.what = 'a string';
      break;
    case 'int':
      rule.min = shape.min;
      rule.max = shape.max ?? rule.max;
      rule.unit = shape.unit ?? '';
      rule.what = shape.min === 1 ? 'a positive integer' : 'a non-negative integer';
      break;
    case 'number':
      rule.min = shape.min ?? rule.min;
      rule.what = shape.min === 0 ? 'a non-negative number' : 'a finite number';
      break;
    case 'boolean':
      rule.what = 'a boolean';
      break;
    case 'true':
      rule.what = 'true';
      break;
    case 'enum':
      rule.allowed = new Set(shape.values);
      rule.what = `one of ${shape.values.join('|')}`;
      break;
  }
  return rule;
}

function checkPrimitive(rule: Primitive, x: unknown, budget: Budget): unknown {
  switch (rule.type) {
    case 'string':
      if (typeof x !== 'string') throw expected(rule.what, x);
      if (x.length > rule.max) throw new Fault(`expected a string of at most ${rule.max} characters, got ${x.length}`);
      if (rule.nonEmpty && x.length === 0) throw expected('a non-empty id', x);
      if (rule.charged) {
        budget.chars -= x.length;
        if (budget.chars < 0) throw new Fault(`preview holds more than ${budget.charLimit} characters`);
      }
      return x;
    case 'int':
      if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < rule.min) throw expected(rule.what, x);
      if (x > rule.max) throw new Fault(`expected at most ${rule.max} ${rule.unit}, got ${x}`);
      return x;
    case 'number':
      if (typeof x !== 'number' || !Number.isFinite(x) || x < rule.min) throw expected(rule.what, x);
      return x;
    case 'boolean':
      if (typeof x !== 'boolean') throw expected(rule.what, x);
      return x;
    case 'true':
      if (x !== true) throw expected(rule.what, x);
      return x;
    case 'enum':
      if (typeof x !== 'string' || !rule.allowed?.has(x)) throw expected(rule.what, x);
      return x;
  }
}

function listCheck(item: Check | undefined, max: number = Number.POSITIVE_INFINITY): Check {
  return (x, budget) => {
    if (!Array.isArray(x)) throw expected('an array', x);
    if (x.length > max) throw new Fault(`expected at most ${max} entries, got ${x.length}`);
    if (!item) return x;
    const out = new Array(x.length);
    let i = 0;
    try {
      for (; i < x.length; i++) out[i] = item(x[i], budget);
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

function fieldChecks(fields: Fields, child: Check | undefined): FieldCheck[] {
  return Object.entries(fields).map(([key, shape]) => ({
    key,
    rule: primitiveOf(shape),
    check: compile(shape, child),
    optional: shape.s === 'optional',
    sumsTo: shape.s === 'counts' ? shape.sumsTo : undefined,
  }));
}

const PRIMITIVES = new Set(['string', 'int', 'number', 'boolean', 'true', 'enum']);

function primitiveOf(shape: Shape): Primitive | undefined {
  const inner = shape.s === 'optional' || shape.s === 'named' ? shape.inner : shape;
  if (inner.s === 'named') return primitiveOf(inner);
  return PRIMITIVES.has(inner.s) ? primitive(inner as Extract<Shape, { s: Primitive['type'] }>) : undefined;
}

/** Copies each field through its check into `out`, in order; an absent optional field stays absent. */
function writeFields(x: Record<string, unknown>, fields: FieldCheck[], out: Record<string, unknown>, budget: Budget) {
  let i = 0;
  try {
    for (; i < fields.length; i++) {
      const f = fields[i];
      const v = x[f.key];
      if (f.optional && v === undefined) continue;
      out[f.key] = f.rule ? checkPrimitive(f.rule, v, budget) : f.check(v, budget);
      if (f.sumsTo !== undefined) sumCheck(out[f.key] as Record<string, number>, out[f.sumsTo] as number);
    }
  } catch (e) {
    throw via(e, `.${fields[i].key}`);
  }
}

function sumCheck(counts: Record<string, number>, total: number) {
  let sum = 0;
  for (const k in counts) sum += counts[k];
  if (sum !== total) throw new Fault(`expected counts summing to ${total}, got ${sum}`);
}

function unionCheck(shape: UnionShape, child: Check | undefined): Check {
  const { tag } = shape;
  const variants = new Map<string, FieldCheck[]>();
  for (const [name, fields] of Object.entries(shape.variants)) {
    variants.set(name, fieldChecks({ ...shape.common, ...fields }, child));
  }
  const what = shape.expected ?? `one of ${[...variants.keys()].join('|')}`;
  return (x, budget) => {
    if (!isRecord(x)) throw expected('an object', x);
    const name = x[tag];
    const fields = typeof name === 'string' ? variants.get(name) : undefined;
    if (!fields) throw via(expected(what, name), `.${tag}`);
    const out: Record<string, unknown> = {};
    out[tag] = name;
    writeFields(x, fields, out, budget);
    return out;
  };
}

function previewCheck(shape: Extract<Shape, { s: 'preview' }>): Check {
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
  tree = build(shape.tree, child);
  return (x) => node(x, { nodes, chars, depth: 0, charLimit: chars });
}

/**
 * A shape's check for a value found at `where` (at `where[index]` when an index is given): the
 * validated copy, or a ProtocolError naming the path. `shown` pictures a bad value in the error.
 */
export function checker<T>(shape: Shape, shown: (x: unknown) => string = show) {
  const check = compile(shape);
  return (x: unknown, where: string, index?: number): T => {
    try {
      return check(x, undefined as unknown as Budget) as T;
    } catch (e) {
      throw located(e, index === undefined ? where : `${where}[${index}]`, shown);
    }
  };
}

/** The ProtocolError a Fault becomes once it reached the top, at `where` plus its steps. */
function located(e: unknown, where: string, shown: (x: unknown) => string): unknown {
  if (!(e instanceof Fault)) return e;
  let path = where;
  for (let i = e.steps.length - 1; i >= 0; i--) path += e.steps[i];
  return new ProtocolError(path, e.what === undefined ? e.problem : `expected ${e.what}, got ${shown(e.got)}`);
}
