/**
 * The built extension's background as Chromium tests read it through the test build's debug hook
 * (`portscopeDebug`): whichever service worker is the background now (it can restart), the facts it
 * holds for a tab, and the tab id it gave a page once the page's relay has reached it.
 */
import type { Worker } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import type { LaunchedChromium } from './chromium.ts';
import { until } from './until.ts';

type Debug = { portscopeDebug: { facts(tab: number): Fact[]; tabs(): { tabId: number; url: string }[] } };

export async function backgroundOf(browser: LaunchedChromium): Promise<Worker> {
  return browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
}

export async function backgroundFacts(browser: LaunchedChromium, tabId: number): Promise<Fact[]> {
  return (await backgroundOf(browser)).evaluate((t) => (globalThis as unknown as Debug).portscopeDebug.facts(t), tabId);
}

/** The tab id of the page at `url`, once the background knows that tab. */
export async function tabIdOf(browser: LaunchedChromium, url: string): Promise<number> {
  const tabs = await until(
    'the tab to reach the background',
    async () => (await backgroundOf(browser)).evaluate(() => (globalThis as unknown as Debug).portscopeDebug.tabs()),
    (t) => t.some((x) => x.url === url),
  );
  return tabs.find((x) => x.url === url)!.tabId;
}
