/**
 * Links the model makes from what real runtimes emit (tests/browser/model-graph.test.ts shows
 * them on real pages): worker carriers named `worker:<id>`, frame parents from frame paths,
 * a port forwarded untouched through a context, a port coming back out of an unobserved worker.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { Stream } from './facts.ts';

describe('graph links', () => {
  it("matches a worker carrier whose target is `worker:<id>` (the runtime's naming)", () => {
    const s = new Stream();
    const top = s.context('top');
    const worker = top.worker('https://app.test/w.js');
    const [a, b] = top.channel();
    top.carrierPost('worker', `worker:${worker}`, 'port for you', [b]);
    top.post(a, 'to worker');
    const model = createModel();
    model.apply(s.all);
    const summary = model.summary();
    expect(summary.transfers).toEqual([{ port: 'p2', from: 'top', to: 'top/worker1' }]);
    // Sent into a worker nobody observes: neither queued nor delivered.
    expect(summary.messages).toEqual({ posted: 1, delivered: 0, queued: 0, dropped: 0 });
    expect(model.messages[0].state).toBe('unobserved');
  });

  it('links frames to their parent by frame path, whichever announces first', () => {
    const s = new Stream();
    s.context('inner', 'iframe', { framePath: 'top.frames[0].frames[1]' });
    s.context('top');
    s.context('middle', 'iframe', { framePath: 'top.frames[0]' });
    s.context('other', 'iframe', { framePath: 'top.frames[1]', parent: 'explicit' });
    const model = createModel();
    model.apply(s.all);
    expect(model.contexts.get('inner')!.parent).toBe('middle');
    expect(model.contexts.get('middle')!.parent).toBe('top');
    expect(model.contexts.get('top')!.parent).toBeUndefined();
    expect(model.contexts.get('other')!.parent).toBe('explicit');
  });

  it('infers a forwarded port: received in the middle frame, then in the inner one, the middle silent about it', () => {
    const s = new Stream();
    const top = s.context('top');
    const middle = s.context('middle', 'iframe', { framePath: 'top.frames[0]' });
    const inner = s.context('inner', 'iframe', { framePath: 'top.frames[0].frames[0]' });
    const [a, b] = top.channel();
    top.carrierPost('window', 'top.frames[0]', 'forward', [b]);
    middle.carrierReceive('window', 'top', 'forward', 1);
    // The middle frame's window.postMessage to its child was not seen (a cross-origin child, say).
    inner.carrierReceive('window', 'top.frames[0]', 'connect', 1);
    top.post(a, 'ping');
    const model = createModel();
    model.apply(s.all);
    model.settle();
    expect(model.channels.size).toBe(1);
    expect(model.ports.get('p2')!.holders.map((h) => h.context)).toEqual(['top', 'middle', 'inner']);
    expect(model.transfers.filter((t) => t.kind === 'port').map((t) => [t.from, t.to, t.inferred])).toEqual([
      ['top', 'middle', false],
      ['middle', 'inner', true],
    ]);
  });
});
