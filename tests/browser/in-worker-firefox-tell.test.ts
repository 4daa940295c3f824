/**
 * What a page can still tell in Firefox ESR when the in-worker bootstrap builds its workers
 * (the add-on with the setting on): every scenario of tests/fixtures/in-worker-firefox/scenarios.ts
 * runs in a Firefox without the add-on and in one with it, and the two records are compared.
 * The differences are pinned here, each with its reason (docs/in-worker.md, "What the page can
 * still tell"): the test fails on any other difference, and when one of these goes away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { Fact } from '../../protocol/facts.ts';
import { firefoxTabId, launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';
import { until } from '../support/until.ts';
import { TELL_SCENARIOS } from '../fixtures/in-worker-firefox/scenarios.ts';

let server: FixtureServer;
let plain: LaunchedFirefox;
let addon: LaunchedFirefox;
const native: Record<string, unknown> = {};
const instrumented: Record<string, unknown> = {};
/** What the add-on's background kept of each instrumented run (a new top document starts a new log). */
const kept: Fact[] = [];

const script = (body: string) => `(async () => {${body}\n})()`;

async function runIn(page: Page, name: string): Promise<unknown> {
  await page.goto(`${server.origin}/workers-cdp/index.html`);
  try {
    return await page.evaluate(script(TELL_SCENARIOS[name]));
  } catch (e) {
    return { scenarioThrew: String((e as Error).message).split('\n')[0] };
  }
}

beforeAll(async () => {
  server = await serveFixtures();
  [plain, addon] = await Promise.all([launchFirefox({ extension: false }), launchFirefox({ extension: true })]);
  const background = addon.background!;
  await recordWhileClosedFirefox(background);
  const nativePage = await plain.browser.newPage();
  const page = await addon.browser.newPage();
  const url = `${server.origin}/workers-cdp/index.html`;
  await page.goto(url);
  const tabId = await firefoxTabId(background, url);
  await background(`globalThis.portscopeDebug.configure(${tabId}, { captureStacks: false, inWorker: true }); 'ok'`);
  // Each later load of the page is instrumented from its first script (extension/early-in-worker.ts).
  await until(
    'the registration of the page',
    async () =>
      JSON.parse(
        await background('browser.scripting.getRegisteredContentScripts().then((r) => JSON.stringify(r))'),
      ) as unknown[],
    (r) => r.length === 1,
  );
  for (const name of Object.keys(TELL_SCENARIOS)) {
    native[name] = await runIn(nativePage, name);
    instrumented[name] = await runIn(page, name);
    // Batches flush on a ~50 ms timer in every context: kept once they stop arriving.
    kept.push(
      ...(await settledFactsBornOnPage(
        async () => JSON.parse(await background(`JSON.stringify(globalThis.portscopeDebug.facts(${tabId}))`)) as Fact[],
        150,
      )),
    );
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([plain?.close(), addon?.close()]);
  await server?.close();
});

type Report = {
  selfLocation: string;
  location?: string;
  stack: string;
  resources: string[];
  globals: string;
  postMessageSource?: string;
  name?: string;
};

/** The stack's frames, one per line (Firefox: `fn@url:line:col`). */
const frames = (stack: string) => stack.split('\n').filter(Boolean);

describe('what a page can tell in Firefox ESR with the in-worker bootstrap (compared with Firefox without the add-on)', () => {
  it('every worker of the scenarios was built from the bootstrap and seen from inside from its first line (one shared worker per document)', () => {
    const contexts = kept.filter((f): f is Extract<Fact, { kind: 'context' }> => f.kind === 'context');
    const inside = (suffix: string) =>
      contexts
        .filter((c) => c.url.endsWith(suffix) && c.inside === 'bootstrap' && c.observed)
        .filter(
          (c) =>
            kept.some((f) => f.kind === 'channel-created' && f.ctx === c.ctx) &&
            kept.some((f) => f.kind === 'port-posted' && f.ctx === c.ctx),
        ).length;
    expect(
      ['/w/classic.js', '/w/nested.js', '/w/module.mjs', '/w/shared.js'].map((suffix) => [suffix, inside(suffix)]),
    ).toEqual([
      ['/w/classic.js', 1],
      ['/w/nested.js', 1],
      ['/w/module.mjs', 1],
      ['/w/shared.js', 2],
    ]);
  });

  it('the scenarios worked in both runs', () => {
    for (const name of Object.keys(TELL_SCENARIOS)) {
      expect(JSON.stringify(native[name]), name).not.toMatch(/no answer|no error event|scenarioThrew/);
      expect(JSON.stringify(instrumented[name]), name).not.toMatch(/no answer|no error event|scenarioThrew/);
    }
  });

  it('classic dedicated worker: self.location, location.href, its name, its own globals, a native toString and resource entries are the same; a top-level stack shows the runtime', () => {
    const name = Object.keys(TELL_SCENARIOS)[0];
    const n = native[name] as { report: { report: Report }; nested: { nested: { report: Report } } };
    const i = instrumented[name] as typeof n;
    const pairs = [
      [n.report.report, i.report.report, '/workers-cdp/w/classic.js'],
      [n.nested.nested.report, i.nested.nested.report, '/workers-cdp/w/nested.js'],
    ] as const;
    for (const [a, b, script] of pairs) {
      expect([b.selfLocation, b.location, b.name, b.postMessageSource, b.globals]).toEqual([
        a.selfLocation,
        a.location,
        a.name,
        a.postMessageSource,
        a.globals,
      ]);
      // A worker's own script is not its resource; the bootstrap's fetch of it is hidden (worker-resource-entries.ts).
      expect(a.resources.map((r) => new URL(r).pathname)).not.toContain(script);
      expect(b.resources).toEqual(a.resources);
      // Error().stack at the top level of a script the worker's script imported: the page's frames in
      // order, and between them the runtime's importScripts replacement (3 frames: it resolves the
      // page's relative URL against the original script) and, last, the bootstrap's own frame.
      const page = frames(b.stack).filter((f) => !f.includes('@blob:'));
      const runtime = frames(b.stack).filter((f) => f.includes('@blob:'));
      expect(page).toEqual(frames(a.stack));
      expect(runtime).toHaveLength(4);
      expect(runtime.filter((f) => f.startsWith('portscopeBoundary@'))).toHaveLength(1);
      expect(runtime.at(-1)).toMatch(/^@blob:http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+:\d+:\d+$/);
    }
  });

  it('module dedicated worker: self.location, import.meta.url, its globals, a top-level stack and resource entries are the same', () => {
    const name = Object.keys(TELL_SCENARIOS)[1];
    expect(instrumented[name]).toEqual(native[name]);
  });

  it('a worker script that fails to load: a module worker gets the same plain Event; a classic one an ErrorEvent naming the NetworkError', () => {
    const name = Object.keys(TELL_SCENARIOS)[2];
    const n = native[name] as { classic: Record<string, unknown>; module: Record<string, unknown> };
    const i = instrumented[name] as typeof n;
    expect(n.classic).toEqual({ type: 'error', ctor: 'Event', message: null, filename: null, lineno: null });
    expect(i.module).toEqual(n.module);
    expect([i.classic.type, i.classic.ctor, i.classic.message]).toEqual([
      'error',
      'ErrorEvent',
      'NetworkError: A network error occurred.',
    ]);
    expect(String(i.classic.filename)).toMatch(/^blob:/);
  });

  it('a SharedWorker reached from two documents: one worker natively, one per document with the bootstrap', () => {
    const name = Object.keys(TELL_SCENARIOS)[3];
    const n = native[name] as { connections: number; selfLocation: string; stack: string };
    const i = instrumented[name] as typeof n;
    expect([n.connections, i.connections]).toEqual([2, 1]);
    expect(i.selfLocation).toBe(n.selfLocation);
  });
});
