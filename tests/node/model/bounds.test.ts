import { describe, expect, it } from 'vitest';
import { createModel, ModelOptionError } from '../../../panel/model/index.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { Stream } from './facts.ts';

describe('bounds and bad input', () => {
  it('evicts bodies past messageCap and records past recordCap, never a queued one, and counts both', () => {
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
    expect(model.messages.filter((m) => m.state === 'queued')).toHaveLength(5);
    expect(model.messages.filter((m) => m.preview !== undefined)).toHaveLength(100);
    expect(model.message('m1')!.state).toBe('queued');
    expect(model.message('m1')!.preview).toBeUndefined(); // body evicted, record kept
    // Counts stay exact.
    expect(model.summary().messages).toEqual({ posted: 1005, delivered: 1000, queued: 5, dropped: 0 });
    expect(model.ports.get('p2')!.delivered).toBe(1000);
    expect(model.ports.get('p4')!.portMessageQueue).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
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
    expect(() => createModel({ messageCap: 1.5 })).toThrow('ModelOptions.messageCap must be a positive integer, got 1.5');
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
