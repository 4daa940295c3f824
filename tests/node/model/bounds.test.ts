import { describe, expect, it } from 'vitest';
import { createModel, ModelOptionError } from '../../../panel/model/index.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { Stream } from './facts.ts';

describe('bounds and bad input', () => {
  it('evicts bodies past messageCap and records past recordCap, queued ones included, and counts both', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    const [x] = top.channel(); // its peer is never started: its queue stays
    top.onmessage(b);
    for (let i = 0; i < 5; i++) top.post(x, `queued${i}`);
    for (let i = 0; i < 1000; i++) {
      top.post(a, `m${i}`);
      top.dispatch(b, `m${i}`);
    }
    const model = createModel({ messageCap: 100, recordCap: 200 });
    model.apply(s.all);
    expect(model.stats.evictedMessages).toBe(905);
    expect(model.messages.length).toBeLessThanOrEqual(200 + 64);
    expect(model.stats.evictedRecords).toBe(1005 - model.messages.length);
    expect(model.messages.filter((m) => m.preview !== undefined)).toHaveLength(100);
    // The oldest records were the queued ones: they went, the queue stays exact.
    expect(model.message('m1')).toBeUndefined();
    expect(model.summary().messages).toEqual({ posted: 1005, delivered: 1000, queued: 5, dropped: 0 });
    expect(model.ports.get('p2')!.delivered).toBe(1000);
    const waiting = model.ports.get('p4')!;
    expect(waiting).toMatchObject({
      queued: 5,
      evictedQueued: 5,
      countedQueued: 0,
      portMessageQueue: [],
      oldestQueuedAt: s.all.find((f) => f.kind === 'port-posted')!.time,
    });
    expect(waiting.queueEntries).toEqual([
      { counted: 5, postedAt: waiting.oldestQueuedAt, from: 'top', evicted: true },
    ]);
    expect(model.summary().counted).toBeUndefined(); // evicted is not counted-while-closed
  });

  it('keeps records bounded however many messages wait on a port never started, and stays exact when it starts', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    const n = 5000;
    for (let i = 0; i < n; i++) top.post(a, `w${i}`);
    const model = createModel({ messageCap: 100, recordCap: 200 });
    model.apply(s.all);
    // Before: every queued record stayed (and every new message rescanned them all).
    expect(model.messages.length).toBeLessThanOrEqual(200 + 64);
    expect(model.stats.evictedRecords).toBe(n - model.messages.length);
    const port = model.ports.get('p2')!;
    const evicted = n - model.messages.length;
    expect(port).toMatchObject({ queued: n, evictedQueued: evicted });
    expect(port.queueEntries.length).toBe(1 + model.messages.length); // one run, then the kept records
    expect(model.diagnostics().map((d) => d.code)).toEqual(['queue-growing']);

    const start = s.all.length;
    top.start(b);
    for (let i = 0; i < n; i++) top.dispatch(b, `w${i}`);
    model.apply(s.all.slice(start));
    expect(model.stats.unmatched).toEqual({});
    expect(model.summary().messages).toEqual({ posted: n, delivered: n, queued: 0, dropped: 0 });
    expect(model.ports.get('p2')!.queued).toBe(0);
    // Records made at dispatch push out the queued records still waiting, so every dispatch
    // found its message's record gone and made one from what it tells.
    expect(model.messages.at(-1)).toMatchObject({
      state: 'delivered',
      postObserved: true,
      postEvicted: true,
      preview: { t: 'string', v: `w${n - 1}` },
    });
    expect(model.messages.every((m) => m.postEvicted)).toBe(true);
    expect(model.messages.length).toBeLessThanOrEqual(200 + 64);
  });

  it('keeps the record of a queued message that carries a port, so the port is received where it arrives', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    const [, y] = top.channel();
    top.post(a, 'carries y', { transfer: [{ t: 'port', port: y }] });
    for (let i = 0; i < 1000; i++) top.post(a, `w${i}`);
    top.start(b);
    const [arrived] = top.dispatch(b, 'carries y', 1);
    const model = createModel({ messageCap: 100, recordCap: 200 });
    model.apply(s.all);
    expect(model.stats.unmatched).toEqual({});
    expect(model.ports.get('p4')!.holders.map((h) => [h.context, h.localId])).toEqual([
      ['top', y],
      ['top', arrived],
    ]);
    expect(model.message('m1')).toMatchObject({ state: 'delivered', transferredPorts: ['p4'] });
    expect(model.ports.get('p2')).toMatchObject({ queued: 1000, evictedQueued: 1000 - (model.messages.length - 1) });
  });

  it('bounds message bodies in characters as well as in number, and counts what it evicts', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    const big = 'x'.repeat(10_000);
    for (let i = 0; i < 50; i++) {
      top.post(a, `${i}${big}`);
      top.dispatch(b, `${i}${big}`);
    }
    const model = createModel({ bodyCharsCap: 100_000 });
    model.apply(s.all);
    const kept = model.messages.filter((m) => m.preview !== undefined);
    // Post and dispatch each carry a 10,000-character preview; the dispatch's is not kept.
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(model.stats.evictedMessages).toBe(50 - kept.length);
    expect(kept.at(-1)!.id).toBe('m50');
  });

  it('bounds the fact log in characters too, keeping context announcements', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a] = top.channel();
    for (let i = 0; i < 100; i++) top.post(a, `${i}${'x'.repeat(10_000)}`);
    const model = createModel({ factLogCharsCap: 100_000 });
    model.apply(s.all);
    const log = model.factLog();
    expect(log[0].kind).toBe('context');
    expect(log.length).toBeGreaterThan(5);
    expect(log.length).toBeLessThanOrEqual(11);
    expect(model.stats.evictedFacts).toBe(s.all.length - log.length);
    expect(log.at(-1)).toBe(s.all.at(-1));
  });

  it('bounds the fact log and keeps context announcements', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a] = top.channel();
    for (let i = 0; i < 50; i++) top.post(a, `m${i}`);
    const model = createModel({ factLogCap: 10 });
    model.apply(s.all);
    const log = model.factLog();
    expect(log[0].kind).toBe('context');
    expect(log).toHaveLength(11);
    expect(model.stats.evictedFacts).toBe(s.all.length - 11);
  });

  it('counts malformed, duplicate and unknown-port facts instead of throwing', () => {
    const s = new Stream();
    const top = s.context('top');
    top.post(7, 'from a port never introduced');
    const model = createModel();
    model.apply([...s.all, s.all[0], { kind: 'nonsense' } as unknown as Fact, null as unknown as Fact]);
    expect(model.stats.unmatched).toEqual({ 'unknown-port': 1, 'duplicate-seq': 1, malformed: 2 });
    expect(model.ports.get('p1')!.partiallyObserved).toBe(true);
  });

  it('draws a context that was never announced, without guessing its kind', () => {
    const s = new Stream();
    const ghost = s.silentContext('ghost');
    ghost.channel();
    const model = createModel();
    model.apply(s.all);
    expect(model.contexts.get('ghost')).toMatchObject({ kind: 'unknown', observed: false });
    expect(model.stats.unmatched).toEqual({ 'unannounced-context': 1 });
  });

  it('rejects bad options with the option named', () => {
    expect(() => createModel({ messageCap: 0 })).toThrow(ModelOptionError);
    expect(() => createModel({ messageCap: 1.5 })).toThrow(
      'ModelOptions.messageCap must be a positive integer, got 1.5',
    );
  });

  it('counts facts the runtime reported as dropped', () => {
    const s = new Stream();
    const top = s.context('top');
    top.emit('facts-dropped', { counts: { 'port-posted': 12 } });
    const model = createModel();
    model.apply(s.all);
    expect(model.stats.droppedFacts).toEqual({ 'port-posted': 12 });
  });

  it('clear() forgets everything and revision moves', () => {
    const s = new Stream();
    s.context('top').channel();
    const model = createModel();
    model.apply(s.all);
    const before = model.revision;
    model.clear();
    expect(model.revision).toBeGreaterThan(before);
    expect(model.ports.size).toBe(0);
    expect(model.summary().contexts).toEqual([]);
  });
});
