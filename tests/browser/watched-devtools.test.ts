/**
 * A real DevTools window makes its tab watched (extension/devtools.ts connects with the
 * inspected tab id), whichever DevTools panel shows: the tab records every message from its
 * first one. Closing DevTools lets the tab count again. Headless Chromium that opens DevTools
 * for every tab (tests/support/devtools-panel.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page, WebWorker } from 'puppeteer-core';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { exchangeOf, type Exchange, type TabWatch } from '../fixtures/watched/exchange.ts';
import { until } from '../support/until.ts';
import type { Fact } from '../../protocol/facts.ts';

let session: DevToolsSession;
let server: FixtureServer;

type Debug = { portscopeDebug: { facts(tab: number): Fact[]; tabs(): TabWatch[] } };

async function worker(): Promise<WebWorker> {
  const target = await session.browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${session.extensionId}/`),
    { timeout: 15_000 },
  );
  const w = await target.worker();
  if (!w) throw new Error('the extension service worker has no worker handle');
  return w;
}
const tabsOf = async () => (await worker()).evaluate(() => (globalThis as unknown as Debug).portscopeDebug.tabs());
const preferenceOf = async () =>
  (await worker()).evaluate(() =>
    (
      globalThis as unknown as { portscopeDebug: { recordWhileClosed(): boolean | null } }
    ).portscopeDebug.recordWhileClosed(),
  );

/** Opens the panel's settings, sets "Record while DevTools is closed" to `on` as a user would, and applies. */
async function setPreferenceInPanel(panel: Frame, on: boolean): Promise<void> {
  await panel.click('button[title=Settings]');
  const box = await panel.waitForSelector('input[name=recordWhileClosed]:not([disabled])', { timeout: 10_000 });
  if ((await box!.evaluate((el) => (el as HTMLInputElement).checked)) !== on) await box!.click();
  await panel.click('[role=dialog] button[type=submit]');
}
const factsOf = async (tabId: number) =>
  (await worker()).evaluate((t) => (globalThis as unknown as Debug).portscopeDebug.facts(t), tabId);

let labels = 0;
async function exchange(page: Page, tabId: number, n: number): Promise<Exchange> {
  const label = `d${++labels}`;
  await page.evaluate(
    (count, l) => (window as unknown as { exchange(n: number, l: string): Promise<number> }).exchange(count, l),
    n,
    label,
  );
  return until(
    `the exchange "${label}" to reach the background`,
    async () => exchangeOf(await factsOf(tabId), label),
    (x): x is Exchange => x !== null,
  ) as Promise<Exchange>;
}

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
}, 60_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('a DevTools window watches its tab (Chromium)', () => {
  it('records from the first message while DevTools is open, the settings toggle sets the preference, and the tab counts once DevTools is closed', async () => {
    const url = `${server.origin}/watched/index.html`;
    await session.page.goto(url);
    const tabs = await until('the tab to be watched by its DevTools window', tabsOf, (t) =>
      t.some((x) => x.url === url && x.inspectors >= 1 && x.recordMessages),
    );
    const tabId = tabs.find((x) => x.url === url)!.tabId;
    // No panel is shown or subscribed: the devtools page alone watches.
    expect(tabs.find((x) => x.tabId === tabId)).toMatchObject({ panels: 0, inspectors: 1, recordMessages: true });
    expect(await exchange(session.page, tabId, 20)).toMatchObject({
      mode: 'recording',
      recordedPlainPosts: 20,
      recordedPlainDispatches: 20,
      previewsWithLabel: 20,
      countedPosted: 0,
    });

    // The settings toggle writes the preference, and the background follows it.
    const panel = await showPanel(session.devtools, session.extensionId);
    expect(await preferenceOf()).toBe(false);
    await setPreferenceInPanel(panel, true);
    await until('the background to apply the preference from the panel', preferenceOf, (v) => v === true);
    await setPreferenceInPanel(panel, false);
    await until('the background to apply the preference turned off', preferenceOf, (v) => v === false);

    await session.devtools.close();
    await until(
      'the tab to be unwatched once DevTools closed',
      async () => (await tabsOf()).find((x) => x.tabId === tabId),
      (w) => w?.inspectors === 0 && w.recordMessages === false,
    );
    await until(
      'the tab to count',
      async () => (await exchange(session.page, tabId, 1)).mode,
      (m) => m === 'counting',
    );
    expect(await exchange(session.page, tabId, 12)).toMatchObject({
      mode: 'counting',
      countedPosted: 12,
      countedDispatched: 12,
      recordedPlainPosts: 0,
      recordedPlainDispatches: 0,
    });
  });
});
