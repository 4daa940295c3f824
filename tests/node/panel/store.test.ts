// The panel store over the real model, fed with the synthetic stream.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { createPanelStore, SettingsError } from '../../../panel/store.ts';
import type { SourceCommand } from '../../../panel/source/types.ts';
import { allSyntheticFacts } from './syntheticFacts.ts';

function setup() {
  const sent: SourceCommand[] = [];
  const store = createPanelStore({
    createModel,
    send: (c) => sent.push(c),
    flushEvery: 0,
    settleAfter: 0,
    filterDelay: 0,
  });
  return { store, sent };
}

describe('panel store', () => {
  it('applies facts and publishes the model revision', () => {
    const { store } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 10 }));
    const { model, revision } = store.getState();
    expect(revision).toBe(model.revision);
    expect(model.channels.size).toBe(2);
    expect(model.messages).toHaveLength(13);
    expect(store.getState().instrumented).toBe(true);
  });

  it('holds facts while paused and applies them on resume', () => {
    const { store } = setup();
    const facts = allSyntheticFacts({ messages: 4 });
    store.getState().setPaused(true);
    store.getState().ingest(facts);
    expect(store.getState().model.messages).toHaveLength(0);
    expect(store.getState().held).toBe(facts.length);
    store.getState().setPaused(false);
    expect(store.getState().held).toBe(0);
    expect(store.getState().model.messages).toHaveLength(7);
  });

  it('clear drops the messages it saw, keeps contexts, channels, ports and queues, and tells the background', () => {
    const { store, sent } = setup();
    const facts = allSyntheticFacts({ messages: 4, stuck: 3 });
    // The page's first part: structure, the stuck messages and two of the four pings.
    const cutAt = facts.findIndex((f) => f.kind === 'message-dispatched') + 3;
    store.getState().ingest(facts.slice(0, cutAt));
    const before = store.getState().model;
    const structure = { contexts: before.contexts.size, channels: before.channels.size, ports: before.ports.size };
    expect(before.messages).toHaveLength(5);
    store.getState().selectMessage('m1');
    store.getState().clear();
    const { model } = store.getState();
    expect({ contexts: model.contexts.size, channels: model.channels.size, ports: model.ports.size }).toEqual(
      structure,
    );
    // The three stuck messages still wait in their port message queue: they are the port's state.
    expect(model.messages.map((m) => m.state)).toEqual(['queued', 'queued', 'queued']);
    expect(store.getState().cleared).toBe(2);
    expect(store.getState().selectedMessage).toBeNull();
    expect(sent).toEqual([{ type: 'clear' }]);
    // The page goes on: the next messages pair with what was kept, nothing is invented.
    store.getState().ingest(facts.slice(cutAt));
    const after = store.getState().model;
    expect({ contexts: after.contexts.size, channels: after.channels.size, ports: after.ports.size }).toEqual(
      structure,
    );
    expect(after.messages.filter((m) => m.state !== 'queued').map((m) => m.state)).toEqual(['delivered', 'delivered']);
    expect(after.messages.every((m) => m.postObserved && m.preview !== undefined)).toBe(true);
    expect([...after.contexts.values()].every((c) => c.kind !== 'unknown')).toBe(true);
  });

  it('clear while paused applies what the pause held first: the cut is where the user clicked', () => {
    const { store } = setup();
    const facts = allSyntheticFacts({ messages: 4, stuck: 0 });
    store.getState().setPaused(true);
    store.getState().ingest(facts);
    store.getState().clear();
    expect(store.getState().held).toBe(0);
    expect(store.getState().cleared).toBe(4);
    expect(store.getState().model.messages).toHaveLength(0);
    expect(store.getState().model.channels.size).toBe(2);
    expect(store.getState().paused).toBe(true);
  });

  it('a rebuild from the log (new bounds, or after an early settle) keeps the cut', () => {
    const { store } = setup();
    const facts = allSyntheticFacts({ messages: 6, stuck: 0 });
    const half = facts.findIndex((f) => f.kind === 'message-dispatched') + 3;
    store.getState().ingest(facts.slice(0, half));
    store.getState().clear();
    const cleared = store.getState().cleared;
    expect(cleared).toBeGreaterThan(0);
    store.getState().ingest(facts.slice(half));
    const shown = store.getState().model.messages.map((m) => m.fingerprint);
    store.getState().setSettings({ messageCap: 5000 });
    expect(store.getState().model.messages.map((m) => m.fingerprint)).toEqual(shown);
    expect(store.getState().cleared).toBe(cleared);
  });

  it('Preserve log keeps a navigation marker at the first fact of the new document', () => {
    const { store } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 2 }));
    store.getState().setPreserveLog(true);
    store.getState().newSession('http://x/reloaded');
    expect(store.getState().navigations).toHaveLength(1);
    const next = allSyntheticFacts({ messages: 2, start: 1_800_000_000_000 }).map((f) => ({ ...f, ctx: `${f.ctx}-2` }));
    store.getState().ingest(next);
    expect(store.getState().navigations).toEqual([{ time: next[0]!.time, url: 'http://x/reloaded' }]);
    store.getState().setPreserveLog(false);
    store.getState().newSession('http://x/again');
    expect(store.getState().navigations).toEqual([]);
  });

  it('a new session clears unless the log is preserved', () => {
    const { store } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 4 }));
    store.getState().setPreserveLog(true);
    store.getState().newSession('http://x/next');
    expect(store.getState().model.messages.length).toBeGreaterThan(0);
    expect(store.getState().pageUrl).toBe('http://x/next');
    store.getState().setPreserveLog(false);
    store.getState().newSession(null);
    expect(store.getState().model.messages).toHaveLength(0);
    expect(store.getState().sessions).toBe(2);
  });

  it('an invalid filter says why and keeps none of the previous filter', () => {
    const { store } = setup();
    store.getState().setFilter('state:queued');
    expect(store.getState().terms).toHaveLength(1);
    store.getState().setFilter('state:queued colour:');
    expect(store.getState().filterError).toMatch(/^term 2: unknown filter "colour:"/);
    expect(store.getState().terms).toEqual([]);
  });

  it('validates settings, sends runtime config, and rebuilds the model for new bounds', () => {
    const { store, sent } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 20 }));
    expect(() => store.getState().setSettings({ messageCap: 5 })).toThrow(SettingsError);
    expect(() => store.getState().setSettings({ messageCap: 5 })).toThrow(
      'messageCap: expected an integer from 1000 to 2000000, got 5',
    );
    expect(() => store.getState().setSettings({ factLogCap: Number.NaN })).toThrow('factLogCap: expected an integer');
    store.getState().setSettings({ captureStacks: true });
    expect(sent).toEqual([{ type: 'config', config: { captureStacks: true, inWorker: false } }]);
    const before = store.getState().model;
    store.getState().setSettings({ messageCap: 5000 });
    const after = store.getState().model;
    expect(after).not.toBe(before);
    expect(after.messages).toHaveLength(before.messages.length);
  });

  it('shows a trace beside the live recording, which goes on behind it and comes back whole', () => {
    const { store } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 2 }));
    store.getState().loadTrace(allSyntheticFacts({ messages: 6 }), 'x.json');
    expect(store.getState().model.messages).toHaveLength(9);
    expect(store.getState().traceName).toBe('x.json');
    const more = allSyntheticFacts({ messages: 2, start: 1_800_000_000_000 }).map((f) => ({ ...f, ctx: `${f.ctx}-2` }));
    store.getState().ingest(more);
    expect(store.getState().liveWhileTrace).toBe(more.length);
    expect(store.getState().model.messages).toHaveLength(9);
    store.getState().showLive();
    expect(store.getState().traceName).toBeNull();
    // The live log was never dropped: the first page's 5 messages and the 5 that came meanwhile.
    expect(store.getState().model.messages).toHaveLength(10);
  });

  it('a navigation without Preserve log while a trace is shown starts the live recording afresh', () => {
    const { store } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 2 }));
    store.getState().loadTrace(allSyntheticFacts({ messages: 6 }), 'x.json');
    store.getState().newSession('http://x/navigated');
    expect(store.getState().model.messages).toHaveLength(9);
    store.getState().showLive();
    expect(store.getState().model.messages).toHaveLength(0);
  });
});
