/**
 * The Playwright fixture (`portscope/playwright`, built) on a library page whose iframe starts on
 * its initial about:blank: that document's first batch (its announcement) reaches the
 * recording, so there is no phantom context and nothing is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { PAGES, shape } from './libraries-pages.ts';

let browser: LaunchedChromium;
let server: FixtureServer;

beforeAll(async () => {
  process.env.PORTSCOPE_DIST = resolve(process.env.PORTSCOPE_DIST ?? 'dist');
  server = await serveFixtures('.');
  browser = await launchChromium({ extension: false });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Playwright fixture on a library page', () => {
  it('penpal with a cross-origin iframe: every context announced, no fact missing', async () => {
    const { createPortscope } = await import('../../cli/playwright-fixture.mjs' as string);
    const page = await browser.context.newPage();
    const portscope = createPortscope(browser.context);
    await portscope.attach(page);
    const child = `${server.crossOrigin}/tests/fixtures/libraries/penpal-child.html`;
    await page.goto(`${server.origin}${PAGES.penpal.path}?child=${encodeURIComponent(child)}`);
    await page.waitForFunction(() => document.documentElement.dataset.done === '1', undefined, { timeout: 15_000 });
    const trace = await portscope.trace();
    expect(trace.toTrace().meta.dropped).toEqual({});
    expect(shape(trace, { creatorVaries: true })).toEqual(
      PAGES.penpal.shape('/tests/fixtures/libraries/penpal-child.html'),
    );
  });
});
