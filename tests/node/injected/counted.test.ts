import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { Emitter, type EmitterOptions } from '../../../injected/emitter.ts';
import { COUNTS_ALONE_MS, countDispatch, countPost, settleAllCounts, settleCounts } from '../../../injected/counted.ts';
import { entangle, newPortRecord, noteSent, postedHere, type PortRecord } from '../../../injected/ids.ts';
import type { Runtime } from '../../../injected/runtime.ts';

/** A runtime with only what counting touches, its emitter wired as install.ts wires it. */
function counting(options: Partial<EmitterOptions> = {}) {
  const batches: Fact[][] = [];
  const arrivals: number[] = [];
  const emitter = new Emitter(
    'c',
    {
      deliver: (facts: Fact[]) => {
        batches.push(facts);
        arrivals.push(performance.now());
      },
    },
    { batchSize: 1_000, flushMs: 10_000, maxBuffered: 1_000, ...options },
  );
  const rt = {
    ctx: 'c',
    emitter,
    config: { captureStacks: false, inWorker: false },
    recordMessages: false,
    counted: undefined,
    countsTimer: false,
  } as unknown as Runtime;
  emitter.beforeTake = () => settleAllCounts(rt);
  const facts = () => batches.flat().map(({ seq: _s, time: _t, ...rest }) => rest);
  return { rt, emitter, batches, arrivals, facts };
}

/** Polls until `ok` (timers of a second or more: no test here depends on how fast they fire). */
async function until(ok: () => boolean, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function channel(): [PortRecord, PortRecord] {
  const a = newPortRecord({});
  const b = newPortRecord({});
  entangle(a, b);
  return [a, b];
}

const counted = (port: number, posted: number, dispatched: number) => ({
  kind: 'messages-counted',
  ctx: 'c',
  port,
  posted,
  dispatched,
});

describe('counting mode: messages-counted facts', () => {
  it('emits nothing per message, then one fact per port at the flush, posted and dispatched together', () => {
    const { rt, emitter, batches, facts } = counting();
    const [a, b] = channel();
    for (let i = 0; i < 3; i++) countPost(rt, a);
    countDispatch(rt, b);
    countDispatch(rt, b);
    countPost(rt, b);
    expect(batches).toHaveLength(0);
    emitter.flush();
    expect(facts()).toEqual([counted(a.id, 3, 0), counted(b.id, 1, 2)]);
    // Reported counts are cleared: a second flush has nothing to say.
    emitter.flush();
    expect(batches).toHaveLength(1);
    // A counted post still numbers the posts on its port, like a recorded one.
    expect(a.posted).toBe(3);
  });

  it('counts alone wait for their own timer, slower than the flush; a batch that leaves anyway carries them', async () => {
    const { rt, emitter, facts } = counting({ flushMs: 5 });
    const [a, b] = channel();
    countPost(rt, a);
    countDispatch(rt, b);
    // Eight of the emitter's flush periods: counts alone are not a reason to flush.
    await new Promise((r) => setTimeout(r, 40));
    expect(facts()).toEqual([]);
    emitter.emit({ kind: 'port-enabled', ctx: 'c', port: b.id, how: 'start' });
    await until(() => facts().length > 0);
    expect(facts()).toEqual([
      { kind: 'port-enabled', ctx: 'c', port: b.id, how: 'start' },
      counted(a.id, 1, 0),
      counted(b.id, 0, 1),
    ]);
  });

  it('counts that leave with a batch start no flush of their own: busy ports report at the counts timer, not every flush', async () => {
    const { rt, emitter, batches, arrivals } = counting({ flushMs: 5 });
    const [a, b] = channel();
    const start = performance.now();
    countPost(rt, a);
    emitter.emit({ kind: 'port-enabled', ctx: 'c', port: b.id, how: 'start' });
    // The ports stay busy: counted every few ms, across many of the emitter's flush periods.
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 8));
      countPost(rt, a);
      countDispatch(rt, b);
    }
    await until(() => batches.length >= 2);
    // The first batch leaves with port-enabled; the next only when the counts timer fires.
    expect(batches[0][0].kind).toBe('port-enabled');
    expect(arrivals[1] - start).toBeGreaterThanOrEqual(COUNTS_ALONE_MS - 5);
  });

  it('starts a timer of its own for counts alone (counting emits nothing that would flush them)', async () => {
    const { rt, batches, facts } = counting({ flushMs: 5 });
    const [a] = channel();
    const start = performance.now();
    countPost(rt, a);
    countPost(rt, a);
    await until(() => facts().length > 0);
    expect(performance.now() - start).toBeGreaterThanOrEqual(COUNTS_ALONE_MS - 5);
    expect(facts()).toEqual([counted(a.id, 2, 0)]);
    // One timer per runtime, whatever is counted while it runs; the next counts start the next one.
    countPost(rt, a);
    await until(() => batches.length === 2);
    expect(facts()).toEqual([counted(a.id, 2, 0), counted(a.id, 1, 0)]);
  });

  it("reports a port's counts right before another fact about it, and leaves other ports' counts for the flush", () => {
    const { rt, emitter, facts } = counting();
    const [a, b] = channel();
    countPost(rt, a);
    countPost(rt, b);
    countPost(rt, a);
    settleCounts(rt, a);
    emitter.emit({ kind: 'port-closed', ctx: 'c', port: a.id });
    countPost(rt, a);
    emitter.flush();
    // At the flush, records go in the order they were first counted since the previous flush.
    expect(facts()).toEqual([
      counted(a.id, 2, 0),
      { kind: 'port-closed', ctx: 'c', port: a.id },
      counted(a.id, 1, 0),
      counted(b.id, 1, 0),
    ]);
  });

  it('settling a port with no counts emits nothing', () => {
    const { rt, emitter, batches } = counting();
    const [a] = channel();
    settleCounts(rt, a);
    emitter.flush();
    expect(batches).toHaveLength(0);
  });

  it('lists each record once between flushes, however often it is settled and counted again', () => {
    const { rt, emitter, facts } = counting();
    const [a] = channel();
    for (let i = 0; i < 50; i++) {
      countPost(rt, a);
      settleCounts(rt, a);
    }
    expect(rt.counted).toBe(a);
    expect(a.countedBefore).toBeUndefined();
    emitter.flush();
    expect(rt.counted).toBeUndefined();
    expect(facts()).toHaveLength(50);
    expect(facts().every((f) => JSON.stringify(f) === JSON.stringify(counted(a.id, 1, 0)))).toBe(true);
  });

  it('reports every count exactly once, in order, when the batch size is reached while settling', () => {
    const { rt, emitter, facts } = counting({ batchSize: 2 });
    const records = Array.from({ length: 5 }, () => newPortRecord({}));
    records.forEach((r, i) => {
      for (let k = 0; k <= i; k++) countDispatch(rt, r);
    });
    emitter.flush();
    expect(facts()).toEqual(records.map((r, i) => counted(r.id, 0, i + 1)));
  });

  it('past the emitter bound the counts fact is dropped and counted, like any fact', () => {
    const { rt, emitter, facts } = counting({ maxBuffered: 1 });
    const [a] = channel();
    emitter.emit({ kind: 'port-closed', ctx: 'c', port: 99 });
    countPost(rt, a);
    emitter.flush();
    expect(facts()).toEqual([
      { kind: 'port-closed', ctx: 'c', port: 99 },
      { kind: 'facts-dropped', ctx: 'c', counts: { 'messages-counted': 1 } },
    ]);
  });
});

/** postedHere for the next `n` events at `r`. */
const next = (r: PortRecord, n: number): boolean[] => Array.from({ length: n }, () => postedHere(r));

describe('counting mode and postedHere (the receiver skipping what the model has)', () => {
  it('describes the counted ranks only: the posts reported after a counted run pair as before', () => {
    const { rt } = counting();
    const [a, b] = channel();
    noteSent(a, true);
    countPost(rt, a);
    countPost(rt, a);
    noteSent(a, true);
    expect(next(b, 4)).toEqual([true, false, false, true]);
  });

  it('one range covers several counted runs: reported posts between them are described too (redundant, never wrong)', () => {
    const { rt } = counting();
    const [a, b] = channel();
    countPost(rt, a);
    noteSent(a, true);
    countPost(rt, a);
    noteSent(a, true);
    expect(next(b, 4)).toEqual([false, false, false, true]);
  });

  it('a counted dispatch takes its rank: the next recorded event pairs with the next post', () => {
    const { rt } = counting();
    const [a, b] = channel();
    noteSent(a, true);
    noteSent(a, true);
    countDispatch(rt, b);
    expect(next(b, 2)).toEqual([true, false]);
  });

  it('a dropped counts fact about posts leaves every later rank described', () => {
    const { rt, emitter } = counting({ maxBuffered: 1 });
    const [a, b] = channel();
    emitter.emit({ kind: 'port-closed', ctx: 'c', port: 99 });
    countPost(rt, a);
    settleCounts(rt, a);
    noteSent(a, true);
    expect(next(b, 2)).toEqual([false, false]);
  });
});
