// Waits across contexts whose clocks disagree: aligned by causal order (a message is dispatched
// after it was posted), never negative, and marked approximate.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

/** Top and its iframe, with a port of one channel each (the tests set each fact's time). */
function skewed() {
  const s = new Stream();
  const top = s.context('top');
  const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
  const [a, b] = top.channel();
  const cb = top.handToFrame(child, b);
  top.onmessage(a);
  child.onmessage(cb);
  s.tick(10);
  const at = (ms: number) => {
    s.time = ms;
  };
  return { s, top, child, a, cb, at };
}

describe('message waits across contexts', () => {
  it('is never negative when the receiver clock reads behind the sender clock', () => {
    const { s, top, child, a, cb, at } = skewed();
    at(2000);
    top.post(a, 'ping'); // stamped at 2001 by the top's clock
    at(2001.5 - 2 - 1); // dispatched 0.5 ms later, by a clock 2 ms behind: reads 2000.5 − 2
    child.dispatch(cb, 'ping');
    const model = createModel();
    model.apply(s.all);
    const [m] = model.messages;
    expect((m.dispatchedAt ?? 0) - m.postedAt).toBeCloseTo(-1.5); // what the panel showed as "waited -1.5 ms"
    const wait = model.wait(m);
    expect(wait?.approximate).toBe(true);
    expect(wait?.ms).toBeGreaterThanOrEqual(0);
  });

  it('aligns the two clocks by the messages both ways: a round trip keeps its true length', () => {
    const { s, top, child, a, cb, at } = skewed();
    // True times: ping posted 2001, dispatched 2001.5; pong posted 2002, dispatched 2002.6.
    at(2000);
    top.post(a, 'ping'); // top clock: 2001
    at(2001.5 - 2 - 1);
    child.dispatch(cb, 'ping'); // child clock: 1999.5
    at(2002 - 2 - 1);
    child.post(cb, 'pong'); // child clock: 2000
    at(2002.6 - 1);
    top.dispatch(a, 'pong'); // top clock: 2002.6
    const model = createModel();
    model.apply(s.all);
    const [ping, pong] = model.messages.map((m) => model.wait(m));
    expect(ping?.ms).toBeGreaterThanOrEqual(0);
    expect(pong?.ms).toBeGreaterThanOrEqual(0);
    expect((ping?.ms ?? 0) + (pong?.ms ?? 0)).toBeCloseTo(1.1); // 0.5 + 0.6: one clock measures a round trip
    expect([ping?.approximate, pong?.approximate]).toEqual([true, true]);
  });

  it('leaves clocks that never contradict causal order as they are', () => {
    const { s, top, child, a, cb, at } = skewed();
    at(3000);
    top.post(a, 'ping');
    at(3003);
    child.dispatch(cb, 'ping');
    at(3010);
    child.post(cb, 'pong');
    at(3012);
    top.dispatch(a, 'pong');
    const model = createModel();
    model.apply(s.all);
    expect(model.messages.map((m) => model.wait(m)?.ms)).toEqual([3, 2]);
  });

  it('is exact within one context, and unknown for a post inferred at its dispatch', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    top.post(a, 'x');
    s.tick(4);
    top.dispatch(b, 'x');
    const worker = top.worker('https://app.test/w.js');
    const [c, d] = top.channel();
    top.onmessage(c);
    top.carrierPost('worker', String(worker), 'port for you', [d]);
    top.dispatch(c, 'from the worker'); // its post is not observed
    const model = createModel();
    model.apply(s.all);
    const [x, inferred] = model.messages;
    expect(model.wait(x)).toEqual({ ms: 5, approximate: false });
    expect(inferred.postObserved).toBe(false);
    expect(model.wait(inferred)).toBeUndefined();
  });
});
