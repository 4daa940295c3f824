/**
 * In-worker instrumentation from the page's first script, in Firefox ESR with the built add-on.
 * The setting is per tab and reaches a document only after its relay said hello; so while it is
 * on, the background registers a content script that tells the runtime at document_start, for
 * the URLs whose policy was seen to allow blob: workers (extension/early-in-worker.ts). The page
 * (tests/fixtures/workers-cdp/first/) makes a dedicated worker, a shared worker and a service
 * worker in its first inline script and hands each a port; each worker's first line makes a
 * channel and posts on it, which only a runtime that was in before that line can report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { Fact } from '../../protocol/facts.ts';
import { firefoxTabId, launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;
type WorkerCreated = Extract<Fact, { kind: 'worker-created' }>;

let server: FixtureServer;
let firefox: LaunchedFirefox;
let background: (text: string) => Promise<string>;
let page: Page;
let first = '';
let tab = 0;

const facts = async (tabId: number): Promise<Fact[]> =>
  JSON.parse(await background(`JSON.stringify(globalThis.portscopeDebug.facts(${tabId}))`)) as Fact[];
const contexts = (all: Fact[]) => all.filter((f): f is ContextFact => f.kind === 'context');
const configure = (tabId: number, inWorker: boolean) =>
  background(`globalThis.portscopeDebug.configure(${tabId}, { captureStacks: false, inWorker: ${inWorker} }); 'ok'`);
/** The content scripts the background registered (id and match patterns). */
const registered = async (): Promise<{ id: string; matches: string[] }[]> =>
  JSON.parse(await background(`browser.scripting.getRegisteredContentScripts().then((r) => JSON.stringify(r))`));
const echoes = (p: Page, n: number) =>
  until(
    `${n} echoes`,
    () => p.evaluate(() => (window as unknown as { echoes: Record<string, string> }).echoes),
    (e) => Object.keys(e ?? {}).length >= n,
  );

/** The runtime-note the document at `url` gave about in-worker instrumentation. */
async function verdict(tabId: number, url: string): Promise<Extract<Fact, { kind: 'runtime-note' }>> {
  const all = await until(
    `the in-worker verdict of ${url}`,
    () => facts(tabId),
    (a) => {
      const ctx = contexts(a).find((c) => c.url === url)?.ctx;
      return a.some((f) => f.kind === 'runtime-note' && f.ctx === ctx && f.code.startsWith('in-worker-'));
    },
  );
  const ctx = contexts(all).find((c) => c.url === url)!.ctx;
  return all.find(
    (f): f is Extract<Fact, { kind: 'runtime-note' }> =>
      f.kind === 'runtime-note' && f.ctx === ctx && f.code.startsWith('in-worker-'),
  )!;
}

/** The worker's first line made a channel and posted on it: only a runtime in before that line saw it. */
const sawFirstLine = (all: Fact[], ctx: string) =>
  all.some((f) => f.kind === 'channel-created' && f.ctx === ctx) &&
  all.some((f) => f.kind === 'port-posted' && f.ctx === ctx);

beforeAll(async () => {
  server = await serveFixtures();
  server.headers.set('/in-worker-firefox/csp.html', { 'content-security-policy': "worker-src 'self'" });
  firefox = await launchFirefox({ extension: true });
  background = firefox.background!;
  // Nobody watches these tabs: the preference makes them record every message.
  await recordWhileClosedFirefox(background);
  first = `${server.origin}/workers-cdp/first/index.html`;
  page = await firefox.browser.newPage();
  await page.goto(first);
  tab = await firefoxTabId(background, first);
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('Firefox add-on, in-worker setting on: the workers of the first script are seen from inside', () => {
  it('turned on, the document probes and the background registers its URL for document_start', async () => {
    await configure(tab, true);
    // Too late for this load's first script: its probe answers after it.
    expect((await verdict(tab, first)).code).toBe('in-worker-ready');
    const scripts = await until('the registration', registered, (r) => r.length === 1);
    const u = new URL(first);
    expect(scripts[0].matches).toContain(`${u.protocol}//${u.hostname}${u.pathname}`);
  });

  it('on reload, the dedicated and the shared worker are seen from inside from their first line; the service worker is not', async () => {
    await background(`globalThis.portscopeDebug.clear(); 'ok'`);
    await page.reload();
    expect(await echoes(page, 3)).toEqual({
      dedicated: 'echo:ping dedicated',
      shared: 'echo:ping shared',
      service: 'echo:ping service',
    });
    await verdict(tab, first);
    // Both workers announce themselves at their first line; after 10 s, whatever came is compared.
    const all = await until(
      'both workers to announce themselves',
      () => facts(tab),
      (a) => ['/w/classic.js', '/w/shared.js'].every((s) => contexts(a).some((c) => c.url.endsWith(s))),
      10_000,
    ).catch(() => facts(tab));
    const top = contexts(all).find((c) => c.url === first)!;
    const created = all.filter((f): f is WorkerCreated => f.kind === 'worker-created');
    for (const [suffix, kind] of [
      ['/workers-cdp/w/classic.js', 'worker'],
      ['/workers-cdp/w/shared.js', 'sharedworker'],
    ] as const) {
      const inside = contexts(all).filter((c) => c.url.endsWith(suffix));
      expect(inside, suffix).toHaveLength(1);
      expect([inside[0].contextKind, inside[0].observed, inside[0].inside, inside[0].parent]).toEqual([
        kind,
        true,
        'bootstrap',
        top.ctx,
      ]);
      expect(created.find((f) => f.childCtx === inside[0].ctx)?.ctx).toBe(top.ctx);
      expect(sawFirstLine(all, inside[0].ctx), suffix).toBe(true);
    }
    const note = await verdict(tab, first);
    expect([note.code, note.message]).toEqual([
      'in-worker-ready',
      'in-worker instrumentation is on from the first script: this page was seen to allow blob: workers before it loaded',
    ]);
    // Service workers are not built by a constructor the runtime can replace: measured, not reached.
    expect(contexts(all).filter((c) => c.contextKind === 'serviceworker')).toEqual([]);
    // Nothing of the hand-over is left where the page can see it.
    expect(
      await page.evaluate(() =>
        ['portscopeEarlyInWorker', 'portscopeEarlyInWorkerText'].filter((k) => k in window || k in document),
      ),
    ).toEqual([]);
  });

  it('a page whose policy refuses blob: workers is never registered, and its first worker stays its own and answers', async () => {
    const csp = `${server.origin}/in-worker-firefox/csp.html`;
    const other = await firefox.browser.newPage();
    await other.goto(csp);
    const otherTab = await firefoxTabId(background, csp);
    await configure(otherTab, true);
    expect((await verdict(otherTab, csp)).code).toBe('in-worker-refused');
    await other.reload();
    expect(await echoes(other, 1)).toEqual({ dedicated: 'echo:ping dedicated' });
    const scripts = await registered();
    expect(scripts.flatMap((s) => s.matches).filter((m) => m.includes('csp.html'))).toEqual([]);
    expect(scripts.flatMap((s) => s.matches).some((m) => m.includes('/workers-cdp/first/index.html'))).toBe(true);
    const all = await facts(otherTab);
    expect(contexts(all).filter((c) => c.url.endsWith('/w/classic.js'))).toEqual([]);
    await configure(otherTab, false);
    await other.close();
  });

  it('turned off, the registration goes and the next load builds the first workers natively', async () => {
    await configure(tab, false);
    await until('no registration', registered, (r) => r.length === 0);
    await background(`globalThis.portscopeDebug.clear(); 'ok'`);
    await page.reload();
    expect(Object.keys(await echoes(page, 3)).sort()).toEqual(['dedicated', 'service', 'shared']);
    await new Promise((r) => setTimeout(r, 500));
    const all = await facts(tab);
    expect(contexts(all).filter((c) => c.contextKind !== 'window')).toEqual([]);
    expect(all.filter((f) => f.kind === 'runtime-note' && f.code.startsWith('in-worker-'))).toEqual([]);
  });
});
