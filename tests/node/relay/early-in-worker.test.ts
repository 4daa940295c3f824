import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import {
  EARLY_IN_WORKER_FILE,
  EARLY_IN_WORKER_ID,
  EarlyInWorker,
  type RegisteredScript,
  type Scripting,
  urlPatterns,
} from '../../../extension/early-in-worker.ts';

/** A stand-in for browser.scripting: the registrations it holds, and every call in order. */
function scripting() {
  const held = new Map<string, RegisteredScript>();
  const calls: string[] = [];
  const api: Scripting = {
    async registerContentScripts(scripts) {
      for (const s of scripts) {
        if (held.has(s.id)) throw new Error(`duplicate id ${s.id}`);
        held.set(s.id, s);
      }
      calls.push(`register ${scripts.map((s) => s.matches.join(' ')).join()}`);
    },
    async unregisterContentScripts(filter) {
      for (const id of filter?.ids ?? [...held.keys()]) held.delete(id);
      calls.push('unregister');
    },
    async getRegisteredContentScripts() {
      return [...held.values()];
    },
  };
  return { api, held, calls };
}

const context = (ctx: string, url: string, contextKind: 'window' | 'iframe' | 'worker' = 'window'): Fact =>
  ({
    kind: 'context',
    ctx,
    seq: 1,
    time: 0,
    contextKind,
    url,
    origin: '',
    framePath: '',
    observed: true,
    userAgent: '',
  }) as Fact;
const note = (ctx: string, code: string): Fact =>
  ({ kind: 'runtime-note', ctx, seq: 2, time: 0, code, message: '' }) as Fact;
const ON = { captureStacks: false, inWorker: true };
const OFF = { captureStacks: false, inWorker: false };

describe('the in-worker setting at document_start (Firefox): what the background registers', () => {
  it('match patterns name the path with or without a query; a URL they cannot name gives none', () => {
    expect(urlPatterns('http://127.0.0.1:8080/app/index.html?x=1#top')).toEqual([
      'http://127.0.0.1/app/index.html',
      'http://127.0.0.1/app/index.html?*',
    ]);
    expect(urlPatterns('about:blank')).toEqual([]);
    expect(urlPatterns('file:///tmp/a.html')).toEqual([]);
    expect(urlPatterns('not a url')).toEqual([]);
  });

  it('registers the URLs whose probe answered "ready" in tabs with the setting on, and nothing else', async () => {
    const s = scripting();
    const early = new EarlyInWorker(s.api);
    early.configured(1, ON);
    early.delivered(1, [context('a', 'https://app.test/'), note('a', 'in-worker-ready')]);
    early.delivered(1, [context('b', 'https://app.test/csp'), note('b', 'in-worker-refused')]);
    // A worker's context is not a document whose policy was measured.
    early.delivered(1, [context('w', 'https://app.test/w.js', 'worker'), note('w', 'in-worker-ready')]);
    // Another tab with the setting off: its URLs are not registered.
    early.delivered(2, [context('c', 'https://other.test/'), note('c', 'in-worker-ready')]);
    await early.settled();
    expect([...s.held.values()]).toEqual([
      {
        id: EARLY_IN_WORKER_ID,
        js: [EARLY_IN_WORKER_FILE],
        matches: ['https://app.test/', 'https://app.test/?*'],
        runAt: 'document_start',
        allFrames: true,
        persistAcrossSessions: false,
      },
    ]);
  });

  it('a later refusal of a URL takes it out; turned off or the tab closed, the registration goes', async () => {
    const s = scripting();
    const early = new EarlyInWorker(s.api);
    early.configured(1, ON);
    early.delivered(1, [context('a', 'https://app.test/'), note('a', 'in-worker-ready')]);
    early.delivered(1, [context('b', 'https://app.test/b'), note('b', 'in-worker-ready')]);
    await early.settled();
    expect(early.patterns()).toEqual([
      'https://app.test/',
      'https://app.test/?*',
      'https://app.test/b',
      'https://app.test/b?*',
    ]);
    early.delivered(1, [context('a2', 'https://app.test/'), note('a2', 'in-worker-refused')]);
    await early.settled();
    expect([...s.held.values()][0].matches).toEqual(['https://app.test/b', 'https://app.test/b?*']);
    early.configured(1, OFF);
    await early.settled();
    expect(s.held.size).toBe(0);
    early.configured(1, ON);
    await early.settled();
    expect(s.held.size).toBe(1);
    early.forget(1);
    await early.settled();
    expect(s.held.size).toBe(0);
  });

  it('after a restart, the first config clears what an earlier background registered', async () => {
    const s = scripting();
    await s.api.registerContentScripts([
      {
        id: EARLY_IN_WORKER_ID,
        js: [EARLY_IN_WORKER_FILE],
        matches: ['https://old.test/'],
        runAt: 'document_start',
        allFrames: true,
        persistAcrossSessions: false,
      },
    ]);
    const early = new EarlyInWorker(s.api);
    early.configured(1, ON);
    await early.settled();
    expect(s.held.size).toBe(0);
  });

  it('a failing browser call is reported and later changes still apply', async () => {
    const s = scripting();
    const errors: string[] = [];
    let fail = true;
    const api: Scripting = {
      ...s.api,
      registerContentScripts: (x) =>
        fail ? Promise.reject(new Error('no host permission')) : s.api.registerContentScripts(x),
    };
    const early = new EarlyInWorker(api, (m) => errors.push(m));
    early.configured(1, ON);
    early.delivered(1, [context('a', 'https://app.test/'), note('a', 'in-worker-ready')]);
    await early.settled();
    expect(errors).toEqual(['no host permission']);
    fail = false;
    early.delivered(1, [context('b', 'https://app.test/b'), note('b', 'in-worker-ready')]);
    await early.settled();
    expect([...s.held.values()][0].matches).toHaveLength(4);
  });

  it('bounded: past 64 measured URLs per tab the oldest goes', async () => {
    const s = scripting();
    const early = new EarlyInWorker(s.api);
    early.configured(1, ON);
    for (let i = 0; i < 70; i++)
      early.delivered(1, [context(`c${i}`, `https://app.test/${i}`), note(`c${i}`, 'in-worker-ready')]);
    await early.settled();
    const matches = [...s.held.values()][0].matches;
    expect(matches).toHaveLength(128);
    expect(matches).not.toContain('https://app.test/5');
    expect(matches).toContain('https://app.test/6');
  });
});
