// Contexts are retained up to channelCap: past it, destroyed contexts nothing kept refers to are
// evicted, counted and shown in the loss line; a later fact from one is counted and skipped.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';
import { lossParts } from '../../../panel/ui/losses.ts';
import { EMPTY_RELAY_STATUS } from '../../../panel/source/types.ts';

/** `n` iframes, each announced, used for one closed channel, and removed. */
function shortLivedFrames(n: number) {
  const s = new Stream();
  const top = s.context('top', 'window', { framePath: 'top' });
  const frames = [];
  for (let i = 0; i < n; i++) {
    const f = s.context(`f${i}`, 'window', { framePath: `top.frames[${i}]`, parent: 'top' });
    const [a, b] = f.channel();
    f.onmessage(b);
    f.post(a, 'x');
    f.dispatch(b, 'x');
    f.close(a);
    f.destroyed();
    frames.push(f);
  }
  return { s, top, frames };
}

describe('retention of contexts', () => {
  it('evicts destroyed contexts past channelCap once nothing kept refers to them, and counts them', () => {
    const { s } = shortLivedFrames(2_000);
    const model = createModel({ channelCap: 100 });
    model.apply(s.all);
    // Before: all 2,001 contexts stayed. Now: the cap and its eviction chunk, plus the frames
    // the kept channels (at most the same bound) were made in.
    expect(model.channels.size).toBeLessThanOrEqual(100 + 64);
    expect(model.contexts.size).toBeLessThanOrEqual(2 * (100 + 64));
    expect(model.stats.evictedContexts).toBe(2_001 - model.contexts.size);
    expect(model.stats.evictedContexts).toBeGreaterThan(1_800);
    expect(model.stats.unmatched).toEqual({});
    // The top window (not destroyed) and every context a kept port refers to stay.
    expect(model.contexts.has('top')).toBe(true);
    for (const port of model.ports.values()) {
      expect(model.contexts.has(port.context)).toBe(true);
      for (const h of port.holders) expect(model.contexts.has(h.context)).toBe(true);
    }
    for (const channel of model.channels.values())
      if (channel.createdIn) expect(model.contexts.has(channel.createdIn)).toBe(true);
    expect(model.summary().channels).toBe(2_000);
    expect(lossParts(model, EMPTY_RELAY_STATUS, false)).toContain(
      `${model.stats.evictedContexts.toLocaleString('en-US')} ended contexts evicted (nothing kept refers to them)`,
    );
  });

  it('never evicts a live context, or a destroyed one a kept port still refers to', () => {
    const s = new Stream();
    const live = Array.from({ length: 300 }, (_, i) => s.context(`live${i}`));
    const holding = s.context('holding');
    holding.channel(); // open ports: the channel stays, and so does the context they were in
    holding.destroyed();
    const model = createModel({ channelCap: 100 });
    model.apply(s.all);
    expect(model.stats.evictedContexts).toBe(0);
    expect(model.contexts.size).toBe(live.length + 1);
  });

  it('a later fact from an evicted context is counted and skipped, never drawing it again', () => {
    const { s, frames } = shortLivedFrames(500);
    const model = createModel({ channelCap: 100 });
    model.apply(s.all);
    expect(model.contexts.has('f0')).toBe(false);
    const start = s.all.length;
    frames[0].channel();
    frames[0].emit('context-destroyed', { reason: 'removed' });
    model.apply(s.all.slice(start));
    expect(model.stats.unmatched).toEqual({ 'evicted-context': 2 });
    expect(model.contexts.has('f0')).toBe(false);
    expect(model.summary().channels).toBe(500);
  });
});
