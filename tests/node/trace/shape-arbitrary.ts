/**
 * fast-check arbitraries read from the contract's shapes (protocol/shape.ts): values the shape
 * describes, near its bounds now and then, and one-step mutations of them (a field dropped, a
 * wrong type, a number out of range, a string too long, an unknown kind, an extra key).
 */
import fc from 'fast-check';
import type { Fields, Shape, UnionShape } from '../../../protocol/shape.ts';

type Arb = fc.Arbitrary<unknown>;

/** Short strings mostly, any code point (surrogate pairs count two, as the validator counts). */
function text(max: number, nonEmpty: boolean): Arb {
  const short = fc.string({ unit: 'binary', minLength: nonEmpty ? 1 : 0, maxLength: Math.min(max, 8) });
  if (!Number.isFinite(max) || max > 70_000) return short;
  return fc.oneof({ arbitrary: short, weight: 12 }, { arbitrary: fc.constant('x'.repeat(max)), weight: 1 });
}

function int(min: number, max: number | undefined): Arb {
  const top = max ?? Number.MAX_SAFE_INTEGER;
  return fc.oneof(
    { arbitrary: fc.integer({ min, max: Math.min(top, 50) }), weight: 8 },
    { arbitrary: fc.constantFrom(min, top), weight: 1 },
  );
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

export class ShapeArbitraries {
  private previewNode: Arb | undefined;

  of(shape: Shape): Arb {
    switch (shape.s) {
      case 'string':
        return text(shape.max ?? Number.POSITIVE_INFINITY, shape.id === true);
      case 'int':
        return int(shape.min, shape.max);
      case 'number':
        return shape.min === 0 ? finite.map(Math.abs) : finite;
      case 'boolean':
        return fc.boolean();
      case 'true':
        return fc.constant(true);
      case 'const':
        return fc.constant(shape.value);
      case 'enum':
        return fc.constantFrom(...shape.values);
      case 'optional':
      case 'named':
        return this.of(shape.inner);
      case 'nullable':
        return fc.option(this.of(shape.inner), { nil: null });
      case 'numberValue':
        return fc.oneof(finite, fc.constantFrom(...shape.words));
      case 'dateValue':
        return fc.oneof(finite, fc.constant(null));
      case 'instant':
        return fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString());
      case 'list':
        return fc.array(this.of(shape.item), { maxLength: Math.min(shape.max ?? 4, 4) });
      case 'tuple': {
        const items = shape.items.map((s) => this.of(s));
        const lengths = Array.from({ length: items.length - shape.min + 1 }, (_, i) => shape.min + i);
        return fc.oneof(...lengths.map((n) => fc.tuple(...items.slice(0, n))));
      }
      case 'object':
        return this.fields(shape.fields);
      case 'union':
        return this.union(shape);
      case 'variant': {
        const union = shape.union.s === 'named' ? shape.union.inner : shape.union;
        return this.variant(union, shape.value);
      }
      case 'counts': {
        const key = shape.key ? this.of(shape.key) : fc.string({ maxLength: 12 });
        return fc.dictionary(key as fc.Arbitrary<string>, int(0, undefined), { maxKeys: 3 });
      }
      case 'preview': {
        const tree = shape.tree;
        this.previewNode ??= fc.oneof(
          // Random trees stay shallow (up to two children a level, a deep random tree is
          // exponential); the depth bound itself is reached by the chains below.
          fc.letrec((tie) => ({ node: this.union(tree, tie('node'), Math.min(shape.depth, 6)) })).node,
          // Around the depth bound, which the schema states too (one $defs entry per level).
          fc.integer({ min: shape.depth - 1, max: shape.depth + 2 }).chain((levels) => this.deep(tree, levels)),
        );
        return this.previewNode;
      }
      case 'child':
        throw new Error('a preview child outside a preview tree');
      case 'unchecked':
        return fc.anything();
    }
  }

  /** A node with containers `levels` deep on some branch (when no list came out empty). */
  private deep(tree: UnionShape, levels: number): Arb {
    const names = Object.keys(tree.variants);
    if (levels === 0) return this.variant(tree, names[0]);
    const holds = (s: Shape): boolean =>
      s.s === 'child' || (s.s === 'list' && holds(s.item)) || (s.s === 'tuple' && s.items.some(holds));
    const containers = names.filter((n) => Object.values(tree.variants[n]).some(holds));
    const below = this.deep(tree, levels - 1);
    // One deep branch per level (the other children leaves): deep bounds would be exponential.
    const leaf = this.variant(tree, names[0]);
    return fc.oneof(...containers.map((n) => this.variant(tree, n, below, leaf)));
  }

  private fields(fields: Fields, child?: Arb, leaf?: Arb): fc.Arbitrary<Record<string, unknown>> {
    const record: Record<string, Arb> = {};
    const required: string[] = [];
    for (const [key, shape] of Object.entries(fields)) {
      record[key] = shape.s === 'child' ? (child as Arb) : this.within(shape, child, leaf);
      if (shape.s !== 'optional') required.push(key);
    }
    return fc.record(record, { requiredKeys: required });
  }

  /**
   * A shape inside a preview tree, where `child` stands for a deeper node. With `leaf`, only one
   * child slot gets `child` (lists of exactly one, so the branch goes on; a tuple's later children leaves).
   */
  private within(shape: Shape, child: Arb | undefined, leaf?: Arb): Arb {
    if (!child) return this.of(shape);
    if (shape.s === 'child') return child;
    if (shape.s === 'optional') return this.within(shape.inner, child, leaf);
    if (shape.s === 'list')
      return fc.array(this.within(shape.item, child, leaf), leaf ? { minLength: 1, maxLength: 1 } : { maxLength: 2 });
    if (shape.s === 'tuple') {
      let first = true;
      const items = shape.items.map((s) => {
        if (!leaf || s.s !== 'child') return this.within(s, child, leaf);
        const slot = first ? child : leaf;
        first = false;
        return slot;
      });
      const lengths = Array.from({ length: items.length - shape.min + 1 }, (_, i) => shape.min + i);
      return fc.oneof(...lengths.map((n) => fc.tuple(...items.slice(0, n))));
    }
    return this.of(shape);
  }

  private variant(union: UnionShape, name: string, child?: Arb, leaf?: Arb): Arb {
    return fc
      .tuple(this.fields(union.common, child, leaf), this.fields(union.variants[name], child, leaf))
      .map(([common, own]) => ({ [union.tag]: name, ...common, ...own }));
  }

  private union(union: UnionShape, child?: Arb, maxDepth?: number): Arb {
    // The first variant is the leaf fast-check falls back to at `maxDepth`.
    const variants = Object.keys(union.variants).map((name) => this.variant(union, name, child));
    return maxDepth === undefined ? fc.oneof(...variants) : fc.oneof({ maxDepth, depthSize: 'small' }, ...variants);
  }
}

/** Every place in a JSON value, as the steps to it. */
function places(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) places(value[i], [...at, i], out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) places(v, [...at, k], out);
  }
  return out;
}

const BAD_VALUES: unknown[] = [
  null,
  'x',
  '',
  true,
  {},
  [],
  -1,
  0,
  1.5,
  -0.5,
  2 ** 53,
  1e300,
  'port-teleported',
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(1_025),
  'x'.repeat(4_097),
  'x'.repeat(65_537),
];

export type Mutation = { kind: 'drop' | 'set' | 'extra'; at: (string | number)[]; value?: unknown };

/** One mutation of `value` (a parsed JSON document), applied to a copy; the root is never dropped. */
export function mutated(value: unknown): fc.Arbitrary<{ value: unknown; mutation: Mutation }> {
  const all = places(value).filter((p) => p.length > 0);
  return fc
    .tuple(
      fc.nat({ max: all.length - 1 }),
      fc.constantFrom<Mutation['kind']>('drop', 'set', 'set', 'extra'),
      fc.constantFrom(...BAD_VALUES),
    )
    .map(([i, kind, bad]) => {
      const copy = structuredClone(value);
      const at = all[i];
      let parent = copy as Record<string | number, unknown>;
      for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
      const last = at[at.length - 1];
      if (kind === 'drop') {
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
      } else if (kind === 'set') parent[last] = bad;
      else {
        const target = parent[last];
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
          (target as Record<string, unknown>).zzExtra = bad;
        } else parent[last] = bad;
      }
      return { value: copy, mutation: { kind, at, value: bad } };
    });
}
