/**
 * The model's inference rules (docs/model-inference.md), each against the counter-example a
 * real library produced: where two readings fit, the model says "unknown" and no diagnostic
 * fires on the guess.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { Stream } from './facts.ts';

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
