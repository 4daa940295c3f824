// A fact that names an evicted context in another field than its own `ctx` (a worker-created
// whose childCtx is an evicted context: a replay or a forged id) must not draw that context again.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

describe('an evicted context named by a later fact', () => {
  it('is counted and not recreated when a live context announces it as its worker', () => {
    const s = new Stream();
    const top = s.context('top', 'window', { framePath: 'top' });
    for (let i = 0; i < 500; i++) {
      const f = s.context(`f${i}`, 'window', { framePath: `top.frames[${i}]`, parent: 'top' });
      const [a] = f.channel();
      f.close(a);
      f.destroyed();
    }
    const model = createModel({ channelCap: 100 });
    model.apply(s.all);
    expect(model.contexts.has('f0')).toBe(false);
    const before = model.contexts.size;
    const start = s.all.length;
    top.worker('https://example.test/w.js', 'f0');
    model.apply(s.all.slice(start));
    expect(model.contexts.has('f0')).toBe(false);
    expect(model.contexts.size).toBe(before);
    expect(model.stats.unmatched).toEqual({ 'evicted-context': 1 });
  });
});
