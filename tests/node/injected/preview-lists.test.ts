// The preview's own lists and its record of the objects met (issue 16, recording path step 3):
// lists of every length the bounds allow are real arrays of exactly their children, written
// without running a setter a page put on Array.prototype or Object.prototype, and a `ref` names
// the first place of an object whether it was met among the first few objects or after them.
import { describe, expect, it } from 'vitest';
import { describe as describeValue } from '../../../injected/preview.ts';
import { PREVIEW_BOUNDS, type Preview, type PreviewBounds } from '../../../protocol/facts.ts';
import { validatePreview } from '../../../protocol/validate.ts';

const p = (v: unknown, bounds?: PreviewBounds): Preview =>
  describeValue(v, undefined, false, undefined, bounds).preview;

/** Setters (and getters answering undefined) on both prototypes at `keys`, for the run of `body`; the calls made. */
function withSetters(keys: string[], body: () => void): number {
  // A counter, not an array: pushing onto an array would call these very setters.
  let calls = 0;
  for (const k of keys)
    for (const proto of [Array.prototype, Object.prototype])
      Object.defineProperty(proto, k, {
        configurable: true,
        set() {
          calls++;
        },
        get() {
          return undefined;
        },
      });
  try {
    body();
  } finally {
    for (const k of keys) {
      delete (Array.prototype as unknown as Record<string, unknown>)[k];
      delete (Object.prototype as unknown as Record<string, unknown>)[k];
    }
  }
  return calls;
}

/** Every list of a preview tree: array and set items, object and map entries. */
function lists(x: Preview): unknown[][] {
  const out: unknown[][] = [];
  const walk = (n: unknown): void => {
    if (typeof n !== 'object' || n === null) return;
    if (Array.isArray(n)) {
      out.push(n);
      for (const c of n) walk(c);
      return;
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(x);
  return out;
}

const indexKeys = (n: number) => Array.from({ length: n }, (_, i) => String(i));

describe('the preview lists', () => {
  // Lengths around where the runtime changes how it makes a list (16), and the default keys bound.
  const lengths = [0, 1, 2, 9, 10, 15, 16, 17, 40];
  const bounds: PreviewBounds = { ...PREVIEW_BOUNDS, keys: 40, nodes: 2_000 };

  it('are arrays of exactly their children at every length, with no setter run', () => {
    const value = {
      arrays: lengths.map((n) => Array.from({ length: n }, (_, i) => i)),
      objects: lengths.map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
      maps: lengths.map((n) => new Map(Array.from({ length: n }, (_, i) => [i, i]))),
      sets: lengths.map((n) => new Set(Array.from({ length: n }, (_, i) => i))),
    };
    let out = { t: 'null' } as Preview;
    const calls = withSetters([...indexKeys(41), 'truncated'], () => {
      out = p(value, { ...bounds, depth: 3 });
    });
    expect(calls).toBe(0);
    expect(() => validatePreview(out, 'p')).not.toThrow();
    const top = out as Extract<Preview, { t: 'object' }>;
    const kinds = top.entries.map(([, v]) => v as Extract<Preview, { t: 'array' }>);
    for (const kind of kinds)
      kind.items.forEach((item, k) => {
        const n = lengths[k];
        const children = item.t === 'array' || item.t === 'set' ? item.items : (item as { entries: unknown[] }).entries;
        expect(children.length, `${item.t} of ${n}`).toBe(n);
        expect(Object.getPrototypeOf(children)).toBe(Array.prototype);
        expect(Object.keys(children)).toEqual(indexKeys(n));
        if (n) expect(children[n - 1], `${item.t} of ${n}`).toBeDefined();
      });
    for (const l of lists(out)) expect(Object.getPrototypeOf(l)).toBe(Array.prototype);
  });

  it('end where the node bound cut them, with no empty places and no setter run', () => {
    // 10 and 30 items, cut by a node bound reached inside them.
    for (const [len, keys, nodes] of [
      [10, 10, 6],
      [30, 30, 20],
    ]) {
      const value = { a: Array.from({ length: len }, (_, i) => i), o: { x: 1 } };
      let out = { t: 'null' } as Preview;
      const calls = withSetters(indexKeys(31), () => {
        out = p(value, { ...PREVIEW_BOUNDS, keys, nodes });
      });
      expect(calls).toBe(0);
      const a = (out as Extract<Preview, { t: 'object' }>).entries[0][1] as Extract<Preview, { t: 'array' }>;
      expect(a.truncated).toBe(true);
      expect(a.items.length).toBeLessThan(len);
      expect(a.items.length).toBeGreaterThan(0);
      expect(Object.keys(a.items)).toEqual(indexKeys(a.items.length));
      expect(a.items.every((x) => x !== undefined)).toBe(true);
      expect(() => validatePreview(out, 'p')).not.toThrow();
    }
  });
});

describe('objects met again', () => {
  it('are refs to their first place, among the first objects met and past them', () => {
    const shared = Array.from({ length: 12 }, (_, i) => ({ i }));
    // Each object once in `first`, then all again in `again`: the first eight are compared, the rest looked up.
    const value = { first: shared, again: shared.map((o) => [o]) };
    const out = p(value, { ...PREVIEW_BOUNDS, depth: 4, keys: 20 });
    const again = (out as Extract<Preview, { t: 'object' }>).entries[1][1] as Extract<Preview, { t: 'array' }>;
    expect(again.items.map((x) => (x as Extract<Preview, { t: 'array' }>).items[0])).toEqual(
      shared.map((_, i) => ({ t: 'ref', path: `$.first[${i}]` })),
    );
  });

  it('are refs within the first few objects too (a cycle through the root)', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    a.list = [a, { back: a }];
    expect(p(a, { ...PREVIEW_BOUNDS, depth: 3 })).toEqual({
      t: 'object',
      keys: 3,
      entries: [
        ['n', { t: 'number', v: 1 }],
        ['self', { t: 'ref', path: '$' }],
        [
          'list',
          {
            t: 'array',
            len: 2,
            items: [
              { t: 'ref', path: '$' },
              { t: 'object', keys: 1, entries: [['back', { t: 'ref', path: '$' }]] },
            ],
          },
        ],
      ],
    });
  });
});
