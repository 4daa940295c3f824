// The fact log keeps context announcements that fell out of its window, so an export replays
// with its contexts; only those of contexts the model still keeps, or it would grow without end
// on a page that makes an iframe per task.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

describe('the fact log past its window', () => {
  it('keeps the announcements of kept contexts only, and counts the others as evicted facts', () => {
    const s = new Stream();
    s.context('top', 'window', { framePath: 'top' });
    for (let i = 0; i < 5_000; i++) {
      const f = s.context(`f${i}`, 'window', { framePath: `top.frames[${i}]`, parent: 'top' });
      const [a] = f.channel();
      f.close(a);
      f.destroyed();
    }
    const model = createModel({ channelCap: 100, factLogCap: 1_000 });
    model.apply(s.all);
    const logged = model.factLog();
    const announced = logged.filter((f) => f.kind === 'context');
    // Before: every one of the 5,001 announcements stayed pinned.
    expect(announced.length).toBeLessThan(2 * model.contexts.size + 1_000);
    expect(logged.length).toBeLessThan(3_000);
    expect(announced.some((f) => f.ctx === 'top')).toBe(true);
    expect(model.stats.evictedFacts).toBe(s.all.length - logged.length);
  });
});
