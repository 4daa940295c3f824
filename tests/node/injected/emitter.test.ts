import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { Emitter, UNSTAMPED_TIME } from '../../../injected/emitter.ts';

function collector() {
  const batches: Fact[][] = [];
  return { batches, sink: { deliver: (facts: Fact[]) => batches.push(facts) } };
}

const closed = (port: number) => ({ kind: 'port-closed' as const, ctx: 'c', port });

describe('Emitter', () => {
  it('stamps seq from 1 and flushes by size', () => {
    const { batches, sink } = collector();
    const e = new Emitter('c', sink, { batchSize: 3, flushMs: 10_000, maxBuffered: 100 });
    for (let i = 1; i <= 7; i++) e.emit(closed(i));
    expect(batches.map((b) => b.length)).toEqual([3, 3]);
    e.flush();
    expect(batches.flat().map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.flat().every((f) => typeof f.time === 'number')).toBe(true);
  });

  it('stamps a fact built with its seq and time fields in place, in order with the copied ones, running no page setter', () => {
    const { batches, sink } = collector();
    const e = new Emitter('c', sink, { batchSize: 100, flushMs: 10_000, maxBuffered: 100 });
    const calls: string[] = [];
    for (const k of ['seq', 'time'])
      Object.defineProperty(Object.prototype, k, {
        configurable: true,
        set: () => calls.push(k),
        get: () => undefined,
      });
    try {
      e.emit(closed(1));
      const built = { kind: 'port-closed' as const, ctx: 'c', port: 2, seq: 0, time: UNSTAMPED_TIME };
      const stamped = e.emitBuilt(built);
      e.emit(closed(3));
      expect(stamped).toBe(built);
      e.flush();
    } finally {
      delete (Object.prototype as Record<string, unknown>).seq;
      delete (Object.prototype as Record<string, unknown>).time;
    }
    expect(calls).toEqual([]);
    const facts = batches.flat();
    expect(facts.map((f) => [(f as { port?: number }).port, f.seq])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(typeof facts[1].time === 'number' && facts[1].time > 0).toBe(true);
  });

  it('past its bound drops new facts, counts them per kind, and reports the counts once', () => {
    const { batches, sink } = collector();
    const e = new Emitter('c', sink, { batchSize: 1_000, flushMs: 10_000, maxBuffered: 4 });
    for (let i = 1; i <= 6; i++) e.emit(closed(i));
    expect(e.emit({ kind: 'messageerror', ctx: 'c', port: 9 })).toBeUndefined();
    e.flush();
    const facts = batches.flat();
    expect(facts.map((f) => f.kind)).toEqual([
      'port-closed',
      'port-closed',
      'port-closed',
      'port-closed',
      'facts-dropped',
    ]);
    expect(facts[4]).toMatchObject({
      kind: 'facts-dropped',
      ctx: 'c',
      counts: { 'port-closed': 2, messageerror: 1 },
      seq: 5,
    });
    e.flush();
    expect(batches.flat()).toHaveLength(5);
  });

  it('flushes on its timer', async () => {
    const { batches, sink } = collector();
    const e = new Emitter('c', sink, { batchSize: 1_000, flushMs: 5, maxBuffered: 100 });
    e.emit(closed(1));
    expect(batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(batches).toHaveLength(1);
  });

  it('hands facts one by one to a FactSink', () => {
    const got: Fact[] = [];
    const e = new Emitter('c', { emit: (f: Fact) => got.push(f) }, { batchSize: 2, flushMs: 10_000, maxBuffered: 10 });
    e.emit(closed(1));
    e.emit(closed(2));
    expect(got.map((f) => f.seq)).toEqual([1, 2]);
  });

  it('keeps an emitted fact mutable until it is flushed (dispatch records are completed by handlers)', () => {
    const { batches, sink } = collector();
    const e = new Emitter('c', sink, { batchSize: 10, flushMs: 10_000, maxBuffered: 10 });
    const f = e.emit<Extract<Fact, { kind: 'message-dispatched' }>>({
      kind: 'message-dispatched',
      ctx: 'c',
      port: 1,
      fingerprint: 'x',
      preview: { t: 'null' },
      ports: [],
      handlers: 0,
      duration: 0,
    })!;
    f.handlers = 2;
    e.flush();
    expect((batches[0][0] as typeof f).handlers).toBe(2);
  });

  it('runs no page setter or getter on Array.prototype indices, length or Object.prototype while buffering and flushing', () => {
    // A string, not an array: pushing onto an array would itself run the hooks below.
    let calls = '';
    const A = Array.prototype as unknown as Record<string, unknown>;
    const keys = ['0', '1', '2', 'length'];
    for (const k of keys.slice(0, 3))
      Object.defineProperty(Array.prototype, k, {
        configurable: true,
        get: () => {
          calls += `get Array.prototype[${k}] `;
        },
        set: () => {
          calls += `set Array.prototype[${k}] `;
        },
      });
    for (const k of keys)
      Object.defineProperty(Object.prototype, k, {
        configurable: true,
        get: () => {
          calls += `get Object.prototype.${k} `;
        },
        set: () => {
          calls += `set Object.prototype.${k} `;
        },
      });
    // A Map, not an array, for the same reason.
    const delivered = new Map<number, Fact[]>();
    try {
      const e = new Emitter(
        'c',
        { deliver: (facts: Fact[]) => void delivered.set(delivered.size, facts) },
        {
          batchSize: 2,
          flushMs: 10_000,
          maxBuffered: 10,
        },
      );
      for (let i = 1; i <= 3; i++) e.emit(closed(i));
      e.flush();
    } finally {
      for (const k of keys.slice(0, 3)) delete A[k];
      for (const k of keys) delete (Object.prototype as unknown as Record<string, unknown>)[k];
    }
    expect(calls).toBe('');
    const batches = [...delivered.values()];
    expect(batches.map((b) => [Array.isArray(b), Object.getOwnPropertyNames(b)])).toEqual([
      [true, ['0', '1', 'length']],
      [true, ['0', 'length']],
    ]);
    expect(batches.flat().map((f) => f.seq)).toEqual([1, 2, 3]);
  });
  it('fills a batch of more than 512 facts and hands it over whole, running no page setter, getter or species lookup', () => {
    let calls = '';
    const A = Array.prototype as unknown as Record<string, unknown>;
    const indices = ['0', '511', '512', '513', '599'];
    for (const k of indices)
      Object.defineProperty(Array.prototype, k, {
        configurable: true,
        get: () => {
          calls += `get [${k}] `;
        },
        set: () => {
          calls += `set [${k}] `;
        },
      });
    // Array.prototype.slice or concat of the buffer would read it (ArraySpeciesCreate).
    const species = Object.getOwnPropertyDescriptor(Array.prototype, 'constructor')!;
    Object.defineProperty(Array.prototype, 'constructor', {
      configurable: true,
      get: () => {
        calls += 'get constructor ';
        return Array;
      },
    });
    const delivered = new Map<number, Fact[]>();
    try {
      const e = new Emitter(
        'c',
        { deliver: (facts: Fact[]) => void delivered.set(delivered.size, facts) },
        { batchSize: 600, flushMs: 10_000, maxBuffered: 10_000 },
      );
      for (let i = 1; i <= 700; i++) e.emit(closed(i));
      e.flush();
    } finally {
      for (const k of indices) delete A[k];
      Object.defineProperty(Array.prototype, 'constructor', species);
    }
    expect(calls).toBe('');
    const batches = [...delivered.values()];
    expect(batches.map((b) => [Array.isArray(b), b.length, Object.getOwnPropertyNames(b).length])).toEqual([
      [true, 600, 601],
      [true, 100, 101],
    ]);
    expect(batches.flat().map((f) => (f as { port: number }).port)).toEqual(
      Array.from({ length: 700 }, (_, i) => i + 1),
    );
  });
});
