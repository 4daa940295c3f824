/**
 * The same library pages through the Chrome extension (injected → content → background), the
 * facts read from the background and fed to the model as the panel does: a frame's initial
 * about:blank and frames navigated in place give no phantom context and no false diagnostic
 * there either, and no fact is lost on the way. (The CLI path: libraries-chromium.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import {
  PAGES,
  expectEveryNumberedFact,
  expectPenpalThroughExtension,
  shape,
  summaryOfFacts,
} from './libraries-pages.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';

let browser: LaunchedChromium;
let server: FixtureServer;
let page: Page;

type Debug = { facts(): Fact[]; clear(): void };
const background = () => browser.context.serviceWorkers()[0] ?? browser.serviceWorker!;
const backgroundFacts = () =>
  background().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts());

beforeAll(async () => {
  server = await serveFixtures('.');
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(browser.serviceWorker!);
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Loads the page, waits for its done mark and for the facts to stop arriving; the facts of the contexts born on it. */
async function record(url: string): Promise<Fact[]> {
  await page.goto('about:blank');
  await background().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.clear());
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.done === '1', undefined, { timeout: 15_000 });
  return settledFactsBornOnPage(backgroundFacts, 150);
}

describe('real libraries through the Chrome extension', () => {
  for (const [name, childOrigin] of [
    ['same-origin', 'origin'],
    ['cross-origin', 'crossOrigin'],
  ] as const) {
    it(`penpal, ${name} iframe: one channel, 10 messages delivered, no phantom, no diagnostic`, async () => {
      const child = `${server[childOrigin]}/tests/fixtures/libraries/penpal-child.html`;
      const facts = await record(`${server.origin}${PAGES.penpal.path}?child=${encodeURIComponent(child)}`);
      const s = summaryOfFacts(facts);
      expectPenpalThroughExtension(s);
      expectEveryNumberedFact(facts);
    });
  }

  it('frames: document.open and a frame navigated in place', async () => {
    const facts = await record(server.origin + PAGES.frames.path);
    expect(shape(summaryOfFacts(facts))).toEqual(PAGES.frames.shape);
    expectEveryNumberedFact(facts);
  });
});
