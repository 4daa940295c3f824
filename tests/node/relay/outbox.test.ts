import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { DEFAULT_OUTBOX_BOUNDS, Outbox, type Batch, type OutboxBounds } from '../../../content/outbox.ts';

let n = 0;
const fact = (kind: 'port-posted' | 'port-closed' = 'port-closed'): Fact =>
  ({ kind, seq: ++n, time: 0, ctx: 'c', port: 1 }) as Fact;
const facts = (k: number) => Array.from({ length: k }, () => fact());
const bounds = (b: Partial<OutboxBounds>): OutboxBounds => ({ ...DEFAULT_OUTBOX_BOUNDS, ...b });
/** Facts of an object batch (the form `add` produces). */
const objs = (b: Batch) => {
  if (b.type !== 'batch') throw new Error(`expected an object batch, got ${b.type}`);
  return b.facts;
};
/** A runtime JSON text of `k` facts of one kind, as the relay receives it. */
const encoded = (k: number, kind = 'port-posted') => ({
  json: JSON.stringify(Array.from({ length: k }, () => fact(kind as 'port-posted'))),
  count: k,
  kinds: { [kind]: k },
});

describe('Outbox', () => {
  it('numbers batches, splits by size, and re-sends unacknowledged ones after resume', () => {
    const o = new Outbox(bounds({ unacked: 100, retained: 100, batch: 4 }));
    o.add(facts(10));
    o.seal();
    const first = o.takeUnsent();
    expect(first.map((b) => [b.seq, objs(b).length])).toEqual([
      [1, 4],
      [2, 4],
      [3, 2],
    ]);
    expect(o.takeUnsent()).toEqual([]);
    o.ack(2);
    // A new connection whose background has everything up to 2: only 3 goes again.
    o.resume(2);
    expect(o.takeUnsent().map((b) => b.seq)).toEqual([3]);
    // A background that lost everything: replay all retained batches, in order.
    o.resume(0);
    expect(o.takeUnsent().map((b) => b.seq)).toEqual([1, 2, 3]);
  });

  it('drops past the unacknowledged bound, counts per kind, and reports on the next batch', () => {
    const o = new Outbox(bounds({ unacked: 5, retained: 100, batch: 100 }));
    o.add([...facts(5), fact('port-posted'), fact('port-posted'), fact()]);
    o.seal();
    const [b] = o.takeUnsent();
    expect(objs(b)).toHaveLength(5);
    expect(b.dropped).toEqual({ 'port-posted': 2, 'port-closed': 1 });
    o.ack(1);
    o.add(facts(2));
    o.seal();
    const [next] = o.takeUnsent();
    expect(objs(next)).toHaveLength(2);
    expect(next.dropped).toBeUndefined();
  });

  it('evicts the oldest acknowledged batches past the retained bound and counts them', () => {
    const o = new Outbox(bounds({ unacked: 100, retained: 6, batch: 4 }));
    o.add(facts(12));
    o.seal();
    o.takeUnsent();
    expect(o.firstRetained).toBe(1);
    o.ack(3);
    expect(o.firstRetained).toBe(3);
    expect(o.evicted).toEqual({ 'port-closed': 8 });
    o.resume(0);
    expect(o.takeUnsent().map((b) => b.seq)).toEqual([3]);
  });

  it('forgets cleared batches but never unacknowledged ones', () => {
    const o = new Outbox(bounds({ unacked: 100, retained: 100, batch: 2 }));
    o.add(facts(6));
    o.seal();
    o.takeUnsent();
    o.ack(2);
    o.forget(3);
    expect(o.firstRetained).toBe(3);
    expect(o.hasUnacked).toBe(true);
    o.resume(0);
    expect(o.takeUnsent().map((b) => b.seq)).toEqual([3]);
  });

  it('carries rejected counts and the first error', () => {
    const o = new Outbox();
    o.reject(2, 'batch.facts[0].port: bad');
    o.reject(1, 'later');
    o.seal();
    expect(o.takeUnsent()).toEqual([
      { type: 'batch', seq: 1, facts: [], rejected: 3, error: 'batch.facts[0].port: bad' },
    ]);
  });
});

describe('Outbox after a back/forward cache restore', () => {
  it('renumbers everything held from 1, unacknowledged, so it travels again under a new identity', () => {
    const o = new Outbox(bounds({ unacked: 100, retained: 100, batch: 2 }));
    o.add(facts(5));
    o.seal();
    o.takeUnsent();
    o.ack(2);
    o.renumber();
    expect(o.lastAcked).toBe(0);
    expect(o.takeUnsent().map((b) => [b.seq, objs(b).length])).toEqual([
      [1, 2],
      [2, 2],
      [3, 1],
    ]);
  });
});

describe('Outbox with runtime JSON texts', () => {
  it('keeps texts unparsed, packs them into json-batches by facts and characters, never splitting one', () => {
    const o = new Outbox(bounds({ batch: 5, batchChars: 1_000_000 }));
    const a = encoded(2);
    const b = encoded(2);
    const c = encoded(3);
    o.addEncoded(a);
    o.addEncoded(b);
    o.addEncoded(c);
    expect(o.waitingCount).toBe(7);
    o.seal();
    expect(o.takeUnsent()).toEqual([
      {
        type: 'json-batch',
        seq: 1,
        json: [
          { json: a.json, count: 2 },
          { json: b.json, count: 2 },
        ],
      },
      { type: 'json-batch', seq: 2, json: [{ json: c.json, count: 3 }] },
    ]);
    // A text longer than the character bound still travels, alone.
    const big = encoded(4);
    const p = new Outbox(bounds({ batchChars: 10 }));
    p.addEncoded(encoded(1));
    p.addEncoded(big);
    p.seal();
    expect(p.takeUnsent().map((x) => (x.type === 'json-batch' ? x.json.map((j) => j.count) : null))).toEqual([
      [1],
      [4],
    ]);
  });

  it('keeps the order of objects and texts: a change of form starts a new batch', () => {
    const o = new Outbox();
    o.add(facts(2));
    o.addEncoded(encoded(3));
    o.add(facts(1));
    o.seal();
    expect(o.takeUnsent().map((b) => [b.seq, b.type])).toEqual([
      [1, 'batch'],
      [2, 'json-batch'],
      [3, 'batch'],
    ]);
  });

  it('drops a whole text past the unacknowledged bounds (facts or characters) and counts its kinds', () => {
    const o = new Outbox(bounds({ unacked: 5 }));
    o.addEncoded(encoded(4));
    o.addEncoded({ ...encoded(2, 'port-closed'), kinds: { 'port-closed': 1, 'port-posted': 1 } });
    o.addEncoded(encoded(1));
    o.seal();
    const [first] = o.takeUnsent();
    expect(first.type === 'json-batch' && first.json.map((j) => j.count)).toEqual([4, 1]);
    expect(first.dropped).toEqual({ 'port-closed': 1, 'port-posted': 1 });
    const text = encoded(3);
    const p = new Outbox(bounds({ unackedChars: text.json.length * 2 - 1 }));
    p.addEncoded(text);
    p.addEncoded(encoded(3, 'port-closed'));
    p.seal();
    const [only] = p.takeUnsent();
    expect(only.type === 'json-batch' && only.json.length).toBe(1);
    expect(only.dropped).toEqual({ 'port-closed': 3 });
    // Acknowledged, the characters are free again.
    p.ack(1);
    p.addEncoded(encoded(3, 'port-closed'));
    p.seal();
    expect(p.takeUnsent().map((b) => b.dropped)).toEqual([undefined]);
  });

  it('evicts retained texts past the bounds, counting their declared kinds, and replays the rest after a restart', () => {
    const o = new Outbox(bounds({ retained: 4, batch: 3 }));
    o.addEncoded(encoded(3, 'port-closed'));
    o.addEncoded(encoded(3));
    o.addEncoded(encoded(2));
    o.seal();
    expect(o.takeUnsent().map((b) => b.seq)).toEqual([1, 2, 3]);
    o.ack(3);
    // 8 acknowledged facts, 4 retained at most: the two oldest batches go.
    expect(o.evicted).toEqual({ 'port-closed': 3, 'port-posted': 3 });
    o.resume(0);
    expect(o.takeUnsent().map((b) => b.seq)).toEqual([3]);
    o.renumber();
    expect(o.takeUnsent().map((b) => [b.seq, b.type])).toEqual([[1, 'json-batch']]);
  });

  it('bounds fact objects in characters too: batches split under batchChars, drops counted past unackedChars', () => {
    const wide = (): Fact =>
      ({ kind: 'port-posted', seq: ++n, time: 0, ctx: 'c', port: 1, pad: 'x'.repeat(900) }) as unknown as Fact;
    const size = JSON.stringify(wide()).length;
    const o = new Outbox(bounds({ unacked: 100, batch: 100, batchChars: size * 3 + 10, unackedChars: size * 7 + 10 }));
    o.add(Array.from({ length: 9 }, wide));
    o.seal();
    const batches = o.takeUnsent();
    expect(batches.map((b) => objs(b).length)).toEqual([3, 3, 1]);
    expect(batches[0].dropped).toEqual({ 'port-posted': 2 });
    // One fact longer than a batch may be can never be sent: counted at once.
    const tight = new Outbox(bounds({ batchChars: 100 }));
    tight.add([wide()]);
    tight.seal();
    const [only] = tight.takeUnsent();
    expect([objs(only).length, only.dropped]).toEqual([0, { 'port-posted': 1 }]);
  });

  it('replaces a batch the browser refuses to carry by its counts, and frees its room', () => {
    const o = new Outbox(bounds({ unacked: 10, batch: 5 }));
    o.add(facts(5));
    o.addEncoded(encoded(3));
    o.seal();
    const [first, second] = o.takeUnsent();
    o.refuse(first.seq);
    o.refuse(second.seq);
    o.resume(0);
    const again = o.takeUnsent();
    expect(again.map((b) => [b.seq, b.type, b.type === 'batch' ? b.facts.length : -1, b.dropped])).toEqual([
      [1, 'batch', 0, { 'port-closed': 5 }],
      [2, 'batch', 0, { 'port-posted': 3 }],
    ]);
    // The room they held is free again.
    o.add(facts(10));
    o.seal();
    expect(o.takeUnsent().flatMap(objs)).toHaveLength(10);
  });
});
