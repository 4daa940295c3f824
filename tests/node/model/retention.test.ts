// Channels and ports are retained up to channelCap: past it, finished channels are evicted,
// counted, and later facts about them are counted, never read as new structure.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';
import { lossParts } from '../../../panel/ui/losses.ts';
import { EMPTY_RELAY_STATUS } from '../../../panel/source/types.ts';

/** `n` request/response channels, each used once and then closed on one side and collected on the other. */
function shortLived(n: number) {
  const s = new Stream();
  const top = s.context('top');
  const ports: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = top.channel();
    top.onmessage(b);
    top.post(a, `q${i}`);
    top.dispatch(b, `q${i}`);
    top.close(a);
    top.collected(b);
    ports.push([a, b]);
  }
  return { s, top, ports };
}

describe('retention of channels and ports', () => {
  it('evicts finished channels past channelCap, counts them, and keeps every total exact', () => {
    const { s } = shortLived(5_000);
    const model = createModel({ channelCap: 100 });
    model.apply(s.all);
    // Before: all 5,000 channels and 10,000 ports stayed.
    expect(model.channels.size).toBeLessThanOrEqual(100 + 64);
    expect(model.ports.size).toBe(2 * model.channels.size);
    expect(model.stats.evictedChannels).toBe(5_000 - model.channels.size);
    expect(model.stats.evictedPorts).toBe(2 * model.stats.evictedChannels);
    expect(model.stats.evictedPortsPosted).toBe(model.stats.evictedChannels);
    expect(model.stats.unmatched).toEqual({});
    const summary = model.summary();
    expect(summary.channels).toBe(5_000);
    expect(summary.messages).toEqual({ posted: 5_000, delivered: 5_000, queued: 0, dropped: 0 });
    expect(summary.diagnostics).toEqual([]);
    // The newest channels are the ones kept.
    expect(model.channels.has('c5000')).toBe(true);
    expect(model.channels.has('c1')).toBe(false);
    expect(lossParts(model, EMPTY_RELAY_STATUS, false)).toContain(
      `${model.stats.evictedChannels.toLocaleString('en-US')} finished channels evicted (closed or collected; still counted)`,
    );
  });

  it('counts a later fact about an evicted port and skips it: no orphan channel, no diagnostic', () => {
    const { s, top, ports } = shortLived(1_000);
    const model = createModel({ channelCap: 100 });
    model.apply(s.all);
    const channels = model.summary().channels;
    const start = s.all.length;
    const [a, b] = ports[0];
    top.post(a, 'after close'); // dropped by the browser: the port is closed
    top.emit('listener-removed', { port: b, type: 'message', via: 'onmessage' });
    top.close(b);
    model.apply(s.all.slice(start));
    expect(model.stats.unmatched).toEqual({ 'evicted-port': 3 });
    expect(model.summary().channels).toBe(channels);
    expect(model.diagnostics()).toEqual([]);
    // A new port after them is read as usual.
    const next = s.all.length;
    const [x, y] = top.channel();
    top.post(x, 'fresh');
    model.apply(s.all.slice(next));
    expect(model.ports.get(model.channels.get(`c${channels + 1}`)!.ports[1])!.queued).toBe(1);
    expect(y).toBeGreaterThan(x);
  });

  it('never evicts a channel that can still change: an open port, a waiting queue, a port in transit', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    for (let i = 0; i < 300; i++) {
      const [a, b] = top.channel();
      top.post(a, `waits${i}`); // its peer was never started: the message waits there
      top.close(b); // both ends closed: only the waiting message keeps the channel
      top.close(a);
    }
    for (let i = 0; i < 300; i++) {
      const [a] = top.channel();
      top.close(a); // closed, but its peer is still open in this context
    }
    const [, moving] = top.channel();
    top.carrierPost('window', 'top.frames[0]', 'take', [moving]); // received below, after the flood
    const model = createModel({ channelCap: 100 });
    model.apply(s.all);
    expect(model.stats.evictedChannels).toBe(0);
    expect(model.channels.size).toBe(601);
    expect(model.summary().messages.queued).toBe(300);
    child.carrierReceive('window', 'top', 'take', 1, { sourcePath: 'top' });
    const later = s.all.length - 2;
    model.apply(s.all.slice(later));
    expect(model.stats.unmatched).toEqual({});
    expect(model.transfers.filter((t) => t.kind === 'port')).toMatchObject([{ from: 'top', to: 'child' }]);
  });
});
