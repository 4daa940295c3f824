// The contract of export: the panel's fact log, replayed in a fresh model and settled, rebuilds
// exactly what the panel shows — whatever the batches, pauses and quiet spells were.
// demo-facts.json is a real recording of the demo site (Chromium, the extension's background,
// arrival order): two contexts, and a dispatch that arrives before its post (the pongs).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { createModel } from '../../../panel/model/model.ts';
import type { ChannelModel } from '../../../panel/model/types.ts';
import { createPanelStore, REBUILD_LIMIT } from '../../../panel/store.ts';
import type { Fact } from '../../../protocol/facts.ts';

const demo: Fact[] = JSON.parse(readFileSync(new URL('./demo-facts.json', import.meta.url), 'utf8'));

/** Arrival batches as a relay sends them: runs of one context's facts. */
function relayBatches(facts: readonly Fact[]): Fact[][] {
  const out: Fact[][] = [];
  for (const f of facts) {
    const last = out.at(-1);
    if (last && last[0]!.ctx === f.ctx) last.push(f);
    else out.push([f]);
  }
  return out;
}

function replay(log: readonly Fact[]): ChannelModel {
  const model = createModel();
  model.apply(log);
  model.settle();
  return model;
}

const picture = (model: ChannelModel) => JSON.stringify(model.summary());
const SETTLE_AFTER = 3000;

describe('export rebuilds what the panel shows', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const batches = relayBatches(demo);

  it('the recording has the awkward order this test is about', () => {
    expect(batches.length).toBeGreaterThan(8);
    // Some dispatch reaches the panel before the post it delivers.
    const model = createModel();
    let waited = false;
    for (const b of batches) {
      model.apply(b);
      if (model.stats.waiting > 0) waited = true;
    }
    expect(waited).toBe(true);
  });

  it('for every pause window and every quiet spell', () => {
    let cases = 0;
    for (let from = 0; from < batches.length; from++) {
      for (let to = from + 1; to <= batches.length; to++) {
        for (let quiet = -1; quiet < batches.length; quiet++) {
          const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: SETTLE_AFTER });
          batches.forEach((b, k) => {
            if (k === from) store.getState().setPaused(true);
            if (k === to) store.getState().setPaused(false);
            store.getState().ingest(b);
            // A quiet spell after this batch: the store settles on its own.
            if (k === quiet) vi.advanceTimersByTime(SETTLE_AFTER + 1);
          });
          store.getState().setPaused(false);
          vi.advanceTimersByTime(SETTLE_AFTER + 1);
          const { model } = store.getState();
          expect(model.stats.waiting).toBe(0);
          const label = `pause [${from}, ${to}), quiet after ${quiet}`;
          expect(picture(model), label).toBe(picture(replay(model.factLog())));
          // Nothing was lost to the pause: the panel saw every fact.
          expect(model.factLog(), label).toHaveLength(demo.length);
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
    // Over 500 stores replayed: ~3 s alone, more on a loaded machine; the default 5 s is not a speed bound.
  }, 60_000);

  it('a pause freezes the picture and holds what arrives', () => {
    const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: SETTLE_AFTER });
    store.getState().ingest(batches[0]!);
    const revision = store.getState().model.revision;
    store.getState().setPaused(true);
    for (const b of batches.slice(1)) store.getState().ingest(b);
    vi.advanceTimersByTime(10 * SETTLE_AFTER);
    expect(store.getState().model.revision).toBe(revision);
    expect(store.getState().held).toBe(demo.length - batches[0]!.length);
    store.getState().setPaused(false);
    expect(store.getState().held).toBe(0);
    expect(store.getState().model.factLog()).toHaveLength(demo.length);
  });

  it('a pause that would hold too much resumes by itself, and says so', () => {
    const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0 });
    store.getState().setPaused(true);
    const filler: Fact[] = [];
    // Facts of one context, cheap to hold and to apply: listener changes on one port.
    filler.push({
      kind: 'context',
      ctx: 'big',
      seq: 1,
      time: 1,
      contextKind: 'window',
      url: 'http://x/',
      origin: 'http://x',
      framePath: 'top',
      observed: true,
      userAgent: 'test',
    });
    for (let i = 2; i <= 200_001; i++)
      filler.push({
        kind: 'listener-added',
        ctx: 'big',
        seq: i,
        time: i,
        port: 1,
        type: 'message',
        via: 'addEventListener',
      });
    store.getState().ingest(filler.slice(0, 150_000));
    expect(store.getState().paused).toBe(true);
    store.getState().ingest(filler.slice(150_000));
    expect(store.getState().paused).toBe(false);
    expect(store.getState().notice?.text).toMatch(
      /^Resumed: more arrived while paused than a pause holds \(200,000 facts/,
    );
    expect(store.getState().model.factLog()).toHaveLength(filler.length);
  });

  it('a pause holds at most so many characters of data: large facts resume it long before the fact count', () => {
    const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0 });
    store.getState().setPaused(true);
    const preview = {
      t: 'array' as const,
      len: 200,
      items: Array.from({ length: 200 }, () => ({ t: 'string' as const, v: 'x'.repeat(120), len: 120 })),
    };
    const facts: Fact[] = [
      {
        kind: 'context',
        ctx: 'big',
        seq: 1,
        time: 1,
        contextKind: 'window',
        url: 'http://x/',
        origin: 'http://x',
        framePath: 'top',
        observed: true,
        userAgent: 'test',
      },
    ];
    for (let i = 2; i <= 5_000; i++)
      facts.push({
        kind: 'carrier-posted',
        ctx: 'big',
        seq: i,
        time: i,
        carrierId: i,
        carrier: 'window',
        target: 'top',
        fingerprint: 'f',
        preview,
        bytes: 1,
        transfer: [],
      });
    let batches = 0;
    for (let i = 0; i < facts.length && store.getState().paused; i += 100) {
      store.getState().ingest(facts.slice(i, i + 100));
      batches++;
    }
    // Before: 5,000 such facts (about 150 Mi characters) were all held.
    expect(store.getState().paused).toBe(false);
    expect(batches).toBeLessThan(20);
    expect(store.getState().notice?.text).toMatch(/characters of data\)\.$/);
  });

  it('a log too long to rebuild keeps its early inferences and says so', () => {
    expect(REBUILD_LIMIT).toBeGreaterThan(0);
    const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: SETTLE_AFTER });
    // The pong's dispatch arrives, its post does not (yet): the model waits.
    const split = batches.findIndex((_, k) => {
      const m = createModel();
      m.apply(batches.slice(0, k + 1).flat());
      return m.stats.waiting > 0;
    });
    expect(split).toBeGreaterThan(0);
    const filler: Fact[] = [
      {
        kind: 'context',
        ctx: 'big',
        seq: 1,
        time: 1,
        contextKind: 'window',
        url: 'http://x/',
        origin: 'http://x',
        framePath: 'top',
        observed: true,
        userAgent: 'test',
      },
    ];
    for (let i = 2; i <= REBUILD_LIMIT + 1; i++)
      filler.push({
        kind: 'listener-added',
        ctx: 'big',
        seq: i,
        time: 1,
        port: 1,
        type: 'message',
        via: 'addEventListener',
      });
    store.getState().ingest(filler);
    for (const b of batches.slice(0, split + 1)) store.getState().ingest(b);
    vi.advanceTimersByTime(SETTLE_AFTER + 1);
    expect(store.getState().settledEarly).toBe(false);
    store.getState().ingest(batches[split + 1]!);
    expect(store.getState().settledEarly).toBe(true);
  });
});
