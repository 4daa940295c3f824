/**
 * The model's inference rules (docs/model-inference.md), each against the counter-example a
 * real library produced: where two readings fit, the model says "unknown" and no diagnostic
 * fires on the guess.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { byContext, Stream } from './facts.ts';

describe('inference: a port coming out of an unobserved worker', () => {
  /**
   * comlink's shape: a callback channel whose port2 goes into the worker and is used there
   * (its peer receives calls, then is closed by the release), then the worker hands back a
   * port of a channel it made itself (`createEndpoint`), and the page posts on it.
   */
  function comlinkShape() {
    const s = new Stream();
    const top = s.context('top');
    const worker = top.worker('https://app.test/w.js');
    const [callback, shipped] = top.channel();
    top.addListener(callback);
    top.start(callback);
    top.carrierPost('worker', `worker:${worker}`, 'call with callback', [shipped]);
    top.dispatch(callback, 'apply 1');
    top.post(callback, 'reply 1');
    top.dispatch(callback, 'release');
    top.post(callback, 'release ack');
    top.close(callback);
    const [endpoint] = top.carrierReceive('worker', `worker:${worker}`, 'endpoint', 1);
    top.addListener(endpoint);
    top.start(endpoint);
    top.post(endpoint, 'add');
    top.dispatch(endpoint, 'add result');
    top.post(endpoint, 'release');
    return s;
  }

  it('is a port of a new channel whose other end is in the worker, not the port that went in', () => {
    const model = createModel();
    model.apply(comlinkShape().all);
    model.settle();
    const summary = model.summary();
    expect(summary.channels).toBe(2);
    expect(summary.diagnostics).toEqual([]);
    // 4 posts here, and 3 inferred from their dispatch here; nothing into the worker can be seen delivered.
    expect(summary.messages).toEqual({ posted: 7, delivered: 3, queued: 0, dropped: 0 });
    const back = summary.ports.find((p) => p.context === 'top' && p.channel === 'c2')!;
    expect(back).toMatchObject({ posted: 2, delivered: 1, dropped: 0, closed: false, shipped: true });
    // The origin of the returned port is marked as inferred: its channel was not seen being made.
    const node = model.ports.get(back.id)!;
    expect(node.partiallyObserved).toBe(true);
    expect(model.ports.get(node.entangled!)!.context).toBe('top/worker1');
  });
});

describe('inference: an untouched port into an unobserved worker, and one coming out', () => {
  it('is taken for the same port (a forward), marked ambiguous: no diagnostic rests on it', () => {
    const s = new Stream();
    const top = s.context('top');
    const worker = top.worker('https://app.test/w.js');
    const [kept, shipped] = top.channel();
    top.carrierPost('worker', `worker:${worker}`, 'forward this', [shipped]);
    const [back] = top.carrierReceive('worker', `worker:${worker}`, 'here it is', 1);
    // Had the worker made a new channel instead, this close would not concern the port that came back.
    top.close(kept);
    top.post(back, 'hello');
    const model = createModel();
    model.apply(s.all);
    model.settle();
    const summary = model.summary();
    expect(summary.channels).toBe(1);
    expect(
      model.transfers.filter((t) => t.kind === 'port').map((t) => [t.from, t.to, t.inferred, t.ambiguous ?? false]),
    ).toEqual([
      ['top', 'top/worker1', false, false],
      ['top/worker1', 'top', true, true],
    ]);
    expect(summary.diagnostics).toEqual([]);
  });
});

describe('inference: a port shipped without a fact (the options form of window.postMessage)', () => {
  /**
   * penpal 7's shape: the child makes a channel, keeps port1 and hands port2 to its parent with
   * `postMessage(msg, { targetOrigin, transfer })`, which the runtime passes through untraced;
   * then six calls each way. Frames' clocks drift, so the parent's facts may carry earlier
   * times than the child's dispatches they caused.
   */
  function penpalShape() {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]', parent: 'top' });
    const [mine] = child.channel();
    child.addListener(mine);
    child.start(mine);
    const [received] = top.carrierReceive('window', 'top.frames[0]', 'ack', 1, { sourcePath: 'top.frames[0]' });
    top.addListener(received);
    top.start(received);
    for (let i = 0; i < 6; i++) {
      top.post(received, `call ${i}`);
      child.dispatch(mine, `call ${i}`);
      child.post(mine, `reply ${i}`);
      top.dispatch(received, `reply ${i}`);
    }
    // The child's clock runs 30 ms behind the parent's (as measured in Firefox ESR).
    for (const fact of child.facts) (fact as { time: number }).time -= 30;
    return { s, top, child };
  }

  for (const order of ['as emitted', 'parent first', 'child first'] as const) {
    it(`is the port the child waits on a message for (${order})`, () => {
      const { s, top, child } = penpalShape();
      const model = createModel();
      model.apply(
        order === 'as emitted' ? s.all : order === 'parent first' ? byContext(top, child) : byContext(child, top),
      );
      model.settle();
      const summary = model.summary();
      expect(summary.channels).toBe(1);
      expect(summary.messages).toEqual({ posted: 12, delivered: 12, queued: 0, dropped: 0 });
      expect(summary.diagnostics).toEqual([]);
      expect(summary.transfers).toEqual([{ port: 'p2', from: 'child', to: 'top' }]);
    });
  }
});

describe('inference: several ports fit (a cross-origin sender ships without a fact)', () => {
  it('takes the most likely port, marks the transfer ambiguous, and fires no diagnostic on it', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]', parent: 'top' });
    // Two fresh channels, none of their ports used yet: any of the four could be the one sent.
    top.channel();
    const [c] = top.channel();
    const [received] = child.carrierReceive('window', 'top', 'connect', 1, { sourcePath: 'top' });
    // The page closes c; had the child got c's peer, its post would be dropped.
    top.close(c);
    child.post(received, 'hello');
    const model = createModel();
    model.apply(byContext(top, child));
    model.settle();
    const summary = model.summary();
    const edge = model.transfers.find((t) => t.kind === 'port')!;
    expect(edge).toMatchObject({ from: 'top', to: 'child', inferred: true, ambiguous: true });
    expect(summary.diagnostics).toEqual([]);
    expect(model.stats.inferred['withheld-diagnostic']).toBe(1);
  });
});
