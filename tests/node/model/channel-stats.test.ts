// Per-channel traffic for the noise control: messages, rate, bytes, mean/max wait, peak queue.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import type { ChannelStats } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

describe('channel stats', () => {
  it('counts messages both ways, their rate, bytes, waits and the deepest queue', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    const [c] = top.channel();
    top.onmessage(a);
    top.onmessage(b);
    s.time = 2000;
    top.post(a, 'one'); // 2001
    top.post(a, 'two'); // 2002
    s.time = 2005;
    top.dispatch(b, 'one'); // waited 5 ms
    s.time = 2010;
    top.dispatch(b, 'two'); // waited 9 ms
    top.post(b, 'back'); // 2012
    s.time = 2100;
    top.dispatch(a, 'back'); // waited 89 ms
    top.counted(a, 2, 0); // 2102: counted, no size
    const model = createModel();
    model.apply(s.all);
    const stats = model.channelStats();
    expect(stats.get('c1')).toEqual({
      channel: 'c1',
      messages: 5,
      rate: (5 * 1000) / (2102 - 2001),
      bytes: 'one'.length + 'two'.length + 'back'.length,
      wait: { mean: (5 + 9 + 89) / 3, max: 89, samples: 3, approximate: false },
      peakQueue: 2,
    } satisfies ChannelStats);
    expect(stats.get('c2')).toEqual({ channel: 'c2', messages: 0, rate: null, bytes: 0, wait: null, peakQueue: 0 });
    void c;
  });

  it('stays exact when message records are evicted, and says when waits crossed two clocks', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    child.onmessage(cb);
    for (let i = 0; i < 200; i++) {
      top.post(a, `m${i}`);
      child.dispatch(cb, `m${i}`);
    }
    const model = createModel({ recordCap: 10, messageCap: 5 });
    model.apply(s.all);
    expect(model.messages.length).toBeLessThan(200);
    const stats = model.channelStats().get('c1');
    expect(stats).toMatchObject({ messages: 200, peakQueue: 1 });
    expect(stats?.wait).toEqual({ mean: 1, max: 1, samples: 200, approximate: true });
    expect(stats?.bytes).toBe(Array.from({ length: 200 }, (_, i) => `m${i}`.length).reduce((x, y) => x + y));
  });
});
