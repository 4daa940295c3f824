// queue-growing says a port message queue keeps growing: not a burst that its consumer drains,
// and never a second diagnostic beside port-never-started for the same port.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

const growing = (model: ReturnType<typeof createModel>) =>
  model.diagnostics().filter((d) => d.code === 'queue-growing');

describe('queue-growing', () => {
  it('does not fire on bursts of 150 that a started consumer keeps up with', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    const model = createModel();
    model.apply(s.all);
    for (let burst = 0; burst < 3; burst++) {
      const from = s.all.length;
      for (let i = 0; i < 150; i++) top.post(a, `m${burst}-${i}`);
      model.apply(s.all.slice(from));
      // Read in the middle of a burst, as a live panel does: nothing proves the queue keeps growing.
      expect(growing(model)).toEqual([]);
      const posted = s.all.length;
      for (let i = 0; i < 150; i++) top.dispatch(b, `m${burst}-${i}`);
      model.apply(s.all.slice(posted));
      s.tick(2000);
    }
    expect(growing(model)).toEqual([]);
    expect(model.totals().messages).toMatchObject({ posted: 450, delivered: 450, queued: 0 });
  });

  it('does not fire while a slow consumer drains a backlog (the queue shrinks)', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    for (let i = 0; i < 400; i++) top.post(a, `m${i}`);
    for (let i = 0; i < 250; i++) {
      top.dispatch(b, `m${i}`);
      s.tick(10); // one message every ~11 ms: 150 still wait after 2.7 s
    }
    const model = createModel();
    model.apply(s.all);
    expect(model.totals().messages.queued).toBe(150);
    expect(growing(model)).toEqual([]);
  });

  it('fires when a started consumer falls further behind for more than a second', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    let sent = 0;
    let read = 0;
    for (let round = 0; round < 150; round++) {
      for (let k = 0; k < 3; k++) top.post(a, `m${sent++}`);
      top.dispatch(b, `m${read++}`);
      s.tick(10);
    }
    const model = createModel();
    model.apply(s.all);
    expect(model.totals().messages.queued).toBe(300);
    const [d] = growing(model);
    expect(d).toMatchObject({ port: 'p2', context: 'top', count: 1 });
    expect(d.message).toBe('port p2 in window /top.html has 300 messages waiting (peak 301, threshold 100)');
  });

  it('goes away once the queue is drained', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    for (let i = 0; i < 200; i++) {
      top.post(a, `m${i}`);
      s.tick(10);
    }
    const model = createModel();
    model.apply(s.all);
    expect(growing(model)).toHaveLength(1);
    const from = s.all.length;
    top.start(b);
    for (let i = 0; i < 200; i++) top.dispatch(b, `m${i}`);
    model.apply(s.all.slice(from));
    expect(growing(model)).toEqual([]);
  });

  it('is not raised beside port-never-started for the same port', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.addListener(b); // a listener, never started: port-never-started says it all
    for (let i = 0; i < 300; i++) {
      top.post(a, `m${i}`);
      s.tick(10);
    }
    const model = createModel();
    model.apply(s.all);
    expect(model.diagnostics().map((d) => [d.code, d.port])).toEqual([['port-never-started', 'p2']]);
  });
});
