/**
 * `carriers-counted` in the model (panel/model/carrierCounts.ts): worker and window carrier
 * messages without ports counted while nobody watched the tab add to the counted totals and the
 * summary, never to the carrier records, and change no diagnostic.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

/** A page with a dedicated worker (instrumented inside) that it gives a port to, then plain traffic both ways. */
function page(plain: 'recorded' | 'counted') {
  const s = new Stream();
  const top = s.context('top');
  const w = top.worker('https://app.test/w.js', 'w');
  const worker = s.context('w', 'worker', { parent: 'top', url: 'https://app.test/w.js' });
  const [a, b] = top.channel();
  top.onmessage(a);
  // The port always travels in a recorded carrier message, counted or not.
  top.carrierPost('worker', `worker:${w}`, 'init', [b]);
  const [there] = worker.carrierReceive('worker', 'parent', 'init', 1);
  worker.onmessage(there);
  if (plain === 'recorded') {
    for (let i = 0; i < 3; i++) {
      top.carrierPost('worker', `worker:${w}`, `job ${i}`, []);
      worker.carrierReceive('worker', 'parent', `job ${i}`, 0);
    }
    worker.carrierPost('worker', 'parent', 'done', []);
    top.carrierReceive('worker', `worker:${w}`, 'done', 0);
  } else {
    top.emit('carriers-counted', { carrier: 'worker', posted: 3, received: 1 });
    worker.emit('carriers-counted', { carrier: 'worker', posted: 1, received: 3 });
  }
  // A mistake the diagnostics must report either way: a listener added, the port never started.
  const [c, d] = top.channel();
  top.addListener(c);
  top.post(d, 'lost');
  return s;
}

describe('carriers-counted', () => {
  it('adds to the counted carrier totals and the summary, not to the carrier records', () => {
    const model = createModel();
    model.apply(page('counted').all);
    const totals = model.totals();
    expect(totals.countedCarriers).toEqual({ posted: 4, received: 4 });
    // Only the recorded carrier message that carried the port is a record.
    expect(totals.carriers).toBe(1);
    expect(model.carriers).toHaveLength(1);
    const summary = model.summary();
    expect(summary.countedCarriers).toEqual({ posted: 4, received: 4 });
    expect(summary.carriers).toBe(1);
    // Port messages were not counted: their counted totals stay empty.
    expect(summary.counted).toBeUndefined();
  });

  it('leaves the summary without countedCarriers when nothing was counted', () => {
    const model = createModel();
    model.apply(page('recorded').all);
    expect(model.totals().countedCarriers).toEqual({ posted: 0, received: 0 });
    expect(model.summary().countedCarriers).toBeUndefined();
  });

  it('changes no diagnostic, port or transfer: the same as when every carrier message was recorded', () => {
    const recorded = createModel();
    recorded.apply(page('recorded').all);
    const counted = createModel();
    counted.apply(page('counted').all);
    const view = (m: ReturnType<typeof createModel>) => {
      const s = m.summary();
      return { diagnostics: s.diagnostics, ports: s.ports, transfers: s.transfers, messages: s.messages };
    };
    expect(view(counted)).toEqual(view(recorded));
    expect(counted.diagnostics().map((d) => d.code)).toEqual(['port-never-started']);
  });

  it('stops waiting for the receipt of recorded posts whose arrival was counted (never "never received")', () => {
    // The page recorded its posts (a panel watched it) while the worker only counted their
    // arrival; past the bound of waiting carrier messages, one still waiting would be forgotten
    // and counted as never received.
    const s = new Stream();
    const top = s.context('top');
    const w = top.worker('https://app.test/w.js', 'w');
    const worker = s.context('w', 'worker', { parent: 'top', url: 'https://app.test/w.js' });
    for (let i = 0; i < 1_000; i++) top.carrierPost('worker', `worker:${w}`, 'ping', []);
    worker.emit('carriers-counted', { carrier: 'worker', posted: 0, received: 1_000 });
    top.carrierPost('worker', `worker:${w}`, 'ping', []);
    worker.carrierReceive('worker', 'parent', 'ping', 0);
    const model = createModel();
    model.apply(s.all);
    expect(model.stats.unmatched['carrier-never-received'] ?? 0).toBe(0);
    // The recorded arrival pairs with the recorded post it belongs to, the last one.
    const last = model.carriers[model.carriers.length - 1];
    expect(last.to).toBe('w');
    expect(model.carriers).toHaveLength(1_001);
  });

  it('settles only arrivals that could have landed in the counting context', () => {
    const s = new Stream();
    const top = s.context('top');
    const w1 = top.worker('https://app.test/a.js', 'w1');
    top.worker('https://app.test/b.js', 'w2');
    s.context('w1', 'worker', { parent: 'top', url: 'https://app.test/a.js' });
    const second = s.context('w2', 'worker', { parent: 'top', url: 'https://app.test/b.js' });
    for (let i = 0; i < 1_000; i++) top.carrierPost('worker', `worker:${w1}`, 'ping', []);
    // The second worker counted one arrival: none of the first worker's posts stop waiting, so
    // the next one passes the bound and the oldest is forgotten, counted as never received.
    second.emit('carriers-counted', { carrier: 'worker', posted: 0, received: 1 });
    top.carrierPost('worker', `worker:${w1}`, 'ping', []);
    const model = createModel();
    model.apply(s.all);
    expect(model.stats.unmatched['carrier-never-received']).toBe(1);
  });
});
