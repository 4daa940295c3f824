/**
 * The checks of single values (a string, an integer, a number, a flag, a word of a list): one
 * function, called directly by the field loop of check.ts (most fields are primitives, and a
 * direct call is cheaper than a closure per field: the background checks every fact while
 * streaming). Texts of a preview are charged here to the tree's character budget.
 */
import { Fault, expected } from './fault.ts';
import type { Shape } from './shape.ts';

/** The running totals of one preview tree; `charLimit` is its character bound, for the error. */
export interface Budget {
  nodes: number;
  chars: number;
  depth: number;
  charLimit: number;
}

/** A single value's rule. */
export interface Primitive {
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

export function primitive(shape: Extract<Shape, { s: Primitive['type'] }>): Primitive {
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

export function checkPrimitive(rule: Primitive, x: unknown, budget: Budget): unknown {
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

const PRIMITIVES = new Set(['string', 'int', 'number', 'boolean', 'true', 'enum']);

/** The rule of a field that is a primitive (optional or named included), else undefined. */
export function primitiveOf(shape: Shape): Primitive | undefined {
  const inner = shape.s === 'optional' || shape.s === 'named' ? shape.inner : shape;
  if (inner.s === 'named') return primitiveOf(inner);
  return PRIMITIVES.has(inner.s) ? primitive(inner as Extract<Shape, { s: Primitive['type'] }>) : undefined;
}
