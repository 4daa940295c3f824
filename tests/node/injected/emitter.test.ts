import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { Emitter } from '../../../injected/emitter.ts';

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
});
