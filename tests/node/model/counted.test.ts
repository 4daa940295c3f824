// Messages counted rather than recorded (`messages-counted`, issue #8): the queue holds runs of
// counted messages, and every consumer of the queue (dispatch pairing, waiting, shipping,
// destruction, diagnostics, summary, export) counts them as the messages they stand for.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import type { ChannelModel } from '../../../panel/model/types.ts';
import { createTrace, parseTrace, serializeTrace, traceFacts } from '../../../protocol/trace.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { Stream, byContext } from './facts.ts';

function portOf(model: ChannelModel, ctx: string, local: number) {
  const found = [...model.ports.values()].find(
    (p) => p.holders.some((h) => h.context === ctx && h.localId === local) && p.context === ctx,
  );
  if (!found) throw new Error(`no port ${ctx}#${local}`);
  return found;
}

function inBatches(model: ChannelModel, facts: readonly Fact[], size = 5): void {
  for (let i = 0; i < facts.length; i += size) model.apply(facts.slice(i, i + size));
}

/** top creates a channel and sends its second port to an iframe, which listens on it. */
function twoContexts() {
  const s = new Stream();
  const top = s.context('top');
  const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
  const [a, b] = top.channel();
  const cb = top.handToFrame(child, b);
  child.onmessage(cb);
  return { s, top, child, a, cb };
}

describe('messages-counted', () => {
  it('counted posts, then recorded dispatches: each dispatch takes one from the run and becomes a record with its preview', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.counted(a, 3, 0);
    top.start(b);
    top.dispatch(b, 'x1');
    top.dispatch(b, 'x2');
    const model = createModel();
    model.apply(s.all);
    const pa = portOf(model, 'top', a);
    const pb = portOf(model, 'top', b);
    expect([pa.posted, pa.countedPosted]).toEqual([3, 3]);
    expect([pb.delivered, pb.countedDelivered]).toEqual([2, 0]);
    expect([pb.queued, pb.countedQueued]).toEqual([1, 1]);
    expect(pb.portMessageQueue).toEqual([]);
    expect(pb.queueEntries).toEqual([
      { counted: 1, postedAt: s.all.find((f) => f.kind === 'messages-counted')!.time, from: 'top' },
    ]);
    expect(model.messages.map((m) => [m.id, m.state, m.counted, m.postObserved, m.preview])).toEqual([
      ['m1', 'delivered', true, true, { t: 'string', v: 'x1', len: 2 }],
      ['m2', 'delivered', true, true, { t: 'string', v: 'x2', len: 2 }],
    ]);
    expect(model.stats.unmatched).toEqual({});
    expect(model.stats.inferred).toEqual({});
    expect(model.stats.counted).toEqual({ posted: 3, delivered: 0 });
    const summary = model.summary();
    expect(summary.messages).toEqual({ posted: 3, delivered: 2, queued: 1, dropped: 0 });
    expect(summary.counted).toEqual({ posted: 3, delivered: 0, queued: 1 });
    expect(summary.ports.find((p) => p.id === pa.id)!.counted).toEqual({ posted: 3, delivered: 0, queued: 0 });
  });

  it('recorded posts, then counted dispatches: the records are delivered without dispatch details, in queue order', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.post(a, 'one');
    top.counted(a, 2, 0);
    top.post(a, 'four');
    top.start(b);
    top.counted(b, 0, 3);
    const model = createModel();
    model.apply(s.all);
    const pb = portOf(model, 'top', b);
    expect(model.messages.map((m) => [m.id, m.state, m.handlers])).toEqual([
      ['m1', 'delivered', undefined],
      ['m2', 'queued', undefined],
    ]);
    expect(pb.portMessageQueue).toEqual(['m2']);
    expect(pb.queueEntries).toEqual(['m2']);
    expect([pb.queued, pb.countedQueued, pb.delivered, pb.countedDelivered]).toEqual([1, 0, 3, 3]);
    expect(model.summary().messages).toEqual({ posted: 4, delivered: 3, queued: 1, dropped: 0 });
    expect(model.summary().counted).toEqual({ posted: 2, delivered: 3, queued: 0 });
    expect(model.stats.unmatched).toEqual({});
  });

  it('counted at both ends in one context, in either report order, pairs without waiting or inferring', () => {
    for (const dispatchFirst of [false, true]) {
      const s = new Stream();
      const top = s.context('top');
      const [a, b] = top.channel();
      top.onmessage(b);
      if (dispatchFirst) top.counted(b, 0, 5);
      top.counted(a, 5, 0);
      if (!dispatchFirst) top.counted(b, 0, 5);
      top.post(a, 'after');
      const model = createModel();
      model.apply(s.all);
      expect(model.stats.waiting).toBe(0);
      const pa = portOf(model, 'top', a);
      const pb = portOf(model, 'top', b);
      expect([pa.posted, pb.delivered, pb.queued, pb.countedQueued]).toEqual([6, 5, 1, 0]);
      expect(pb.portMessageQueue).toEqual(['m1']);
      expect(model.summary().messages).toEqual({ posted: 6, delivered: 5, queued: 1, dropped: 0 });
      expect(model.stats.inferred).toEqual({});
    }
  });

  it('counted dispatches whose posts in the same context never come are inferred on settle', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    top.counted(b, 0, 2);
    const model = createModel();
    model.apply(s.all);
    expect(model.summary().messages).toEqual({ posted: 2, delivered: 2, queued: 0, dropped: 0 });
    expect(portOf(model, 'top', a).countedPosted).toBe(2);
    expect(model.stats.inferred).toEqual({ post: 2 });
  });

  it("counts from two contexts in either order: the receiver's counted dispatches wait for the sender's counted posts, then pair", () => {
    const { s, top, child, a, cb } = twoContexts();
    top.counted(a, 2, 0);
    child.counted(cb, 0, 1);
    top.counted(a, 2, 0);
    child.counted(cb, 0, 3);
    top.post(a, 'recorded');
    child.dispatch(cb, 'recorded');

    const childFirst = createModel();
    childFirst.apply(child.facts);
    expect(childFirst.stats.waiting).toBeGreaterThan(0);
    expect(childFirst.stats.counted).toEqual({ posted: 0, delivered: 0 });
    childFirst.apply(top.facts);
    expect(childFirst.stats.waiting).toBe(0);

    const summaries = [s.all, byContext(top, child), byContext(child, top)].map((facts) => {
      const model = createModel();
      inBatches(model, facts);
      expect(model.stats.unmatched).toEqual({});
      expect(model.stats.inferred).toEqual({});
      return model.summary();
    });
    expect(summaries[1]).toEqual(summaries[0]);
    expect(summaries[2]).toEqual(summaries[0]);
    expect(childFirst.summary()).toEqual(summaries[0]);
    expect(summaries[0].messages).toEqual({ posted: 5, delivered: 5, queued: 0, dropped: 0 });
    expect(summaries[0].counted).toEqual({ posted: 4, delivered: 4, queued: 0 });
    expect(childFirst.messages.map((m) => [m.fingerprint, m.state, m.counted])).toEqual([
      ['fp:recorded', 'delivered', undefined],
    ]);
  });

  it('a counted dispatch larger than the queue takes what is there and waits for the rest', () => {
    const { s, top, child, a, cb } = twoContexts();
    top.counted(a, 2, 0);
    const model = createModel();
    model.apply(s.all);
    child.counted(cb, 0, 5);
    model.apply(child.facts.slice(-1));
    const pcb = portOf(model, 'child', cb);
    expect(model.stats.waiting).toBe(1);
    expect([pcb.delivered, pcb.queued]).toEqual([2, 0]);
    top.counted(a, 4, 0);
    model.apply(top.facts.slice(-1));
    expect(model.stats.waiting).toBe(0);
    expect([pcb.delivered, pcb.queued, pcb.countedDelivered]).toEqual([5, 1, 5]);
    expect(model.stats.inferred).toEqual({});
  });

  it("infers counted posts after the grace period when the sender's counts never come", () => {
    const { s, child, cb } = twoContexts();
    child.counted(cb, 0, 3);
    const model = createModel({ correlationGraceMs: 100 });
    model.apply(s.all.filter((f) => f.ctx === 'top' && f.kind !== 'messages-counted'));
    model.apply(child.facts);
    expect(model.stats.waiting).toBeGreaterThan(0);
    s.tick(500);
    const later = s.context('later');
    model.apply(later.facts);
    expect(model.stats.waiting).toBe(0);
    expect(model.stats.inferred).toEqual({ post: 3 });
    const pcb = portOf(model, 'child', cb);
    expect([pcb.delivered, pcb.countedDelivered]).toEqual([3, 3]);
    expect(model.ports.get(pcb.entangled!)!.countedPosted).toBe(3);
  });

  it('a never-started port with 1,000,000 counted posts: queue depth 1,000,000 in one entry, diagnostics raised', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.addListener(b);
    for (let i = 0; i < 1000; i++) top.counted(a, 1000, 0);
    const model = createModel();
    inBatches(model, s.all, 100);
    const pb = portOf(model, 'top', b);
    expect([pb.queued, pb.countedQueued]).toEqual([1_000_000, 1_000_000]);
    // Memory stays small: one run stands for all of them, and no message record exists.
    expect(pb.queueEntries).toHaveLength(1);
    expect(model.messages).toHaveLength(0);
    const codes = model.diagnostics().map((d) => [d.code, d.port, d.message]);
    expect(codes).toContainEqual(['port-never-started', pb.id, expect.stringContaining('1000000 messages waiting')]);
    // port-never-started already says why this queue grows: queue-growing is not raised beside it.
    expect(codes.map(([code]) => code)).not.toContain('queue-growing');
    expect(model.summary().messages).toEqual({ posted: 1_000_000, delivered: 0, queued: 1_000_000, dropped: 0 });
  });

  it('a port shipped while its queue holds a counted run takes the run with it', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    top.counted(a, 7, 0);
    top.post(a, 'eighth');
    const cb = top.handToFrame(child, b);
    const model = createModel();
    model.apply(s.all);
    const moved = portOf(model, 'child', cb);
    expect(moved.holders.map((h) => h.context)).toEqual(['top', 'child']);
    expect([moved.queued, moved.countedQueued]).toEqual([8, 7]);
    child.onmessage(cb);
    child.counted(cb, 0, 7);
    child.dispatch(cb, 'eighth');
    model.apply(child.facts.slice(-4));
    expect([moved.queued, moved.delivered, moved.countedDelivered]).toEqual([0, 8, 7]);
    expect(model.messages.map((m) => [m.fingerprint, m.state, m.to.context])).toEqual([
      ['fp:eighth', 'delivered', 'child'],
    ]);
    expect(model.stats.unmatched).toEqual({});
    expect(model.stats.inferred).toEqual({});
  });

  it('a context destroyed with counted messages queued drops them, counted by reason, and later counted posts too', () => {
    const { s, top, child, a, cb } = twoContexts();
    top.counted(a, 5, 0);
    top.post(a, 'x');
    child.destroyed('removed');
    top.counted(a, 3, 0);
    const model = createModel();
    model.apply(s.all);
    const pa = portOf(model, 'top', a);
    const pcb = portOf(model, 'child', cb);
    expect(pcb.queued).toBe(0);
    expect([pa.posted, pa.dropped, pa.droppedBy]).toEqual([9, 9, { 'context-destroyed': 9 }]);
    const diagnostic = model.diagnostics().find((d) => d.code === 'message-to-destroyed-context')!;
    expect(diagnostic.count).toBe(9);
    expect(diagnostic.message).toContain('9 messages');
    expect(model.summary().messages).toEqual({ posted: 9, delivered: 0, queued: 0, dropped: 9 });
  });

  it('counted posts on a port whose peer was closed are dropped as closed, with their count', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.close(b);
    top.counted(a, 4, 0);
    const model = createModel();
    model.apply(s.all);
    expect(portOf(model, 'top', a).droppedBy).toEqual({ closed: 4 });
    expect(model.diagnostics().find((d) => d.code === 'post-after-close')!.count).toBe(4);
  });

  it('a port carried by a message behind a counted run: the receipt is not paired with the run', () => {
    const { s, top, child, a, cb } = twoContexts();
    top.counted(a, 1, 0);
    const model = createModel();
    model.apply(s.all);
    // A received port whose carrying message is, per the queue, a counted one (no ports): inferred, counted.
    child.emit('port-received', { port: 99, carrier: 'port', viaPort: cb, fingerprint: 'fp:x', index: 0, count: 1 });
    model.apply(child.facts.slice(-1));
    expect(model.stats.unmatched).toEqual({ 'transfer-index': 1 });
  });

  it('trace export then import reproduces the same summary', () => {
    const { top, child, a, cb } = twoContexts();
    top.counted(a, 10, 0);
    child.counted(cb, 0, 4);
    child.dispatch(cb, 'recorded-dispatch');
    top.post(a, 'recorded-post');
    child.counted(cb, 3, 0);
    const model = createModel();
    inBatches(model, byContext(child, top), 3);
    const before = model.summary();
    // cb: 10 counted − 4 counted dispatches − 1 recorded dispatch = 5 counted, then the recorded post; a: 3 counted.
    expect(before.counted).toEqual({ posted: 13, delivered: 4, queued: 8 });
    expect(before.messages).toEqual({ posted: 14, delivered: 5, queued: 9, dropped: 0 });
    const trace = createTrace({
      meta: {
        browser: 'test',
        url: 'https://app.test/',
        startedAt: '2025-01-01T00:00:00Z',
        portscopeVersion: 'test',
        dropped: {},
        evicted: { messages: 0, facts: 0 },
      },
      facts: model.factLog(),
    });
    const replayed = createModel();
    replayed.apply(traceFacts(parseTrace(serializeTrace(trace))));
    expect(replayed.summary()).toEqual(before);
    // Records are made in apply order, which batching changes; what they say does not.
    const records = (m: ChannelModel) =>
      m.messages.map((r) => [r.fingerprint, r.state, r.counted, r.preview?.t]).sort();
    expect(records(replayed)).toEqual(records(model));
    expect(records(model)).toEqual([
      ['fp:recorded-dispatch', 'delivered', true, 'string'],
      ['fp:recorded-post', 'queued', undefined, 'string'],
    ]);
  });
});
