// What the panel's store does per arriving chunk of facts (issue 16, step 4): no work that does
// not change what the panel shows, and the same picture as before.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import type { CreateModel } from '../../../panel/model/types.ts';
import { messageRows } from '../../../panel/messageRows.ts';
import { searchIndexOf } from '../../../panel/searchText.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { syntheticFacts } from './syntheticFacts.ts';

const chunks = (messages: number, batch = 100) => [...syntheticFacts({ messages, batch })];

describe('the store per arriving chunk', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('arms one quiet-spell timer for a stream of chunks, and settles settleAfter after the last one', () => {
    const settles: number[] = [];
    // The model as the store sees it, always waiting for a fact, so a quiet spell settles it.
    const waiting: CreateModel = (options) => {
      const model = createModel(options);
      return Object.create(model, {
        stats: { get: () => ({ ...model.stats, waiting: 1 }) },
        settle: { value: () => settles.push(Date.now()) },
      });
    };
    const store = createPanelStore({ createModel: waiting, flushEvery: 0, settleAfter: 3000 });
    const setTimeoutCalls = vi.spyOn(globalThis, 'setTimeout');
    const stream = chunks(200, 10);
    expect(stream.length).toBeGreaterThan(20);
    const start = Date.now();
    for (const chunk of stream) {
      store.getState().ingest(chunk);
      vi.advanceTimersByTime(100);
    }
    const last = Date.now() - 100;
    // Before: a timer cleared and set again per chunk.
    expect(setTimeoutCalls.mock.calls.length).toBeLessThanOrEqual(Math.ceil((last - start) / 3000) + 1);
    vi.advanceTimersByTime(last + 3000 - Date.now() - 1);
    expect(settles).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(settles).toHaveLength(1);
    expect(settles[0]! - last).toBeGreaterThanOrEqual(3000);
  });

  it('wakes no subscriber when the source says again what the store already knows', () => {
    const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0 });
    const heard = vi.fn();
    store.subscribe(heard);
    store.getState().setInstrumented(true);
    store.getState().setInstrumented(true);
    store.getState().setConnection('connected');
    store.getState().setConnection('connected');
    expect(heard).toHaveBeenCalledTimes(2);
    expect(store.getState().instrumented).toBe(true);
    expect(store.getState().connection).toBe('connected');
  });

  it('builds no search text until the filter is wanted, and the filter finds the same rows', () => {
    const stream = chunks(5000, 500);
    const lazy = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
    const eager = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
    eager.getState().prepareSearch();
    for (const chunk of stream) {
      lazy.getState().ingest(chunk);
      eager.getState().ingest(chunk);
    }
    const messages = lazy.getState().model.messages.length;
    expect(messages).toBeGreaterThan(5000);
    // Before: every publish built the texts of the new messages, whatever the view.
    expect(searchIndexOf(lazy.getState().model).size).toBe(0);
    expect(searchIndexOf(eager.getState().model).size).toBe(messages);

    // The filter box got the focus: the texts of what came before are built a slice per task.
    lazy.getState().prepareSearch();
    const first = searchIndexOf(lazy.getState().model).size;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(messages);
    vi.runAllTimers();
    expect(searchIndexOf(lazy.getState().model).size).toBe(messages);

    for (const text of ['milestone', 'pong', '/m12[0-9]/', '-ping', 'p1']) {
      lazy.getState().setFilter(text);
      eager.getState().setFilter(text);
      const ids = (s: typeof lazy) =>
        messageRows(s.getState().model, s.getState().terms, s.getState().sort).map((m) => m.id);
      expect(ids(lazy), text).toEqual(ids(eager));
      expect(ids(lazy).length, text).toBeGreaterThan(0);
    }
  });

  it('a filter typed before the texts were built finds what the panel shows', () => {
    const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
    for (const chunk of chunks(3000, 500)) store.getState().ingest(chunk);
    store.getState().setFilter('milestone');
    const { model, terms, sort } = store.getState();
    const rows = messageRows(model, terms, sort);
    expect(rows.map((m) => m.id)).toEqual(
      model.messages
        .filter((m) => m.preview?.t === 'object' && JSON.stringify(m.preview).includes('milestone'))
        .map((m) => m.id),
    );
    expect(rows.length).toBeGreaterThan(0);
  });
});
