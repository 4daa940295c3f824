/**
 * Previews written out by hand from the format (protocol/facts.ts Preview and PreviewBounds),
 * with bounds given here: depth 3, 20 keys, 200 nodes; a `ref` names the path of the first place
 * an object was met: `$` the root, `.key` a property, `[i]` an index, `<key>` / `<value>` a Map
 * entry, `<item>` a Set member. The first place counts even when the object was cut there (a
 * `more` node, which says the kind and size of what it stands for).
 */
import { describe, expect, it } from 'vitest';
import type { Preview, PreviewBounds } from '../../../protocol/facts.ts';
import { describe as describeValue } from '../../../injected/preview.ts';

const BOUNDS: PreviewBounds = { depth: 3, keys: 20, stringLength: 120, nodes: 200, chars: 65_536 };
const p = (v: unknown): Preview => describeValue(v, undefined, false, undefined, BOUNDS).preview;
const n = (v: number): Preview => ({ t: 'number', v });
const ref = (path: string): Preview => ({ t: 'ref', path });
const empty: Preview = { t: 'object', entries: [], keys: 0 };

describe('preview places and bounds', () => {
  it('a shared object nested in objects and arrays', () => {
    const s = { k: 1 };
    expect(p({ a: { x: s }, b: [s, s] })).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        ['a', { t: 'object', keys: 1, entries: [['x', { t: 'object', keys: 1, entries: [['k', n(1)]] }]] }],
        ['b', { t: 'array', len: 2, items: [ref('$.a.x'), ref('$.a.x')] }],
      ],
    });
  });

  it('array indexes, nested', () => {
    const o = {};
    expect(p([[1, [o]], o])).toEqual({
      t: 'array',
      len: 2,
      items: [
        { t: 'array', len: 2, items: [n(1), { t: 'array', len: 1, items: [{ t: 'more', kind: 'object', size: 0 }] }] },
        ref('$[0][1][0]'),
      ],
    });
  });

  it('cycles back to the root and to an inner object', () => {
    const root: Record<string, unknown> = {};
    const inner: Record<string, unknown> = { up: root };
    inner.me = inner;
    root.inner = inner;
    expect(p(root)).toEqual({
      t: 'object',
      keys: 1,
      entries: [
        [
          'inner',
          {
            t: 'object',
            keys: 2,
            entries: [
              ['up', ref('$')],
              ['me', ref('$.inner')],
            ],
          },
        ],
      ],
    });
    const a: unknown[] = [];
    a.push(a);
    expect(p(a)).toEqual({ t: 'array', len: 1, items: [ref('$')] });
  });

  it('Map keys and values, Set items', () => {
    const o = {};
    expect(p({ m: new Map<unknown, unknown>([['a', o]]), again: o })).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        ['m', { t: 'map', size: 1, entries: [[{ t: 'string', v: 'a', len: 1 }, empty]] }],
        ['again', ref('$.m<value>')],
      ],
    });
    const k = {};
    expect(p(new Map([[k, k]]))).toEqual({ t: 'map', size: 1, entries: [[empty, ref('$<key>')]] });
    expect(p([o, new Set([o]), new Map([[o, 1]])])).toEqual({
      t: 'array',
      len: 3,
      items: [
        empty,
        { t: 'set', size: 1, items: [ref('$[0]')] },
        { t: 'map', size: 1, entries: [[ref('$[0]'), n(1)]] },
      ],
    });
    const t = {};
    expect(p({ s: new Set([t]), t })).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        ['s', { t: 'set', size: 1, items: [empty] }],
        ['t', ref('$.s<item>')],
      ],
    });
  });

  it('a key with punctuation goes into the path as it is', () => {
    const o = {};
    expect(p({ 'a.b c': o, d: o })).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        ['a.b c', empty],
        ['d', ref('$.a.b c')],
      ],
    });
  });

  it('cuts at depth 3, and a ref still names the place where it was cut', () => {
    const o = { z: 1 };
    expect(p({ a: { b: { c: o } }, d: o })).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        [
          'a',
          {
            t: 'object',
            keys: 1,
            entries: [['b', { t: 'object', keys: 1, entries: [['c', { t: 'more', kind: 'object', size: 1 }]] }]],
          },
        ],
        ['d', ref('$.a.b.c')],
      ],
    });
    expect(p([[[[1]]]])).toEqual({
      t: 'array',
      len: 1,
      items: [{ t: 'array', len: 1, items: [{ t: 'array', len: 1, items: [{ t: 'more', kind: 'array', size: 1 }] }] }],
    });
  });

  it('cuts at 20 keys and 20 items, counting them all', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 25; i++) wide['k' + i] = i;
    const entries: [string, Preview][] = [];
    for (let i = 0; i < 20; i++) entries.push(['k' + i, n(i)]);
    expect(p(wide)).toEqual({ t: 'object', entries, keys: 25, truncated: true });
    const long = Array.from({ length: 25 }, (_, i) => i);
    expect(p(long)).toEqual({ t: 'array', len: 25, items: long.slice(0, 20).map(n), truncated: true });
    const big = new Map(long.map((i) => [i, i]));
    expect(p(big)).toEqual({
      t: 'map',
      size: 25,
      entries: long.slice(0, 20).map((i) => [n(i), n(i)]),
      truncated: true,
    });
    const set = new Set(long);
    expect(p(set)).toEqual({ t: 'set', size: 25, items: long.slice(0, 20).map(n), truncated: true });
  });

  it('lists nothing more once 200 nodes were counted', () => {
    // Node 1 is the outer array; inner array k (from 1) is node 21k-19 and holds 20 numbers:
    // arrays 1..9 are whole, the 10th (node 191) lists nodes 192..200 and is cut, and so is the outer one.
    const grid = Array.from({ length: 20 }, () => Array.from({ length: 20 }, (_, j) => j));
    const full: Preview = { t: 'array', len: 20, items: Array.from({ length: 20 }, (_, j) => n(j)) };
    const items: Preview[] = [];
    for (let k = 1; k <= 9; k++) items.push(full);
    items.push({ t: 'array', len: 20, items: Array.from({ length: 9 }, (_, j) => n(j)), truncated: true });
    expect(p(grid)).toEqual({ t: 'array', len: 20, items, truncated: true });
  });

  it('holes and accessors in arrays, accessors in objects', () => {
    const a: unknown[] = [1, , 3];
    Object.defineProperty(a, 2, { get: () => 9, enumerable: true });
    expect(p(a)).toEqual({ t: 'array', len: 3, items: [n(1), { t: 'undefined' }, { t: 'getter' }] });
    expect(
      p({
        get g() {
          return 1;
        },
      }),
    ).toEqual({ t: 'object', keys: 1, entries: [['g', { t: 'getter' }]] });
  });
});
