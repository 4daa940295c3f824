/**
 * The README's Workers table, the Chrome extension's cells no other test backs: one Chromium
 * with the built extension, one tab left at the default config and one with the *in-worker*
 * setting (the bootstrap) turned on the way the panel does it. The fixture
 * (tests/fixtures/workers-table/) makes a `blob:` dedicated worker or registers a service worker
 * when asked; each worker's first line makes a channel and posts on it, which only a runtime in
 * before that line can report, and each echoes on the port the page hands it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';
import { until } from '../support/until.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;
type Debug = {
  portscopeDebug: { facts(tabId: number): Fact[]; tabs(): { tabId: number; url: string }[]; clear(): void };
};

let server: FixtureServer;
let chromium: LaunchedChromium;
let defaultPage: Page;
let settingPage: Page;
const tabIds = new Map<Page, number>();

const backgroundFacts = (page: Page): Promise<Fact[]> =>
  chromium.serviceWorker!.evaluate(
    (id) => (globalThis as unknown as Debug).portscopeDebug.facts(id),
    tabIds.get(page)!,
  );
const contexts = (facts: Fact[]) => facts.filter((f): f is ContextFact => f.kind === 'context');
const ctxOf = (f: Fact) => (f as { ctx?: string }).ctx;

async function open(page: Page, query: string): Promise<void> {
  const url = `${server.origin}/workers-table/index.html${query}`;
  await page.goto(url);
  const tabs = await until(
    `the background to know ${url}`,
    () => chromium.serviceWorker!.evaluate(() => (globalThis as unknown as Debug).portscopeDebug.tabs()),
    (t) => t.some((x) => x.url === url),
  );
  tabIds.set(page, tabs.find((x) => x.url === url)!.tabId);
}

/** The page's own window context, once it reached the background (its relay was welcomed). */
const pageContext = (page: Page) =>
  until(
    'the page context',
    async () => contexts(await backgroundFacts(page)).find((c) => c.contextKind === 'window'),
    (c) => c !== undefined,
  ).then((c) => c!);

beforeAll(async () => {
  server = await serveFixtures();
  chromium = await launchChromium({ extension: true });
  await recordWhileClosedChromium(chromium.serviceWorker!);
  defaultPage = await chromium.context.newPage();
  settingPage = await chromium.context.newPage();
  await open(defaultPage, '?default');
  await open(settingPage, '?setting');
  // The panel's path: a panel port from an extension page, subscribed to the tab, then config.
  const panel = await chromium.context.newPage();
  await panel.goto(`chrome-extension://${chromium.extensionId}/extension/devtools.html`);
  await panel.evaluate((tabId) => {
    const port = chrome.runtime.connect({ name: 'portscope-panel' });
    port.postMessage({ type: 'subscribe', tabId });
    port.postMessage({ type: 'config', config: { captureStacks: false, inWorker: true } });
    (globalThis as unknown as { panelPort: unknown }).panelPort = port;
  }, tabIds.get(settingPage)!);
  // With the setting, workers are built from the bootstrap once the runtime's blob: probe answered.
  const top = await pageContext(settingPage);
  await until(
    'the in-worker verdict',
    () => backgroundFacts(settingPage),
    (all) => all.some((f) => f.kind === 'runtime-note' && f.ctx === top.ctx && f.code === 'in-worker-ready'),
  );
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

/** Runs one of the fixture's workers and returns its answer and the facts the tab logged meanwhile. */
async function run(page: Page, call: string, arg?: string): Promise<{ answer: unknown; facts: Fact[] }> {
  await settledFactsBornOnPage(() => backgroundFacts(page), 150);
  const before = (await backgroundFacts(page)).length;
  const answer = await page.evaluate(
    ([fn, a]) => (window as unknown as Record<string, (a?: string) => Promise<unknown>>)[fn!](a),
    [call, arg] as const,
  );
  // Facts from inside a worker come through the page's runtime: read once they stop arriving,
  // all of them (a fact from a context that never announced itself must count too).
  await settledFactsBornOnPage(() => backgroundFacts(page), 150);
  return { answer, facts: (await backgroundFacts(page)).slice(before) };
}

/**
 * "Outside": the service worker ran and answered the page, the page's runtime saw the port go
 * to it, and nothing came from inside it: every fact logged meanwhile is the page's own.
 */
async function expectServiceWorkerOutside(page: Page, scope: string): Promise<void> {
  const top = await pageContext(page);
  const { answer, facts } = await run(page, 'serviceWorkerEcho', scope);
  expect(answer).toBe('echo:ping');
  const handed = facts.filter(
    (f) => f.kind === 'carrier-posted' && f.carrier === 'serviceworker' && f.transfer.some((t) => t.t === 'port'),
  );
  expect(handed.map(ctxOf), 'the page reported handing the port to the service worker').toEqual([top.ctx]);
  expect(
    facts.some((f) => f.kind === 'message-dispatched' && f.ctx === top.ctx),
    "the page reported the service worker's echo",
  ).toBe(true);
  expect(contexts(facts), 'no context announced itself').toEqual([]);
  expect([...new Set(facts.map(ctxOf))], "every fact is the page's own").toEqual([top.ctx]);
}

describe("the README's Workers table in the Chrome extension", () => {
  it('service worker, default config: outside', async () => {
    await expectServiceWorkerOutside(defaultPage, 'default');
  });

  it('service worker, with the in-worker setting (bootstrap): outside', async () => {
    await expectServiceWorkerOutside(settingPage, 'setting');
  });

  it('blob: dedicated worker, with the in-worker setting (bootstrap): inside, from its first line', async () => {
    const top = await pageContext(settingPage);
    const { answer, facts } = await run(settingPage, 'blobWorker');
    expect(answer).toBe('echo:ping');
    const workers = contexts(facts);
    expect(
      workers.map((c) => [c.contextKind, c.url.startsWith(`blob:${server.origin}/`), c.observed, c.inside, c.parent]),
    ).toEqual([['worker', true, true, 'bootstrap', top.ctx]]);
    const worker = workers[0];
    const created = facts.filter((f) => f.kind === 'worker-created');
    expect(created.map((f) => f.kind === 'worker-created' && [f.ctx, f.url, f.childCtx])).toEqual([
      [top.ctx, worker.url, worker.ctx],
    ]);
    // Its first line's channel and post, before anything else it did: the runtime was in first.
    const own = facts.filter((f) => ctxOf(f) === worker.ctx).map((f) => f.kind);
    expect(own.slice(0, 3)).toEqual(['context', 'channel-created', 'port-posted']);
    expect(own).toContain('port-received');
  });
});
