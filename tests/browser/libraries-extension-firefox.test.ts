/**
 * The library pages through the Firefox add-on (injected → content → background, read over the
 * Firefox debugger protocol), fed to the model as the panel does: the same graphs as the
 * recorder and the Chrome extension give, a frame's initial document and frames navigated in
 * place included, and no fact lost on the way. (Chrome: libraries-extension.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { Fact } from '../../protocol/facts.ts';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import {
  PAGES,
  expectEveryNumberedFact,
  expectPenpalThroughExtension,
  shape,
  summaryOfFacts,
} from './libraries-pages.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';

let firefox: LaunchedFirefox;
let server: FixtureServer;
let page: Page;

const background = (text: string) => firefox.background!(text);
const backgroundFacts = async () =>
  JSON.parse(await background('JSON.stringify(globalThis.portscopeDebug.facts())')) as Fact[];

beforeAll(async () => {
  server = await serveFixtures('.');
  firefox = await launchFirefox({ extension: true });
  // Nobody watches these tabs: the preference makes them record every message.
  await recordWhileClosedFirefox(background);
  page = await firefox.browser.newPage();
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

/** Loads the page, waits for its done mark and for the facts to stop arriving; the facts of the contexts born on it. */
async function record(url: string): Promise<Fact[]> {
  await page.goto('about:blank');
  await background("globalThis.portscopeDebug.clear(); 'ok'");
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.done === '1', { timeout: 15_000 });
  return settledFactsBornOnPage(backgroundFacts, 200);
}

describe('real libraries through the Firefox add-on', () => {
  for (const [name, childOrigin] of [
    ['same-origin', 'origin'],
    ['cross-origin', 'crossOrigin'],
  ] as const) {
    it(`penpal, ${name} iframe: one channel, 10 messages delivered, no phantom, no diagnostic`, async () => {
      const child = `${server[childOrigin]}/tests/fixtures/libraries/penpal-child.html`;
      const facts = await record(`${server.origin}${PAGES.penpal.path}?child=${encodeURIComponent(child)}`);
      expectPenpalThroughExtension(summaryOfFacts(facts));
      expectEveryNumberedFact(facts);
    });
  }

  it('frames: document.open and a frame navigated in place', async () => {
    const facts = await record(server.origin + PAGES.frames.path);
    expect(shape(summaryOfFacts(facts))).toEqual(PAGES.frames.shape);
    expectEveryNumberedFact(facts);
  });
});
