/**
 * Who watches a tab, in real Chromium with the built extension: a tab nobody watches only counts
 * its plain messages (`messages-counted`; channels, transfers and dispatches with ports are still
 * recorded); a subscribed panel connection, or the "Record while DevTools is closed" preference,
 * makes it record every message, and the tab counts again when they go. The real DevTools window
 * is in watched-devtools.test.ts (it needs a browser that opens DevTools for every tab).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { openProbe } from '../fixtures/relay/panel-probe.ts';
import { exchangeOf, type Exchange, type TabWatch } from '../fixtures/watched/exchange.ts';
import { until } from '../support/until.ts';
import type { Fact } from '../../protocol/facts.ts';

let browser: LaunchedChromium;
let server: FixtureServer;

type Debug = { portscopeDebug: { facts(tab: number): Fact[]; tabs(): TabWatch[] } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function worker() {
  return browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
}

const factsOf = async (tabId: number) =>
  (await worker()).evaluate((t) => (globalThis as unknown as Debug).portscopeDebug.facts(t), tabId);
const tabsOf = async () => (await worker()).evaluate(() => (globalThis as unknown as Debug).portscopeDebug.tabs());
const watchOf = async (tabId: number) => (await tabsOf()).find((t) => t.tabId === tabId);

let labels = 0;

/** Runs one exchange of `n` plain messages in the page and returns what the background got of it. */
async function exchange(page: Page, tabId: number, n: number): Promise<Exchange> {
  const label = `m${++labels}`;
  await page.evaluate(
    ([count, l]) => (window as unknown as { exchange(n: number, l: string): Promise<number> }).exchange(count, l),
    [n, label] as const,
  );
  return until(
    `the exchange "${label}" to reach the background`,
    async () => exchangeOf(await factsOf(tabId), label),
    (x): x is Exchange => x !== null,
  ) as Promise<Exchange>;
}

/** Probes with one-message exchanges until the page's runtime is in `mode` (a switch travels background → relay → runtime). */
async function untilMode(page: Page, tabId: number, mode: Exchange['mode']): Promise<void> {
  await until(
    `the tab to be ${mode}`,
    async () => (await exchange(page, tabId, 1)).mode,
    (m) => m === mode,
  );
}

async function openTab(): Promise<{ page: Page; tabId: number }> {
  const page = await browser.context.newPage();
  const url = `${server.origin}/watched/index.html?${++labels}`;
  await page.goto(url);
  const tabs = await until('the tab to reach the background', tabsOf, (t) => t.some((x) => x.url === url));
  return { page, tabId: tabs.find((x) => x.url === url)!.tabId };
}

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('who watches a tab (Chromium)', () => {
  it('an unwatched tab counts plain messages exactly and still records channels, transfers and dispatches with ports', async () => {
    const { page, tabId } = await openTab();
    expect(await watchOf(tabId)).toMatchObject({ recordMessages: false, panels: 0, inspectors: 0 });
    await untilMode(page, tabId, 'counting');
    const x = await exchange(page, tabId, 40);
    expect(x).toMatchObject({
      mode: 'counting',
      countedPosted: 40,
      countedDispatched: 40,
      recordedPlainPosts: 0,
      recordedPlainDispatches: 0,
    });
    // The structure stays: both channels, the post and the dispatch that carried a port, the shipping.
    expect(x.channels).toBe(2);
    expect(x.carrier).toEqual({ posted: true, dispatchedWithPorts: 1, shipped: 1, received: 1 });
    await page.close();
  });

  it('a subscribed panel connection switches the tab to recording (with previews); unsubscribing switches it back', async () => {
    const { page, tabId } = await openTab();
    await untilMode(page, tabId, 'counting');
    const probe = await openProbe(browser.context, browser.extensionId!, tabId);
    await until(
      'the background to see the panel',
      () => watchOf(tabId),
      (w) => w?.recordMessages === true && w.panels === 1,
    );
    await untilMode(page, tabId, 'recording');
    const recorded = await exchange(page, tabId, 25);
    expect(recorded).toMatchObject({
      mode: 'recording',
      countedPosted: 0,
      countedDispatched: 0,
      recordedPlainPosts: 25,
      recordedPlainDispatches: 25,
      previewsWithLabel: 25,
    });
    await probe.close();
    await until(
      'the background to see the panel go',
      () => watchOf(tabId),
      (w) => w?.recordMessages === false && w.panels === 0,
    );
    await untilMode(page, tabId, 'counting');
    expect(await exchange(page, tabId, 30)).toMatchObject({
      mode: 'counting',
      countedPosted: 30,
      countedDispatched: 30,
      recordedPlainPosts: 0,
      recordedPlainDispatches: 0,
    });
    await page.close();
  });

  it('the preference makes an unwatched tab record, also when its relay has let its port go, and turning it off counts again', async () => {
    const { page, tabId } = await openTab();
    await untilMode(page, tabId, 'counting');
    // The relay lets an idle port go after 2 s (content/link.ts): the change must reach it through a resync.
    await sleep(2_500);
    await recordWhileClosedChromium(browser.serviceWorker!, true);
    expect(await watchOf(tabId)).toMatchObject({ recordMessages: true, panels: 0, inspectors: 0 });
    await untilMode(page, tabId, 'recording');
    expect(await exchange(page, tabId, 15)).toMatchObject({
      mode: 'recording',
      recordedPlainPosts: 15,
      recordedPlainDispatches: 15,
      countedPosted: 0,
      previewsWithLabel: 15,
    });
    // A tab opened while it is on is recorded from its first message.
    const late = await openTab();
    expect(await exchange(late.page, late.tabId, 5)).toMatchObject({ mode: 'recording', recordedPlainPosts: 5 });
    await sleep(2_500);
    await recordWhileClosedChromium(browser.serviceWorker!, false);
    await untilMode(page, tabId, 'counting');
    expect(await exchange(page, tabId, 10)).toMatchObject({
      mode: 'counting',
      countedPosted: 10,
      countedDispatched: 10,
      recordedPlainPosts: 0,
    });
    await Promise.all([page.close(), late.page.close()]);
  });
});
