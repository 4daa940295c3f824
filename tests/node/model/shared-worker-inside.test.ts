/**
 * A SharedWorker seen from inside (the ctx its documents named, injected/worker-protocol.ts):
 * a document's `SharedWorker.port` and the worker's `connect` port are one channel
 * (panel/model/shared-worker-ends.ts). Where two documents' ports wait at once, which connect
 * is which cannot be told: both are unobserved, nothing is queued or diagnosed.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { Stream } from './facts.ts';

const URL = 'https://app.test/shared.js';
const SHARED = `sharedworker:@${URL}`;

function sharedPort(doc: ReturnType<Stream['context']>): number {
  doc.worker(URL, SHARED, 'sharedworker');
  const port = doc.newPortId();
  doc.emit('port-seen', { port, how: 'sharedworker' });
  return port;
}

describe('SharedWorker.port and the connect port, seen from inside', () => {
  it('are the two ends of one channel: the document posts, the worker receives', () => {
    const s = new Stream();
    const top = s.context('top');
    const port = sharedPort(top);
    top.post(port, 'hello');
    const worker = s.context(SHARED, 'sharedworker', { url: URL });
    const inside = worker.newPortId();
    worker.emit('port-seen', { port: inside, how: 'sharedworker' });
    worker.onmessage(inside);
    worker.dispatch(inside, 'hello');
    worker.post(inside, 'back');
    top.onmessage(port);
    top.dispatch(port, 'back');
    const model = createModel();
    model.apply(s.all);
    const summary = model.summary();
    expect(summary.channels).toBe(1);
    expect(summary.ports.map((p) => [p.context, p.posted, p.delivered, p.queued, p.enabled])).toEqual([
      ['top', 1, 1, 0, true],
      [SHARED, 1, 1, 0, true],
    ]);
    expect([...model.ports.values()].every((p) => !p.partiallyObserved)).toBe(true);
    expect(summary.messages).toEqual({ posted: 2, delivered: 2, queued: 0, dropped: 0 });
    expect(summary.diagnostics).toEqual([]);
  });

  it('two documents waiting at once: unknown, so unobserved, never queued', () => {
    const s = new Stream();
    const a = s.context('a');
    const b = s.context('b', 'iframe', { framePath: 'top.frames[0]' });
    const pa = sharedPort(a);
    const pb = sharedPort(b);
    a.post(pa, 'from a');
    b.post(pb, 'from b');
    const worker = s.context(SHARED, 'sharedworker', { url: URL });
    const first = worker.newPortId();
    worker.emit('port-seen', { port: first, how: 'sharedworker' });
    const model = createModel();
    model.apply(s.all);
    const summary = model.summary();
    expect(summary.messages.queued).toBe(0);
    const docEnds = [...model.ports.values()].filter(
      (p) => p.context === SHARED && p.holders.every((h) => h.localId === 0),
    );
    expect(docEnds).toHaveLength(2);
    expect(docEnds.every((p) => p.partiallyObserved)).toBe(true);
    expect(summary.diagnostics).toEqual([]);
  });
});
