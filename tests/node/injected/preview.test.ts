import { describe, expect, it } from 'vitest';
import { PREVIEW_BOUNDS } from '../../../protocol/facts.ts';
import { describe as describeValue, fingerprint } from '../../../injected/preview.ts';

describe('preview', () => {
  it('describes primitives exactly, including the awkward numbers', () => {
    const p = (v: unknown) => describeValue(v).preview;
    expect([p(undefined), p(null), p(true), p(-0), p(NaN), p(Infinity), p(-Infinity), p(1.5), p(10n)]).toEqual([
      { t: 'undefined' },
      { t: 'null' },
      { t: 'boolean', v: true },
      { t: 'number', v: '-0' },
      { t: 'number', v: 'NaN' },
      { t: 'number', v: 'Infinity' },
      { t: 'number', v: '-Infinity' },
      { t: 'number', v: 1.5 },
      { t: 'bigint', v: '10' },
    ]);
  });

  it('bounds strings, keys, depth and nodes, and says so', () => {
    const long = 'x'.repeat(1_000);
    expect(describeValue(long).preview).toEqual({
      t: 'string',
      v: 'x'.repeat(PREVIEW_BOUNDS.stringLength),
      len: 1_000,
      truncated: true,
    });
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => ['k' + i, i]));
    const w = describeValue(wide).preview as { t: 'object'; entries: unknown[]; keys: number; truncated?: true };
    expect([w.entries.length, w.keys, w.truncated]).toEqual([PREVIEW_BOUNDS.keys, 50, true]);
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(JSON.stringify(describeValue(deep).preview)).toContain('{"t":"more","kind":"object","size":1}');
    const many = Array.from({ length: 20 }, () => Array.from({ length: 20 }, () => [1, 2, 3]));
    expect(JSON.stringify(describeValue(many).preview).split('"t":').length).toBeLessThan(PREVIEW_BOUNDS.nodes + 50);
  });

  it('never runs a getter, and shows accessors as getters', () => {
    let runs = 0;
    const v = {
      get g() {
        runs++;
        return 1;
      },
      plain: 2,
    };
    const p = describeValue(v).preview as { entries: [string, unknown, number?][] };
    expect(p.entries).toEqual([
      ['g', { t: 'getter' }],
      ['plain', { t: 'number', v: 2 }],
    ]);
    expect(runs).toBe(0);
  });

  it('describes binary data by size without scanning it', () => {
    const big = new ArrayBuffer(16 * 1024 * 1024);
    const d = describeValue({ big, view: new Uint16Array(big, 0, 4) });
    expect(d.preview).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        ['big', { t: 'arraybuffer', byteLength: 16 * 1024 * 1024 }],
        ['view', { t: 'typedarray', ctor: 'Uint16Array', length: 4, byteLength: 8 }],
      ],
    });
    expect(d.bytes).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });

  it('shows cycles and shared objects as references', () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(describeValue(o).preview).toEqual({ t: 'object', keys: 1, entries: [['self', { t: 'ref', path: '$' }]] });
  });

  it('describes Map, Set, Date, RegExp, boxed primitives and errors', () => {
    const p = (v: unknown) => describeValue(v).preview;
    expect(p(new Map([[1, 'a']]))).toEqual({
      t: 'map',
      size: 1,
      entries: [
        [
          { t: 'number', v: 1 },
          { t: 'string', v: 'a', len: 1 },
        ],
      ],
    });
    expect(p(new Set(['x']))).toEqual({ t: 'set', size: 1, items: [{ t: 'string', v: 'x', len: 1 }] });
    expect(p(new Date(5))).toEqual({ t: 'date', v: 5 });
    expect(p(/a/gi)).toEqual({ t: 'regexp', source: 'a', flags: 'gi' });
    expect(p(Object(3))).toEqual({ t: 'boxed', inner: { t: 'number', v: 3 } });
    expect(p(new RangeError('r'))).toEqual({ t: 'error', name: 'RangeError', message: 'r' });
  });
});

describe('fingerprint', () => {
  it('is the same for a value and its structured clone', () => {
    const values: unknown[] = [
      's',
      1,
      -0,
      null,
      undefined,
      true,
      3n,
      [1, 2],
      { a: 1, b: { c: 2 } },
      new Map([[1, 2]]),
      new Set([1]),
      new Date(3),
      new Uint8Array(4),
    ];
    for (const v of values) expect(fingerprint(structuredClone(v)), String(v)).toBe(fingerprint(v));
  });

  it('ignores what a getter returns (the receiver sees a data property) and non-enumerable keys', () => {
    const withGetter = {
      get a() {
        return 1;
      },
    };
    Object.defineProperty(withGetter, 'hidden', { value: 1, enumerable: false });
    expect(fingerprint(withGetter)).toBe(fingerprint(structuredClone(withGetter)));
  });

  it('gives a record the print of its own keys when records of one shape and of others alternate', () => {
    const keys = (names: string[]) => Object.fromEntries(names.map((k, i) => [k, i]));
    const many = (last: string) => keys([...Array.from({ length: 63 }, (_, i) => `k${i}`), last, 'extra']);
    const sequence = [
      keys(['a', 'b']),
      keys(['a', 'c']),
      keys(['a', 'b']),
      keys(['a']),
      keys(['a', 'b', 'c']),
      keys(['b', 'a']),
      many('x'),
      many('y'),
      keys(['a', 'b']),
    ];
    const prints = sequence.map((o) => fingerprint(o));
    // Each one against a print made with nothing remembered before it (a fresh key list each time).
    const alone = sequence.map((o) => {
      fingerprint([]);
      fingerprint({ unrelated: 1 });
      return fingerprint(o);
    });
    expect(prints).toEqual(alone);
    expect(new Set(prints.slice(0, 2)).size).toBe(2);
    expect(prints[2]).toBe(prints[0]);
    expect(new Set([prints[0], prints[3], prints[4], prints[5]]).size).toBe(4);
    // Keys past the 64th are not part of the shape; the 64th is.
    expect(prints[6]).not.toBe(prints[7]);
    expect(fingerprint(many('x'))).toBe(prints[6]);
  });

  it('tells different shapes apart', () => {
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ b: 1 }));
    expect(fingerprint([1])).not.toBe(fingerprint([1, 2]));
    expect(fingerprint('a')).not.toBe(fingerprint('b'));
  });
});
