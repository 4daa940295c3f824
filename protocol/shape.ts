/**
 * The words the contract is written in. A shape is a plain description of one value that
 * crosses a boundary (a fact, a node of a message's preview, a relay message, a trace's meta):
 * which type, which bound, which fields. The contract is written once in these words
 * (preview-shape.ts, fact-shapes.ts, message-shapes.ts, trace-shape.ts); check.ts turns a shape
 * into the receiving side's validator and schema.ts into the trace's JSON Schema, and the types
 * in facts.ts and messages.ts are checked against the shapes at compile time (`Agree`).
 *
 * Shapes are data, never code: a later encoding of the wire (a string table, flat records)
 * can read the same descriptions.
 */
import type { Preview } from './facts.ts';

/** A string; `max` in UTF-16 code units (JavaScript's `length`); `charged` to its preview's character budget. */
export interface StringShape {
  s: 'string';
  max?: number;
  /** A non-empty string, reported as "a non-empty id". */
  id?: true;
  charged?: true;
}
/** A safe integer at least `min`; `max` and its `unit` word for the error ("at most 10000 facts"). */
export interface IntShape {
  s: 'int';
  min: 0 | 1;
  max?: number;
  unit?: string;
}
/** A finite number; `min: 0` for durations and sizes. */
export interface NumberShape {
  s: 'number';
  min?: 0;
}
export interface EnumShape<V extends string = string> {
  s: 'enum';
  values: readonly V[];
}
export interface ListShape<I extends Shape = Shape> {
  s: 'list';
  item: I;
  max?: number;
}
/** A short array: `items` by position, the ones past `min` optional; `expected` names it in errors. */
export interface TupleShape<I extends readonly Shape[] = readonly Shape[]> {
  s: 'tuple';
  items: I;
  min: number;
  expected: string;
}
export type Fields = Readonly<Record<string, Shape>>;
/** An object with known fields, checked in this order; unknown fields are left behind. */
export interface ObjectShape<F extends Fields = Fields> {
  s: 'object';
  fields: F;
}
/**
 * One of several objects told apart by the string in `tag`: `common` fields first, then the
 * variant's own. `expected` names the tag in errors when it is none of the variants.
 */
export interface UnionShape<
  T extends string = string,
  C extends Fields = Fields,
  V extends Record<string, Fields> = Record<string, Fields>,
> {
  s: 'union';
  tag: T;
  common: C;
  variants: V;
  expected?: string;
}
/**
 * Counts per key (facts per kind, batches per relay): at most `maxKeys` keys (`noun` in the
 * error), each key a `key`; `quoted` names a key that is no identifier as `["key"]` in paths;
 * `sumsTo` names the integer field before it in the same object that the counts add up to.
 */
export interface CountsShape {
  s: 'counts';
  key?: StringShape | EnumShape;
  maxKeys?: number;
  noun?: string;
  quoted?: true;
  sumsTo?: string;
}
/**
 * The root of a preview tree (facts.ts `Preview`): `tree` describes one node, in which `child`
 * stands for a node one level deeper. The whole tree is bounded together: `nodes`, `chars`
 * (every `charged` string), `depth`.
 */
export interface PreviewShape {
  s: 'preview';
  nodes: number;
  chars: number;
  depth: number;
  tree: UnionShape;
}

export type Shape =
  | StringShape
  | IntShape
  | NumberShape
  | { s: 'boolean' }
  /** Exactly `true` (a flag that is present or absent, never false). */
  | { s: 'true' }
  /** Exactly this value (a format name, a version). */
  | { s: 'const'; value: string | number }
  | EnumShape
  | { s: 'optional'; inner: Shape }
  | { s: 'nullable'; inner: Shape }
  /** A number preview's value: a finite number, or one of `words` for those JSON cannot hold. */
  | { s: 'numberValue'; words: readonly string[] }
  /** A date preview's time value: finite, or null/NaN for an invalid Date (JSON turns NaN into null). */
  | { s: 'dateValue' }
  /** An ISO 8601 date-time string that Date.parse reads. */
  | { s: 'instant' }
  | ListShape
  | TupleShape
  | ObjectShape
  | UnionShape
  /** The variant `value` of `union`, and no other. */
  | { s: 'variant'; union: UnionShape | { s: 'named'; name: string; inner: UnionShape }; value: string }
  | CountsShape
  | PreviewShape
  /** A node one level deeper in the enclosing preview tree. */
  | { s: 'child' }
  /** Passed through as it is: its receiver checks it itself, piece by piece. `T` is what it will be. */
  | { s: 'unchecked'; of?: unknown }
  /** A shape with a name: the JSON Schema lists it once, in `$defs`. */
  | { s: 'named'; name: string; inner: Shape };

// ── constructors ────────────────────────────────────────────────────────────

export const string = (max?: number): StringShape => (max === undefined ? { s: 'string' } : { s: 'string', max });
export const int = (min: 0 | 1, max?: number, unit?: string): IntShape =>
  max === undefined ? { s: 'int', min } : { s: 'int', min, max, unit };
export const enumOf = <const V extends string>(values: readonly V[]): EnumShape<V> => ({ s: 'enum', values });
export const optional = <const S extends Shape>(inner: S) => ({ s: 'optional', inner }) as const;
export const nullable = <const S extends Shape>(inner: S) => ({ s: 'nullable', inner }) as const;
export const list = <const I extends Shape>(item: I, max?: number): ListShape<I> =>
  max === undefined ? { s: 'list', item } : { s: 'list', item, max };
export const object = <const F extends Fields>(fields: F): ObjectShape<F> => ({ s: 'object', fields });
export const union = <const T extends string, const C extends Fields, const V extends Record<string, Fields>>(
  tag: T,
  common: C,
  variants: V,
  expected?: string,
): UnionShape<T, C, V> =>
  expected === undefined ? { s: 'union', tag, common, variants } : { s: 'union', tag, common, variants, expected };
export const named = <const S extends Shape>(name: string, inner: S) => ({ s: 'named', name, inner }) as const;
export const unchecked = <T>() => ({ s: 'unchecked' }) as { s: 'unchecked'; of?: T };

// ── the types a shape describes ─────────────────────────────────────────────

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type InferFields<F> = Simplify<
  { -readonly [K in keyof F as F[K] extends { s: 'optional' } ? never : K]: Infer<F[K]> } & {
    -readonly [K in keyof F as F[K] extends { s: 'optional' } ? K : never]?: F[K] extends { inner: infer I }
      ? Infer<I>
      : never;
  }
>;

type InferTuple<I, Min> = I extends readonly [infer A, infer B, infer C]
  ? Min extends 3
    ? [Infer<A>, Infer<B>, Infer<C>]
    : [Infer<A>, Infer<B>, Infer<C>?]
  : I extends readonly [infer A, infer B]
    ? [Infer<A>, Infer<B>]
    : never;

type InferUnion<T extends string, C, V> = {
  [K in keyof V & string]: Simplify<{ [P in T]: K } & InferFields<C> & InferFields<V[K]>>;
}[keyof V & string];

type TagOf<U> = U extends { tag: infer T extends string } ? T : U extends { inner: infer I } ? TagOf<I> : never;

/** The TypeScript type of the values a shape accepts (what its validator returns). */
export type Infer<S> = S extends { s: 'string' | 'instant' }
  ? string
  : S extends { s: 'int' | 'number' | 'dateValue' }
    ? number
    : S extends { s: 'boolean' }
      ? boolean
      : S extends { s: 'true' }
        ? true
        : S extends { s: 'const'; value: infer V }
          ? V
          : S extends { s: 'enum'; values: readonly (infer V)[] }
            ? V
            : S extends { s: 'optional' | 'nullable' | 'named'; inner: infer I }
              ? S extends { s: 'nullable' }
                ? Infer<I> | null
                : Infer<I>
              : S extends { s: 'numberValue'; words: readonly (infer W)[] }
                ? number | W
                : S extends { s: 'list'; item: infer I }
                  ? Infer<I>[]
                  : S extends { s: 'tuple'; items: infer I; min: infer M }
                    ? InferTuple<I, M>
                    : S extends { s: 'object'; fields: infer F }
                      ? InferFields<F>
                      : S extends { s: 'union'; tag: infer T extends string; common: infer C; variants: infer V }
                        ? InferUnion<T, C, V>
                        : S extends { s: 'variant'; union: infer U; value: infer V }
                          ? Extract<Infer<U>, { [K in TagOf<U>]: V }>
                          : S extends { s: 'counts' }
                            ? Record<string, number>
                            : S extends { s: 'preview' | 'child' }
                              ? Preview
                              : S extends { s: 'unchecked'; of?: infer T }
                                ? T
                                : never;

// ── compile-time agreement of a hand-written type with its shape ────────────

type Variant<U, Tag extends PropertyKey, K> = U extends unknown
  ? K extends U[Tag & keyof U]
    ? Simplify<Omit<U, Tag> & Record<Tag, K>>
    : never
  : never;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
/** `true` when A and B accept the same values and name the same keys (an object's optional ones included). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;

/**
 * For each value of `Tag`, the variant of `A` and the variant of `B` accept the same values and
 * name the same fields (optional ones included): one entry per tag, `false` where they disagree
 * (hover it to see which variant drifted).
 */
type Tags<U, Tag extends PropertyKey> = U extends unknown ? U[Tag & keyof U] & PropertyKey : never;
export type Agreement<A, B, Tag extends PropertyKey> = {
  [K in Tags<A, Tag> | Tags<B, Tag>]: Same<Variant<A, Tag, K>, Variant<B, Tag, K>>;
};
/** `true` when every variant agrees (see Agreement), else `false`. */
export type Agree<A, B, Tag extends PropertyKey> = false extends Agreement<A, B, Tag>[keyof Agreement<A, B, Tag>]
  ? false
  : true;
/** Compiles only when `T` is `true`: `export type FactsAgree = Holds<Agree<Fact, …, 'kind'>>`. */
export type Holds<T extends true> = T;
