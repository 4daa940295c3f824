/** The runtime's compact form of a batch, written from own properties whenever JSON.stringify could run page code, and split under a length bound. */
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { encodeBatch, encodeBatches } from '../../../injected/batch-json.ts';
import { wireFacts } from '../../../protocol/wire-decode.ts';

let n = 0;
const fact = (kind: 'port-posted' | 'port-closed' = 'port-closed'): Fact =>
  ({ kind, seq: ++n, time: 1.5, ctx: 'c', port: 1 }) as Fact;
const O = Object.prototype as unknown as Record<string, unknown>;
const A = Array.prototype as unknown as Record<string, unknown>;

afterEach(() => {
  delete O.toJSON;
  delete A.toJSON;
  delete A['0'];
  Object.setPrototypeOf(Array.prototype, Object.prototype);
});

describe('encodeBatch', () => {
  it('gives the batch as one compact text with per-kind counts', () => {
    const facts = [fact('port-posted'), fact(), fact('port-posted')];
    const encoded = encodeBatch(facts)!;
    expect(wireFacts(encoded.json)).toEqual(facts);
    expect(encoded.json.length).toBeLessThan(JSON.stringify(facts).length / 2);
    expect({ ...encoded.kinds }).toEqual({ 'port-posted': 2, 'port-closed': 1 });
    expect(Object.getPrototypeOf(encoded.kinds)).toBe(null);
  });

  it('writes the same text from own properties, calling nothing, when a toJSON, an index or a field could be read from a prototype', () => {
    const calls: string[] = [];
    const hostile: [string, () => void][] = [
      ['Object.prototype.toJSON', () => (O.toJSON = () => calls.push('object'))],
      [
        'Array.prototype.toJSON accessor',
        () => Object.defineProperty(Array.prototype, 'toJSON', { configurable: true, get: () => calls.push('array') }),
      ],
      [
        'Array.prototype[0] accessor',
        () => Object.defineProperty(Array.prototype, '0', { configurable: true, get: () => calls.push('index') }),
      ],
      [
        'Array.prototype given another prototype',
        () =>
          Object.setPrototypeOf(
            Array.prototype,
            Object.create(Object.prototype, { toJSON: { configurable: true, get: () => calls.push('between') } }),
          ),
      ],
      // A field the fact lacks is looked up on the prototypes: a page getter there must not run.
      [
        'Object.prototype.site accessor',
        () => Object.defineProperty(Object.prototype, 'site', { configurable: true, get: () => calls.push('site') }),
      ],
      // So is a field a preview node lacks (an uncut string's `truncated`), read for its short form.
      [
        'Object.prototype.truncated accessor',
        () =>
          Object.defineProperty(Object.prototype, 'truncated', {
            configurable: true,
            get: () => calls.push('truncated'),
          }),
      ],
    ];
    const batch = [
      fact(),
      {
        ...fact('port-posted'),
        transfer: [{ t: 'port', port: 2 }],
        preview: { t: 'array', len: 2, items: [{ t: 'string', v: 'a \u2028 "b"', len: 8 }] },
        site: { stack: ['a \u2028 "b"', 'c'] },
      } as unknown as Fact,
      { ...fact('port-posted'), outcome: 'sent' } as unknown as Fact,
      {
        ...fact('port-posted'),
        preview: {
          t: 'object',
          keys: 3,
          entries: [
            ['n', { t: 'number', v: 1 }],
            ['s', { t: 'string', v: 'ab', len: 2 }],
            [
              'cut',
              { t: 'array', len: 9, items: [{ t: 'string', v: 'x', len: 40, truncated: true }], truncated: true },
            ],
          ],
        },
      } as unknown as Fact,
    ];
    const expected = encodeBatch(batch).json;
    // The short forms ran (and are what the own-property path must write too).
    expect(expected).toContain('[1,3,');
    expect(wireFacts(expected)).toEqual(batch);
    for (const [name, install] of hostile) {
      install();
      expect(encodeBatch(batch).json, name).toBe(expected);
      delete O.toJSON;
      delete O.site;
      delete O.truncated;
      delete A.toJSON;
      delete A['0'];
      Object.setPrototypeOf(Array.prototype, Object.prototype);
    }
    expect(calls).toEqual([]);
  });

  it('writes facts of another realm (a removed iframe adopted by its parent) from own properties', () => {
    const foreign = runInNewContext(
      '({ kind: "port-closed", seq: 1, time: 0, ctx: "x", port: 1, skip: undefined, f() {} })',
    ) as Fact;
    expect(wireFacts(encodeBatch([foreign]).json)).toEqual([
      { kind: 'port-closed', seq: 1, time: 0, ctx: 'x', port: 1 },
    ]);
    expect(wireFacts(encodeBatch(runInNewContext('[]') as Fact[]).json)).toEqual([]);
  });

  it('splits a batch into texts under the bound; a single fact over it is counted as dropped in its place', () => {
    const big = (i: number) =>
      ({
        kind: 'port-posted',
        seq: i,
        time: 1,
        ctx: 'c',
        port: 1,
        fingerprint: 'x'.repeat(300) + i,
      }) as unknown as Fact;
    const batch = [1, 2, 3, 4, 5].map(big);
    const texts: { json: string; count: number }[] = [];
    encodeBatches(batch, 800, (b, count) => texts.push({ json: b.json, count }));
    expect(texts.every((t) => t.json.length <= 800)).toBe(true);
    expect(texts.flatMap((t) => wireFacts(t.json))).toEqual(batch);
    expect(texts.reduce((n, t) => n + t.count, 0)).toBe(5);
    const alone: unknown[][] = [];
    encodeBatches([big(9)], 100, (b) => alone.push(wireFacts(b.json)));
    expect(alone).toEqual([[{ kind: 'facts-dropped', ctx: 'c', counts: { 'port-posted': 1 }, seq: 9, time: 1 }]]);
  });

  it('reads its layout at its first batch, after the page ran, without calling a page setter', async () => {
    vi.resetModules();
    // A fresh module: its tables not read yet (imported before the hook, which the loader would trip on).
    const fresh = await import('../../../injected/batch-json.ts');
    let calls = 0;
    Object.defineProperty(Array.prototype, '0', {
      configurable: true,
      get: () => undefined,
      set: () => {
        calls++;
      },
    });
    try {
      fresh.encodeBatch([fact()]);
    } finally {
      delete A['0'];
    }
    expect(calls).toBe(0);
  });
});
