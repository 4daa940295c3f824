// The panel store over the real model, fed with the synthetic stream.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { createPanelStore, SettingsError } from '../../../panel/store.ts';
import type { SourceCommand } from '../../../panel/source/types.ts';
import { allSyntheticFacts } from './syntheticFacts.ts';

function setup() {
  const sent: SourceCommand[] = [];
  const store = createPanelStore({ createModel, send: (c) => sent.push(c), flushEvery: 0, settleAfter: 0, filterDelay: 0 });
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

  it('clear empties the model and tells the background', () => {
    const { store, sent } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 4 }));
    store.getState().selectMessage('m1');
    store.getState().clear();
    expect(store.getState().model.messages).toHaveLength(0);
    expect(store.getState().selectedMessage).toBeNull();
    expect(sent).toEqual([{ type: 'clear' }]);
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

  it('keeps the last valid filter while the text is invalid, and says why', () => {
    const { store } = setup();
    store.getState().setFilter('state:queued');
    expect(store.getState().terms).toHaveLength(1);
    store.getState().setFilter('state:queued colour:');
    expect(store.getState().filterError).toBe('term 2: unknown filter "colour:" (known: port, channel, context, state, has, reason, id, library)');
    expect(store.getState().terms).toEqual([{ key: 'state', value: 'queued', negate: false }]);
  });

  it('validates settings, sends runtime config, and rebuilds the model for new bounds', () => {
    const { store, sent } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 20 }));
    expect(() => store.getState().setSettings({ messageCap: 5 })).toThrow(SettingsError);
    expect(() => store.getState().setSettings({ messageCap: 5 })).toThrow('messageCap: expected an integer from 1000 to 2000000, got 5');
    expect(() => store.getState().setSettings({ factLogCap: Number.NaN })).toThrow('factLogCap: expected an integer');
    store.getState().setSettings({ captureStacks: true });
    expect(sent).toEqual([{ type: 'config', config: { captureStacks: true, inWorker: false } }]);
    const before = store.getState().model;
    store.getState().setSettings({ messageCap: 5000 });
    const after = store.getState().model;
    expect(after).not.toBe(before);
    expect(after.messages).toHaveLength(before.messages.length);
  });

  it('loads a trace into a fresh model; live facts do not mix with it until back to live', () => {
    const { store } = setup();
    store.getState().ingest(allSyntheticFacts({ messages: 2 }));
    store.getState().loadTrace(allSyntheticFacts({ messages: 6 }), 'x.json');
    expect(store.getState().model.messages).toHaveLength(9);
    expect(store.getState().traceName).toBe('x.json');
    const live = allSyntheticFacts({ messages: 2, start: 1_800_000_000_000 });
    store.getState().ingest(live);
    expect(store.getState().ignored).toBe(live.length);
    expect(store.getState().model.messages).toHaveLength(9);
    store.getState().newSession('http://x/navigated');
    expect(store.getState().model.messages).toHaveLength(9);
    store.getState().showLive();
    expect(store.getState().traceName).toBeNull();
    expect(store.getState().model.messages).toHaveLength(0);
    store.getState().ingest(live);
    expect(store.getState().model.messages).toHaveLength(5);
  });
});
