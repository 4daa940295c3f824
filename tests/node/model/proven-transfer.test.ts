// A port sent by an instrumented window into an instrumented cross-origin iframe: the sender's
// window.postMessage leaves no fact, so the transfer is inferred at first; once the port
// dispatches there a message posted on its peer, the transfer is proven, not inferred, and the
// port is no longer partially observed on that account.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

function crossOrigin() {
  const s = new Stream();
  const top = s.context('top');
  const child = s.context('child', 'iframe', { framePath: 'top.frames[0]', parent: 'top' });
  const [a, b] = top.channel();
  top.onmessage(a);
  // No carrier-posted, no port-shipped in top: a cross-origin window.postMessage is not seen.
  const [cb] = child.carrierReceive('window', 'top', 'connect', 1, { sourcePath: 'top' });
  child.onmessage(cb);
  return { s, top, child, a, b, cb };
}

const portEdges = (model: ReturnType<typeof createModel>) => model.transfers.filter((t) => t.kind === 'port');

describe('a transfer seen only where it arrived', () => {
  it('is proven by a message its peer posted and it dispatched', () => {
    const { s, top, child, a, cb } = crossOrigin();
    top.post(a, 'hello');
    child.dispatch(cb, 'hello');
    const model = createModel();
    model.apply(s.all);
    model.settle();
    expect(portEdges(model)).toMatchObject([{ port: 'p2', from: 'top', to: 'child', inferred: false, provenBy: 'm1' }]);
    expect(model.ports.get('p2')?.partiallyObserved).toBe(false);
    expect(model.stats.inferred).toEqual({});
  });

  it('is proven by a reply too: the peer dispatches what the arrived port posted', () => {
    const { s, top, child, a, cb } = crossOrigin();
    child.post(cb, 'ready');
    top.dispatch(a, 'ready');
    const model = createModel();
    model.apply(s.all);
    model.settle();
    expect(portEdges(model)).toMatchObject([{ port: 'p2', inferred: false, provenBy: 'm1' }]);
    expect(model.ports.get('p2')?.partiallyObserved).toBe(false);
  });

  it('stays inferred while nothing proves it', () => {
    const { s } = crossOrigin();
    const model = createModel();
    model.apply(s.all);
    model.settle();
    expect(portEdges(model)).toMatchObject([{ port: 'p2', from: 'top', to: 'child', inferred: true }]);
    expect(portEdges(model)[0].provenBy).toBeUndefined();
    expect(model.ports.get('p2')?.partiallyObserved).toBe(true);
    expect(model.stats.inferred).toEqual({ transfer: 1 });
  });

  it('stays inferred when several ports fitted (ambiguous): the pairing itself rests on the guess', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]', parent: 'top' });
    const [x1] = top.channel();
    const [y1] = top.channel();
    const [received] = child.carrierReceive('window', 'top', 'connect', 1, { sourcePath: 'top' });
    child.onmessage(received);
    top.post(y1, 'hi'); // y1 is now used; but at the receipt four ports fitted
    child.dispatch(received, 'hi');
    const model = createModel();
    model.apply(s.all);
    model.settle();
    expect(portEdges(model)).toMatchObject([{ inferred: true, ambiguous: true }]);
    void x1;
  });
});
