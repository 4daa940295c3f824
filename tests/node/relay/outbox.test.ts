import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { Outbox } from '../../../content/outbox.ts';

let n = 0;
const fact = (kind: 'port-posted' | 'port-closed' = 'port-closed'): Fact => ({ kind, seq: ++n, time: 0, ctx: 'c', port: 1 }) as Fact;
const facts = (k: number) => Array.from({ length: k }, () => fact());

describe('Outbox', () => {
  it('numbers batches, splits by size, and re-sends unacknowledged ones after resume', () => {
    const o = new Outbox({ unacked: 100, retained: 100, batch: 4 });
    o.add(facts(10));
    o.seal();
    const first = o.takeUnsent();
    expect(first.map((b) => [b.seq, b.facts.length])).toEqual([[1, 4], [2, 4], [3, 2]]);
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
    const o = new Outbox({ unacked: 5, retained: 100, batch: 100 });
    o.add([...facts(5), fact('port-posted'), fact('port-posted'), fact()]);
    o.seal();
    const [b] = o.takeUnsent();
    expect(b.facts).toHaveLength(5);
    expect(b.dropped).toEqual({ 'port-posted': 2, 'port-closed': 1 });
    o.ack(1);
    o.add(facts(2));
    o.seal();
    const [next] = o.takeUnsent();
    expect(next.facts).toHaveLength(2);
    expect(next.dropped).toBeUndefined();
  });

  it('evicts the oldest acknowledged batches past the retained bound and counts them', () => {
    const o = new Outbox({ unacked: 100, retained: 6, batch: 4 });
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
    const o = new Outbox({ unacked: 100, retained: 100, batch: 2 });
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
    expect(o.takeUnsent()).toEqual([{ type: 'batch', seq: 1, facts: [], rejected: 3, error: 'batch.facts[0].port: bad' }]);
  });
});

describe('Outbox after a back/forward cache restore', () => {
  it('renumbers everything held from 1, unacknowledged, so it travels again under a new identity', () => {
    const o = new Outbox({ unacked: 100, retained: 100, batch: 2 });
    o.add(facts(5));
    o.seal();
    o.takeUnsent();
    o.ack(2);
    o.renumber();
    expect(o.lastAcked).toBe(0);
    expect(o.takeUnsent().map((b) => [b.seq, b.facts.length])).toEqual([[1, 2], [2, 2], [3, 1]]);
  });
});
