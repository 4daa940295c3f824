import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import type { ChannelModel } from '../../../panel/model/index.ts';
import { Stream, byContext } from './facts.ts';

function held(model: ChannelModel, ctx: string, local: number) {
  const found = [...model.ports.values()].find(
    (p) => p.holders.at(-1)?.context === ctx && p.holders.at(-1)?.localId === local,
  );
  if (!found) throw new Error(`no port held as ${ctx}#${local}`);
  return found;
}

describe('transfers', () => {
  it('a port carried in a message on another port is the same spec port, and its queue travels', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel(); // the link top <-> child
    top.carrierPost('window', 'top.frames[0]', 'link', [b]);
    const [cb] = child.carrierReceive('window', 'top', 'link', 1, { sourcePath: 'top' });
    child.onmessage(cb);
    const [x, y] = top.channel(); // a second channel: y will travel over the link
    top.post(x, 'waiting-1'); // queued at y before y moves
    top.post(x, 'waiting-2');
    top.post(a, 'here is y', { transfer: [{ t: 'port', port: y }] });
    const [cy] = child.dispatch(cb, 'here is y', 1);
    top.post(x, 'after-move');
    child.start(cy);
    child.dispatch(cy, 'waiting-1');
    child.dispatch(cy, 'waiting-2');
    child.dispatch(cy, 'after-move');

    for (const facts of [s.all, byContext(child, top)]) {
      const model = createModel();
      model.apply(facts);
      expect(model.stats.unmatched).toEqual({});
      expect(model.stats.waiting).toBe(0);
      const moved = held(model, 'child', cy);
      expect(moved.id).toBe('p4');
      expect(moved.shipped).toBe(true);
      expect(moved.holders.map((h) => [h.context, h.localId])).toEqual([
        ['top', y],
        ['child', cy],
      ]);
      expect(moved.delivered).toBe(3);
      expect(moved.entangled).toBe('p3');
      const edges = model.transfers.filter((t) => t.kind === 'port');
      expect(edges.map((t) => [t.port, t.from, t.to, t.carrier, t.inferred])).toEqual([
        ['p2', 'top', 'child', 'window', false],
        ['p4', 'top', 'child', 'port', false],
      ]);
      const carrying = model.messages.find((m) => m.fingerprint === 'fp:here is y')!;
      expect(carrying.transferredPorts).toEqual(['p4']);
      expect(edges[1].via).toBe(carrying.id);
      expect(model.summary().messages).toEqual({ posted: 4, delivered: 4, queued: 0, dropped: 0 });
      expect(model.summary().carriers).toBe(1);
    }
  });

  it('keeps order across repeated transfers with both ends moving', () => {
    const s = new Stream();
    const top = s.context('top');
    const w = s.context('w', 'worker', { parent: 'top', framePath: 'top/worker[1]' });
    const f = s.context('f', 'iframe', { framePath: 'top.frames[0]' });
    top.worker('w.js', 'w');
    const [x, y] = top.channel();
    top.post(x, 'm1');
    // y goes to the worker, then to the iframe; x keeps posting in between.
    top.carrierPost('worker', '1', 'take y', [y]);
    const [wy] = w.carrierReceive('worker', '', 'take y', 1);
    top.post(x, 'm2');
    w.dispatch; // (the worker does not read: the queue stays disabled)
    const [wa, wb] = w.channel();
    void wa;
    void wb;
    w.carrierPost('worker', '', 'back', [wy]);
    const [ty] = top.carrierReceive('worker', '1', 'back', 1);
    top.post(x, 'm3');
    top.carrierPost('window', 'top.frames[0]', 'to frame', [ty]);
    const [fy] = f.carrierReceive('window', 'top', 'to frame', 1, { sourcePath: 'top' });
    f.onmessage(fy);
    f.dispatch(fy, 'm1');
    f.dispatch(fy, 'm2');
    f.dispatch(fy, 'm3');
    for (const facts of [s.all, byContext(f, w, top), byContext(w, f, top)]) {
      const model = createModel();
      for (let i = 0; i < facts.length; i += 5) model.apply(facts.slice(i, i + 5));
      expect(model.stats.unmatched).toEqual({});
      expect(model.stats.waiting).toBe(0);
      const port = held(model, 'f', fy);
      expect(port.id).toBe('p2');
      expect(port.holders.map((h) => h.context)).toEqual(['top', 'w', 'top', 'f']);
      expect(port.delivered).toBe(3);
      expect(
        model.messages.filter((m) => m.to.port === 'p2').map((m) => [m.fingerprint, m.state, m.to.context]),
      ).toEqual([
        ['fp:m1', 'delivered', 'f'],
        ['fp:m2', 'delivered', 'f'],
        ['fp:m3', 'delivered', 'f'],
      ]);
      expect(model.transfers.filter((t) => t.kind === 'port').map((t) => [t.from, t.to, t.inferred])).toEqual([
        ['top', 'w', false],
        ['w', 'top', false],
        ['top', 'f', false],
      ]);
    }
  });

  it('draws a worker without in-worker instrumentation from outside, partially observed', () => {
    const s = new Stream();
    const top = s.context('top');
    const worker = top.worker('https://app.test/w.js');
    const [a, b] = top.channel();
    top.onmessage(a);
    top.carrierPost('worker', String(worker), 'port for you', [b]);
    top.post(a, 'to worker');
    top.dispatch(a, 'from worker'); // the worker's post is not observed
    const model = createModel();
    model.apply(s.all);
    expect(model.stats.waiting).toBe(0);
    const workerCtx = [...model.contexts.values()].find((c) => c.kind === 'worker')!;
    expect(workerCtx).toMatchObject({ observed: false, parent: 'top', url: 'https://app.test/w.js' });
    const pb = model.ports.get('p2')!;
    expect(pb).toMatchObject({ context: workerCtx.id, partiallyObserved: true, shipped: true });
    expect(model.messages.map((m) => [m.fingerprint, m.state, m.postObserved])).toEqual([
      ['fp:to worker', 'unobserved', true],
      ['fp:from worker', 'delivered', false],
    ]);
    expect(model.transfers.filter((t) => t.kind === 'port')).toMatchObject([
      { from: 'top', to: workerCtx.id, inferred: false },
    ]);
    expect(model.summary().contexts.map((c) => [c.kind, c.observed])).toEqual([
      ['window', true],
      ['worker', false],
    ]);
  });

  it("infers the shipped port when the sender emitted no port-shipped (parent ran the child's postMessage)", () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [old1, old2] = top.channel();
    top.onmessage(old1);
    top.post(old2, 'busy'); // used: not a candidate
    const [a, b] = top.channel();
    top.onmessage(a);
    // No carrier-posted / port-shipped in top; the child sees a window message from 'top'.
    const [cb] = child.carrierReceive('window', 'top', 'init', 1, { sourcePath: 'top' });
    top.post(a, 'hi');
    child.onmessage(cb);
    child.dispatch(cb, 'hi');
    const model = createModel();
    model.apply(s.all.slice(0, -1));
    model.settle();
    expect(model.stats.waiting).toBe(0);
    const port = held(model, 'child', cb);
    expect(port.id).toBe(model.ports.get('p4')!.id);
    expect(port.partiallyObserved).toBe(true);
    expect(model.transfers.filter((t) => t.kind === 'port')).toMatchObject([
      { port: 'p4', from: 'top', to: 'child', inferred: true },
    ]);
    expect(model.stats.inferred).toEqual({ transfer: 1 });
    // Then the child dispatches on it what top posted on its peer: the inference is proven (issue 17).
    model.apply(s.all.slice(-1));
    expect(port.delivered).toBe(1);
    expect(port.partiallyObserved).toBe(false);
    expect(model.transfers.filter((t) => t.kind === 'port')).toMatchObject([
      { port: 'p4', from: 'top', to: 'child', inferred: false, provenBy: 'm2' },
    ]);
    expect(model.stats.inferred).toEqual({});
    void b;
  });

  it('waits for a late sender instead of inferring, then matches what it observed', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [, spare] = top.channel(); // an unused port that a hasty inference would pick
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    const model = createModel();
    model.apply(top.facts.slice(0, 2)); // top announced and created the first channel only
    model.apply(child.facts);
    expect(model.stats.waiting).toBeGreaterThan(0);
    model.apply(top.facts.slice(2));
    expect(model.stats.waiting).toBe(0);
    expect(held(model, 'child', cb).id).toBe('p4');
    expect(model.transfers.filter((t) => t.kind === 'port')).toMatchObject([{ port: 'p4', inferred: false }]);
    void a;
    void spare;
  });

  it('settle() stops waiting and marks what it inferred (sender never reports)', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [cb] = child.carrierReceive('window', 'top', 'init', 1, { sourcePath: 'top' });
    child.onmessage(cb);
    child.dispatch(cb, 'hello');
    const model = createModel();
    model.apply(child.facts); // top's facts never arrive
    expect(model.stats.waiting).toBe(child.facts.length - 1); // all but the context fact
    const summary = model.summary(); // settles
    expect(model.stats.waiting).toBe(0);
    const port = held(model, 'child', cb);
    expect(port.partiallyObserved).toBe(true);
    expect(port.delivered).toBe(1);
    expect(model.transfers.filter((t) => t.kind === 'port')).toMatchObject([{ to: 'child', inferred: true }]);
    expect(summary.messages).toEqual({ posted: 1, delivered: 1, queued: 0, dropped: 0 });
    void top;
  });

  it('stops waiting after correlationGraceMs of fact time', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [cb] = child.carrierReceive('window', 'top', 'init', 1, { sourcePath: 'top' });
    child.onmessage(cb);
    const model = createModel({ correlationGraceMs: 500 });
    model.apply(child.facts);
    expect(model.stats.waiting).toBeGreaterThan(0);
    s.tick(600);
    const [x] = top.channel();
    void x;
    model.apply(top.facts);
    expect(model.stats.waiting).toBe(0);
    expect(held(model, 'child', cb).partiallyObserved).toBe(true);
  });

  it('matches carrier messages with identical data sent to two frames by their target', () => {
    const s = new Stream();
    const top = s.context('top');
    const f1 = s.context('f1', 'iframe', { framePath: 'top.frames[0]' });
    const f2 = s.context('f2', 'iframe', { framePath: 'top.frames[1]' });
    const [, b1] = top.channel();
    const [, b2] = top.channel();
    top.carrierPost('window', 'top.frames[0]', 'connect', [b1]);
    top.carrierPost('window', 'top.frames[1]', 'connect', [b2]);
    const [r2] = f2.carrierReceive('window', 'top', 'connect', 1, { sourcePath: 'top' });
    const [r1] = f1.carrierReceive('window', 'top', 'connect', 1, { sourcePath: 'top' });
    const model = createModel();
    model.apply([...top.facts, ...f2.facts, ...f1.facts]);
    expect(held(model, 'f1', r1).id).toBe('p2');
    expect(held(model, 'f2', r2).id).toBe('p4');
    expect(model.summary().carriers).toBe(2);
  });

  it('moves an ArrayBuffer transfer as an edge between contexts', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a] = top.channel();
    top.post(a, 'bytes', { transfer: [{ t: 'arraybuffer', byteLength: 1024 }] });
    const model = createModel();
    model.apply(s.all);
    expect(model.transfers).toMatchObject([
      { kind: 'arraybuffer', byteLength: 1024, from: 'top', to: 'top', carrier: 'port', via: 'm1' },
    ]);
  });
});

describe('ports seen without their channel', () => {
  it('a SharedWorker port gets a channel whose other end is in the (unobserved) shared worker', () => {
    const s = new Stream();
    const top = s.context('top');
    const port = top.sharedWorkerPort('https://app.test/shared.js');
    top.post(port, 'hello worker');
    top.dispatch(port, 'hello page');
    const model = createModel();
    model.apply(s.all);
    const shared = [...model.contexts.values()].find((c) => c.kind === 'sharedworker')!;
    const [here, there] = [model.ports.get('p1')!, model.ports.get('p2')!];
    expect(here).toMatchObject({ context: 'top', partiallyObserved: true, posted: 1, delivered: 1 });
    expect(there).toMatchObject({ context: shared.id, partiallyObserved: true });
    expect(model.messages.map((m) => [m.state, m.postObserved])).toEqual([
      ['unobserved', true],
      ['delivered', false],
    ]);
    expect(model.stats.waiting).toBe(0);
  });
});
