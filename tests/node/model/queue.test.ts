import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream, byContext } from './facts.ts';

function portOf(model: ReturnType<typeof createModel>, ctx: string, local: number) {
  const found = [...model.ports.values()].find(
    (p) => p.holders.some((h) => h.context === ctx && h.localId === local) && p.context === ctx,
  );
  if (!found) throw new Error(`no port ${ctx}#${local}`);
  return found;
}

describe('port message queue', () => {
  it('queues posts at the peer until dispatch, in order, and counts them', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.post(a, 'one');
    top.post(a, 'two');
    const model = createModel();
    model.apply(s.all);
    const pb = portOf(model, 'top', b);
    const pa = portOf(model, 'top', a);
    expect(pa.entangled).toBe(pb.id);
    expect(pb.entangled).toBe(pa.id);
    expect(pb.queued).toBe(2);
    expect(pb.portMessageQueue).toEqual(['m1', 'm2']);
    expect(pb.enabled).toBe(false);
    expect(pa.posted).toBe(2);

    const s2 = top;
    s2.start(b);
    top.dispatch(b, 'one');
    top.dispatch(b, 'two');
    model.apply(top.facts.slice(-3));
    expect(pb.enabled).toBe(true);
    expect(pb.enabledHow).toBe('start');
    expect(pb.queued).toBe(0);
    expect(pb.delivered).toBe(2);
    expect(model.messages.map((m) => [m.id, m.state, m.to.context])).toEqual([
      ['m1', 'delivered', 'top'],
      ['m2', 'delivered', 'top'],
    ]);
    expect(model.stats.unmatched).toEqual({});
  });

  it('reports the age of the oldest queued message', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a] = top.channel();
    top.post(a, 'x');
    const postedAt = s.time;
    top.post(a, 'y');
    const model = createModel();
    model.apply(s.all);
    const waiting = [...model.ports.values()].find((p) => p.queued > 0)!;
    expect(waiting.oldestQueuedAt).toBe(postedAt);
  });

  it('holds a dispatch that arrives before its post and pairs them when the post arrives', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    child.onmessage(cb);
    top.post(a, 'hello');
    child.dispatch(cb, 'hello');
    child.post(cb, 'reply');

    const model = createModel();
    // The child's relay is faster: all its facts first, then the parent's.
    model.apply(child.facts);
    expect(model.stats.waiting).toBeGreaterThan(0);
    model.apply(top.facts);
    expect(model.stats.waiting).toBe(0);
    const received = portOf(model, 'child', cb);
    expect(received.id).toBe('p2'); // the same spec port that was created in top
    expect(received.delivered).toBe(1);
    expect(model.messages.find((m) => m.fingerprint === 'fp:hello')).toMatchObject({
      state: 'delivered',
      from: { context: 'top' },
      to: { context: 'child' },
    });
    expect(model.messages.find((m) => m.fingerprint === 'fp:reply')).toMatchObject({
      state: 'queued',
      to: { port: 'p1' },
    });
    expect(model.transfers.filter((t) => t.kind === 'port')).toMatchObject([
      { port: 'p2', from: 'top', to: 'child', inferred: false },
    ]);
    expect(model.stats.unmatched).toEqual({});
  });

  it('gives the same result whatever the interleaving of contexts', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    top.onmessage(a);
    const cb = top.handToFrame(child, b);
    child.onmessage(cb);
    for (let i = 0; i < 20; i++) {
      top.post(a, `down${i}`);
      child.post(cb, `up${i}`);
    }
    for (let i = 0; i < 20; i++) {
      child.dispatch(cb, `down${i}`);
      top.dispatch(a, `up${i}`);
    }
    const orders = [s.all, byContext(top, child), byContext(child, top)];
    const summaries = orders.map((facts) => {
      const model = createModel();
      // Deliver in small batches, as relays do.
      for (let i = 0; i < facts.length; i += 7) model.apply(facts.slice(i, i + 7));
      expect(model.stats.unmatched).toEqual({});
      return model.summary();
    });
    expect(summaries[1]).toEqual(summaries[0]);
    expect(summaries[2]).toEqual(summaries[0]);
    expect(summaries[0].messages).toEqual({ posted: 40, delivered: 40, queued: 0, dropped: 0 });
  });

  it('drops posts to a closed port with reason closed, and disentangles both ends', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.close(b);
    top.post(a, 'late');
    top.post(b, 'from-closed', { outcome: 'closed' });
    const model = createModel();
    model.apply(s.all);
    const pa = portOf(model, 'top', a);
    const pb = portOf(model, 'top', b);
    expect(pa.entangled).toBeNull();
    expect(pb.entangled).toBeNull();
    expect(pb.closed).toBe(true);
    expect(pa.dropped).toBe(1);
    expect(pa.droppedBy).toEqual({ closed: 1 });
    expect(pb.droppedBy).toEqual({ closed: 1 });
    expect(model.summary().messages).toEqual({ posted: 2, delivered: 0, queued: 0, dropped: 2 });
    expect(model.diagnostics().map((d) => [d.code, d.port])).toEqual([
      ['post-after-close', pa.id],
      ['post-after-close', pb.id],
    ]);
  });

  it('keeps a message posted before the peer closed (in flight), even when the close arrives first', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    top.post(a, 'in-flight');
    child.close(cb);
    const model = createModel();
    model.apply(byContext(child, top));
    const msg = model.messages.find((m) => m.fingerprint === 'fp:in-flight')!;
    expect(msg.state).toBe('queued');
  });

  it('enables once, and onmessage implies start', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a] = top.channel();
    top.onmessage(a);
    top.emit('listener-removed', { port: a, type: 'message', via: 'onmessage' });
    const model = createModel();
    model.apply(s.all);
    const pa = portOf(model, 'top', a);
    expect(pa.enabled).toBe(true);
    expect(pa.enabledHow).toBe('onmessage');
    expect(pa.listeners.onmessage).toBe(false);
  });
});
