// Dehydrated previews (issue 16): below the depth bound, or past the node bound, a container is
// not walked but described by its kind and size; binary data by its size; full mode records
// every node up to PREVIEW_FULL; the bounds arrive through a config read without page code.
import { afterEach, describe, expect, it } from 'vitest';
import { describe as describeValue, ownPreviewBounds, previewBoundsOf } from '../../../injected/preview.ts';
import {
  PREVIEW_BOUNDS,
  PREVIEW_FULL,
  PREVIEW_MIN,
  type Preview,
  type PreviewBounds,
} from '../../../protocol/facts.ts';
import { validatePreview } from '../../../protocol/validate.ts';

const p = (v: unknown, bounds?: PreviewBounds): Preview =>
  describeValue(v, undefined, false, undefined, bounds).preview;
const n = (v: number): Preview => ({ t: 'number', v });
const nodes = (x: Preview) => JSON.stringify(x).split('"t":').length - 1;

/** bench/fixtures/workload.js's 1 KB record. */
const record = (i: number) => ({
  id: i,
  type: 'row',
  name: `item-${i}`,
  tags: ['alpha', 'beta', 'gamma'],
  values: [i, i + 1, i + 2, i + 3, i * 0.5, i * 0.25],
  body: 'lorem ipsum dolor sit amet '.repeat(24).slice(0, 600),
  owner: { id: i % 97, name: 'owner name', email: 'owner@example.test' },
  created: 1700000000000 + i,
  flags: { a: true, b: false, c: null },
});

describe('dehydrated previews', () => {
  it('describes each container it does not walk by kind and size', () => {
    const one = { depth: 1, keys: 10, stringLength: 120, nodes: 100, chars: 8_192 };
    const cut = p(
      {
        o: { a: 1, b: 2, [Symbol('s')]: 3 },
        a: new Array(300).fill(0),
        m: new Map([
          [1, 1],
          [2, 2],
        ]),
        s: new Set([1, 2, 3]),
      },
      one,
    );
    expect(cut).toEqual({
      t: 'object',
      keys: 4,
      entries: [
        ['o', { t: 'more', kind: 'object', size: 2 }],
        ['a', { t: 'more', kind: 'array', size: 300 }],
        ['m', { t: 'more', kind: 'map', size: 2 }],
        ['s', { t: 'more', kind: 'set', size: 3 }],
      ],
    });
    // Non-enumerable keys are not cloned, so not counted.
    const hidden = Object.defineProperty({ a: 1 }, 'h', { value: 1, enumerable: false });
    expect(p([hidden], one)).toEqual({ t: 'array', len: 1, items: [{ t: 'more', kind: 'object', size: 1 }] });
  });

  it('describes binary data by size at any depth, and never walks it', () => {
    const one = { ...PREVIEW_BOUNDS, depth: 1 };
    const deep = { x: { buf: new ArrayBuffer(8), view: new Float64Array(4) } };
    expect(p(deep, { ...PREVIEW_BOUNDS, depth: 2 })).toEqual({
      t: 'object',
      keys: 1,
      entries: [
        [
          'x',
          {
            t: 'object',
            keys: 2,
            entries: [
              ['buf', { t: 'arraybuffer', byteLength: 8 }],
              ['view', { t: 'typedarray', ctor: 'Float64Array', length: 4, byteLength: 32 }],
            ],
          },
        ],
      ],
    });
    expect(p({ big: new Uint8Array(1 << 20) }, one)).toEqual({
      t: 'object',
      keys: 1,
      entries: [['big', { t: 'typedarray', ctor: 'Uint8Array', length: 1 << 20, byteLength: 1 << 20 }]],
    });
  });

  it('cuts at the node bound with what is behind each place', () => {
    const bounds = { depth: 4, keys: 10, stringLength: 120, nodes: 5, chars: 8_192 };
    const out = p({ a: [1, 2, 3], b: { c: 1 }, d: [4] }, bounds);
    // Nodes: root, a, 1, 2, 3 = 5: b is cut where it stands, d is not listed.
    expect(out).toEqual({
      t: 'object',
      keys: 3,
      truncated: true,
      entries: [['a', { t: 'array', len: 3, items: [n(1), n(2), n(3)] }]],
    });
    // Nodes: root, [1, 2], 1, 2, then the object is the 5th: cut where it stands.
    expect(p([[1, 2], { x: 1 }], bounds)).toEqual({
      t: 'array',
      len: 2,
      items: [
        { t: 'array', len: 2, items: [n(1), n(2)] },
        { t: 'more', kind: 'object', size: 1 },
      ],
    });
  });

  it('keeps the 1 KB record whole by default (only its long string cut), and the byte estimate with it', () => {
    const d = describeValue(record(1));
    expect(JSON.stringify(d.preview)).not.toContain('"more"');
    expect(nodes(d.preview)).toBe(25);
    const full = describeValue(record(1), undefined, false, undefined, PREVIEW_FULL);
    expect(d.bytes).toBe(full.bytes);
    expect(JSON.stringify(full.preview)).not.toContain('truncated');
  });

  it('full mode records every node of a large message, within the validator', () => {
    const reply = { id: 1, result: { rows: Array.from({ length: 50 }, (_, i) => record(i)) } };
    const def = p(reply);
    expect(JSON.stringify(def)).toContain('{"t":"more","kind":"array","size":50}');
    const full = p(reply, PREVIEW_FULL);
    expect(JSON.stringify(full)).not.toMatch(/"more"|truncated/);
    expect(nodes(full)).toBe(4 + 50 * 25);
    expect(() => validatePreview(full, 'full')).not.toThrow();
  });

  it('full mode stops at its safety limits, says so, and stays within the validator', () => {
    const huge = 'h'.repeat(100_000);
    const rows = Array.from({ length: 1_001 }, (_, i) => ({ i, s: huge }));
    const wide = Array.from({ length: 12 }, () => rows);
    const out = p(wide, PREVIEW_FULL);
    expect(() => validatePreview(out, 'wide')).not.toThrow();
    expect(nodes(out)).toBeLessThanOrEqual(PREVIEW_FULL.nodes + 2);
    const json = JSON.stringify(out);
    expect(json).toContain('"truncated":true');
    // The character budget: every text after it is spent is empty, with its length kept.
    expect(json).toContain(`{"t":"string","v":"","len":100000,"truncated":true}`);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const chain = p(deep, PREVIEW_FULL);
    expect(() => validatePreview(chain, 'deep')).not.toThrow();
    expect(JSON.stringify(chain)).toContain('{"t":"more","kind":"object","size":1}');
  });

  it('runs no setter a page put on Array.prototype or Object.prototype while it builds the preview', () => {
    // Made first: Array#fill assigns, so it would call the setters below itself.
    const value = { a: [1, 2, 3], m: new Map([[1, 2]]), s: new Set([1]), w: new Array(30).fill(1), b: new Blob([]) };
    // A counter, not an array: pushing onto an array would call these very setters.
    let calls = 0;
    const keys = ['0', '1', '2', 'truncated', 'typeLen', 'nameLen'];
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
      const out = p(value);
      expect(out.t).toBe('object');
      expect(calls).toBe(0);
    } finally {
      for (const k of keys) {
        delete (Array.prototype as unknown as Record<string, unknown>)[k];
        delete (Object.prototype as unknown as Record<string, unknown>)[k];
      }
    }
  });
});

describe('the cut in the contract', () => {
  it('accepts a described cut and the bare one of older traces; refuses a kind the runtime never makes', () => {
    expect(validatePreview({ t: 'more', kind: 'array', size: 300 }, 'p')).toEqual({
      t: 'more',
      kind: 'array',
      size: 300,
    });
    expect(validatePreview({ t: 'more' }, 'p')).toEqual({ t: 'more' });
    expect(() => validatePreview({ t: 'more', kind: 'error', size: 1 }, 'p')).toThrow(/^p\.kind: /);
    expect(() => validatePreview({ t: 'more', kind: 'object', size: -1 }, 'p')).toThrow(/^p\.size: /);
  });
});

describe('preview bounds from a config', () => {
  afterEach(() => {
    delete (Object.prototype as unknown as Record<string, unknown>).preview;
  });

  it('clamps each bound to what the validators accept, and defaults what is missing or not an integer', () => {
    expect(previewBoundsOf(undefined)).toEqual(PREVIEW_BOUNDS);
    expect(previewBoundsOf({ depth: 0, keys: 1e9, stringLength: 1.5, nodes: 'x' })).toEqual({
      depth: PREVIEW_MIN.depth,
      keys: PREVIEW_FULL.keys,
      stringLength: PREVIEW_BOUNDS.stringLength,
      nodes: PREVIEW_BOUNDS.nodes,
      chars: PREVIEW_BOUNDS.chars,
    });
    expect(previewBoundsOf(PREVIEW_FULL)).toEqual(PREVIEW_FULL);
  });

  it('reads only an own `preview`, never one a page getter answers', () => {
    let runs = 0;
    Object.defineProperty(Object.prototype, 'preview', {
      configurable: true,
      get() {
        runs++;
        return PREVIEW_FULL;
      },
    });
    expect(ownPreviewBounds({ captureStacks: false })).toBeUndefined();
    expect(runs).toBe(0);
    expect(ownPreviewBounds({ preview: { ...PREVIEW_BOUNDS, depth: 5 } })?.depth).toBe(5);
  });
});
