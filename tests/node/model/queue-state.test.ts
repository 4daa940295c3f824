// What the model exposes so that views and exporters only display: each port's queue state,
// each queue's depth over time, and the totals.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

function idOf(model: ReturnType<typeof createModel>, ctx: string, local: number): string {
  const port = [...model.ports.values()].find((p) => p.holders.some((h) => h.context === ctx && h.localId === local));
  if (!port) throw new Error(`no port ${ctx}#${local}`);
  return port.id;
}

describe('queue state', () => {
  it('is enabled, not-started, unknown or closed, as the spec rules say', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    const [c, d] = top.channel();
    const [e] = top.channel();
    top.start(a);
    top.addListener(b); // addEventListener alone does not enable the queue
    top.onmessage(c);
    top.close(e);
    const worker = top.worker('https://app.test/w.js'); // no runtime inside: seen from outside
    top.carrierPost('worker', String(worker), 'port for you', [d]);
    const model = createModel();
    model.apply(s.all);
    const state = (local: number) => model.queueState(idOf(model, 'top', local));
    expect([state(a), state(b), state(c), state(d), state(e)]).toEqual([
      'enabled',
      'not-started',
      'enabled',
      'unknown',
      'closed',
    ]);
    expect(model.queueState('p999')).toBeUndefined();
  });

  it('follows the holder: a port that arrives in a new context starts not-started there', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    top.start(b);
    const cb = top.handToFrame(child, b);
    const model = createModel();
    model.apply(s.all);
    expect(model.queueState(idOf(model, 'child', cb))).toBe('not-started');
    child.start(cb);
    model.apply(child.facts.slice(-1));
    expect(model.queueState(idOf(model, 'child', cb))).toBe('enabled');
    expect(model.queueState(idOf(model, 'top', a))).toBe('not-started');
  });
});

describe('queue depth over time', () => {
  it('records each change with its time and the depth after it', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.post(a, 'one');
    const t1 = s.time;
    top.post(a, 'two');
    const t2 = s.time;
    top.start(b);
    top.dispatch(b, 'one');
    const t3 = s.time;
    top.counted(a, 3, 0);
    const t4 = s.time;
    top.counted(b, 0, 4);
    const t5 = s.time;
    const model = createModel();
    model.apply(s.all);
    const pb = idOf(model, 'top', b);
    expect(model.queueDepth(pb)).toEqual({
      changes: [
        { time: t1, depth: 1 },
        { time: t2, depth: 2 },
        { time: t3, depth: 1 },
        { time: t4, depth: 4 },
        { time: t5, depth: 0 },
      ],
      cut: 0,
      late: 0,
    });
    expect(model.queueDepth(idOf(model, 'top', a))).toEqual({ changes: [], cut: 0, late: 0 });
  });

  it('never runs back in time: a change with an earlier clock goes at the latest time, and is counted', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    child.onmessage(cb);
    s.tick(5);
    top.post(a, 'first');
    const first = s.time;
    top.post(a, 'second');
    s.time -= 3; // the child's clock reads 3 ms behind the top's
    child.dispatch(cb, 'first');
    const model = createModel();
    model.apply(s.all);
    // The dispatch (applied after both posts) is placed at the second post's time: one step, 1 → 2 → 1 is 1.
    expect(model.queueDepth(idOf(model, 'child', cb))).toEqual({
      changes: [{ time: first, depth: 1 }],
      cut: 0,
      late: 1,
    });
  });

  it('is bounded per port: the oldest changes are cut, and counted in the series and the totals', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    for (let i = 0; i < 25; i++) top.post(a, `m${i}`);
    const model = createModel({ queueSeriesCap: 10 });
    model.apply(s.all);
    const depth = model.queueDepth(idOf(model, 'top', b));
    expect(depth?.changes.map((c) => c.depth)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(depth?.cut).toBe(15);
    expect(model.totals().cutQueueChanges).toBe(15);
  });
});

describe('totals', () => {
  it('are what the status bar and the summary show, evicted channels included', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.post(a, 'queued');
    top.counted(a, 2, 0);
    const [c, d] = top.channel();
    top.start(d);
    top.post(c, 'x');
    top.dispatch(d, 'x');
    top.close(c);
    top.post(c, 'after close');
    for (let i = 0; i < 3; i++) {
      const [e, f] = top.channel();
      top.close(e);
      void f;
    }
    const model = createModel({ channelCap: 2 });
    model.apply(s.all);
    const totals = model.totals();
    expect(totals.messages).toEqual({ posted: 5, delivered: 1, queued: 3, dropped: 1, unobserved: 0 });
    expect(totals.counted).toEqual({ posted: 2, delivered: 0, queued: 2 });
    expect(totals.channels).toBe(5);
    expect(totals.ports).toBe(10);
    expect(totals.channels).toBe(model.channels.size + model.stats.evictedChannels);
    const summary = model.summary();
    expect(summary.messages).toEqual({ posted: 5, delivered: 1, queued: 3, dropped: 1 });
    expect(summary.counted).toEqual(totals.counted);
    void b;
  });
});
