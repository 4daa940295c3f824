/** The runtime's JSON form of a batch, written from own properties whenever JSON.stringify could run page code, and split under a length bound. */
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { encodeBatch, encodeBatches } from '../../../injected/batch-json.ts';

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
  it('gives the batch as one JSON text with per-kind counts', () => {
    const facts = [fact('port-posted'), fact(), fact('port-posted')];
    const encoded = encodeBatch(facts)!;
    expect(JSON.parse(encoded.json)).toEqual(facts);
    expect({ ...encoded.kinds }).toEqual({ 'port-posted': 2, 'port-closed': 1 });
    expect(Object.getPrototypeOf(encoded.kinds)).toBe(null);
  });

  it('writes the same JSON from own properties, calling nothing, when a toJSON or an index could be read from a prototype', () => {
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
    ];
    const batch = [
      fact(),
      { ...fact('port-posted'), transfer: [1, 2], site: { frames: ['a \u2028 "b"'] } } as unknown as Fact,
    ];
    const expected = JSON.stringify(batch);
    for (const [name, install] of hostile) {
      install();
      expect(encodeBatch(batch).json, name).toBe(expected);
      delete O.toJSON;
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
    expect(JSON.parse(encodeBatch([foreign]).json)).toEqual([
      { kind: 'port-closed', seq: 1, time: 0, ctx: 'x', port: 1 },
    ]);
    expect(encodeBatch(runInNewContext('[]') as Fact[]).json).toBe('[]');
  });

  it('splits a batch into texts under the bound; a single fact over it is counted as dropped in its place', () => {
    const big = (i: number) =>
      ({ kind: 'port-posted', seq: i, time: 1, ctx: 'c', port: 1, pad: 'x'.repeat(300) }) as unknown as Fact;
    const batch = [1, 2, 3, 4, 5].map(big);
    const texts: { json: string; count: number }[] = [];
    encodeBatches(batch, 800, (b, count) => texts.push({ json: b.json, count }));
    expect(texts.every((t) => t.json.length <= 800)).toBe(true);
    expect(texts.flatMap((t) => JSON.parse(t.json))).toEqual(JSON.parse(JSON.stringify(batch)));
    expect(texts.reduce((n, t) => n + t.count, 0)).toBe(5);
    const alone: Fact[][] = [];
    encodeBatches([big(9)], 100, (b) => alone.push(JSON.parse(b.json)));
    expect(alone).toEqual([[{ kind: 'facts-dropped', ctx: 'c', counts: { 'port-posted': 1 }, seq: 9, time: 1 }]]);
  });
});
