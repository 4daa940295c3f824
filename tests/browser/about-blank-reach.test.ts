/**
 * A frame's first about:blank as a door into its runtime, in real Chromium with the test build
 * (issue #14). A cross-origin frame (an ad, say) replaces `Reflect.apply` in its same-origin
 * child's initial about:blank; the child then loads a same-origin document, the browser keeps
 * that Window (HTML Standard), and the child's runtime captures the replacement as a native
 * (tests/fixtures/about-blank-reach/). What the replacement receives is recorded and pinned; what
 * the parent can do with it is bounded in the background (extension/fact-sender.ts): it can speak
 * for its child, and hide the child's batches, but not for another origin or another frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';
import {
  type Context,
  contextOf,
  postsTagged,
  type Reached,
  reachTests,
  type Status,
} from '../support/about-blank-reach.ts';
import type { Fact } from '../../protocol/facts.ts';

type Debug = {
  facts(tab: number): Fact[];
  status(tab: number): Status | null;
  tabs(): { tabId: number; url: string }[];
};

let browser: LaunchedChromium;
let server: FixtureServer;
let page: Page;
let tabId = 0;
let ad: Frame;
let child: Frame;
/** The contexts of the three documents, as their own runtimes announced them. */
let ctx: { top: Context; ad: Context; child: Context };

const sw = () => browser.context.serviceWorkers()[0] ?? browser.serviceWorker!;
const facts = () =>
  sw().evaluate((tab) => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts(tab), tabId);
const status = () =>
  sw().evaluate((tab) => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.status(tab), tabId);
const reached = () => ad.evaluate(() => (window as unknown as { state(): Reached }).state());
const forge = (list: unknown[]) =>
  ad.evaluate((l) => (window as unknown as { forge(l: unknown[]): boolean }).forge(l), list);
const post = (tag: string, n: number) =>
  child.evaluate(([t, k]) => (window as unknown as { post(t: string, n: number): number }).post(t, k), [
    tag,
    n,
  ] as const);

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(browser.serviceWorker!);
  page = await browser.context.newPage();
  const url = `${server.origin}/about-blank-reach/top.html?ad=${encodeURIComponent(server.crossOrigin)}`;
  await page.goto(url);
  const tabs = await until(
    'the tab at the background',
    () => sw().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.tabs()),
    (t) => t.some((x) => x.url === url),
  );
  tabId = tabs.filter((x) => x.url === url).at(-1)!.tabId;
  const all = await until('the contexts of the top, the ad and its child', facts, (f) =>
    ['top.html', 'ad.html', 'child.html'].every((p) => contextOf(f, p)),
  );
  ctx = { top: contextOf(all, 'top.html')!, ad: contextOf(all, 'ad.html')!, child: contextOf(all, 'child.html')! };
  ad = page.frame({ name: 'ad' })!;
  child = ad.childFrames().find((f) => f.name() === 'child')!;
  await until(
    "the child's document",
    () => child.evaluate(() => typeof (window as unknown as { post?: unknown }).post),
    (t) => t === 'function',
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a frame's first about:blank (Chromium)", () => {
  reachTests({
    state: () => ({ ctx, server }),
    facts,
    status,
    reached,
    forge,
    hide: (on) => ad.evaluate((o) => (window as unknown as { hide(on: boolean): void }).hide(o), on),
    post,
  });

  it('refuses nothing of an ordinary page: srcdoc, written, about:blank and sandboxed frames, a blob: worker seen from inside', async () => {
    const other = await browser.context.newPage();
    const url = `${server.origin}/about-blank-reach/ordinary.html`;
    await other.goto(url);
    const tabs = await until(
      'the tab at the background',
      () => sw().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.tabs()),
      (t) => t.some((x) => x.url === url),
    );
    const otherTab = tabs.filter((x) => x.url === url).at(-1)!.tabId;
    const read = (fn: 'facts' | 'status') =>
      sw().evaluate(
        ([tab, f]) => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug[f](tab as number),
        [otherTab, fn] as const,
      );
    // In-worker instrumentation, turned on as the panel does: the workers' contexts come through the page's relay.
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/extension/devtools.html`);
    await panel.evaluate((tab) => {
      const port = chrome.runtime.connect({ name: 'portscope-panel' });
      port.postMessage({ type: 'subscribe', tabId: tab });
      port.postMessage({ type: 'config', config: { captureStacks: false, inWorker: true } });
      (globalThis as unknown as { panelPort: unknown }).panelPort = port;
    }, otherTab);
    await until(
      'the in-worker verdict',
      async () => (await read('facts')) as Fact[],
      (f) => f.some((x) => x.kind === 'runtime-note' && x.code === 'in-worker-ready'),
    );
    expect(await other.evaluate(() => (window as unknown as { workers(): Promise<number> }).workers())).toBe(2);
    const all = await until(
      'a post from every document and the blob: worker',
      async () => (await read('facts')) as Fact[],
      (f) => ['written', 'blank', 'srcdoc', 'blob-worker'].every((tag) => postsTagged(f, tag) === 1),
    );
    const byUrl = (all.filter((f) => f.kind === 'context') as Context[]).map((c) => [
      c.contextKind,
      c.url.replace(/^blob:.*/, 'blob:').replace(server.origin, ''),
      c.origin.replace(server.origin, 'same'),
    ]);
    expect(byUrl).toEqual(
      expect.arrayContaining([
        ['window', '/about-blank-reach/ordinary.html', 'same'],
        ['iframe', 'about:srcdoc', 'same'],
        ['iframe', '/about-blank-reach/child.html', 'null'],
        ['iframe', '/about-blank-reach/child.html', 'same'],
        ['iframe', 'about:blank', 'same'],
        ['worker', 'blob:', 'same'],
      ]),
    );
    expect(await read('status')).toMatchObject({ rejected: 0 });
    await Promise.all([panel.close(), other.close()]);
  });
});
