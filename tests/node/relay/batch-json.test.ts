/** The runtime's JSON form of a batch, and its fallback to objects whenever JSON.stringify could run page code. */
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { encodeBatch } from '../../../injected/batch-json.ts';

let n = 0;
const fact = (kind: 'port-posted' | 'port-closed' = 'port-closed'): Fact => ({ kind, seq: ++n, time: 1.5, ctx: 'c', port: 1 }) as Fact;
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

  it('falls back to objects, calling nothing, when a toJSON or an index could be read from a prototype', () => {
    const calls: string[] = [];
    const hostile: [string, () => void][] = [
      ['Object.prototype.toJSON', () => (O.toJSON = () => calls.push('object'))],
      ['Array.prototype.toJSON accessor', () => Object.defineProperty(Array.prototype, 'toJSON', { configurable: true, get: () => calls.push('array') })],
      ['Array.prototype[0] accessor', () => Object.defineProperty(Array.prototype, '0', { configurable: true, get: () => calls.push('index') })],
      ['Array.prototype given another prototype', () => Object.setPrototypeOf(Array.prototype, Object.create(Object.prototype, { toJSON: { configurable: true, get: () => calls.push('between') } }))],
    ];
    for (const [name, install] of hostile) {
      install();
      expect(encodeBatch([fact()]), name).toBeUndefined();
      delete O.toJSON;
      delete A.toJSON;
      delete A['0'];
      Object.setPrototypeOf(Array.prototype, Object.prototype);
    }
    expect(calls).toEqual([]);
    // Unhooked again: JSON once more.
    expect(encodeBatch([fact()])).toBeDefined();
  });

  it('falls back to objects for facts of another realm (a removed iframe adopted by its parent)', () => {
    const foreign = runInNewContext('({ kind: "port-closed", seq: 1, time: 0, ctx: "x", port: 1 })') as Fact;
    expect(encodeBatch([fact(), foreign])).toBeUndefined();
    expect(encodeBatch(runInNewContext('[]') as Fact[])).toBeUndefined();
  });
});
