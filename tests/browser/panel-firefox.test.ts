/**
 * The panel UI in Firefox ESR with the built add-on. The Firefox DevTools panel itself cannot be
 * automated (BROWSERS.md), and a test cannot navigate to moz-extension:// pages, so the add-on's
 * background opens its own panel page in a tab (tabs.create), which puppeteer can then drive.
 * Outside DevTools the panel is the standalone trace viewer: it is fed a REAL recording of the
 * demo site made by `portscope record --browser firefox`, once through `?trace=` and once
 * through its Import control. What it shows must be what the model computes from that trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ElementHandle, Page } from 'puppeteer-core';
import { parseTrace, traceFacts } from '../../protocol/trace.ts';
import { createModel } from '../../panel/model/model.ts';
import { DIST } from '../support/browsers.ts';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'portscope-panel-firefox-'));
const TRACE = 'demo-firefox.json';

let fixtures: FixtureServer;
let traces: FixtureServer;
let firefox: LaunchedFirefox;
let expectedCounts: string;
let expectedMessages: number;

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** The status line the panel must show, computed in Node by the same model from the same trace. */
function countsOf(traceText: string): { counts: string; messages: number } {
  const model = createModel();
  model.apply(traceFacts(parseTrace(traceText)));
  model.settle();
  const s = model.summary();
  const n = (x: number) => x.toLocaleString('en-US');
  const pl = (x: number, w: string) => `${n(x)} ${w}${x === 1 ? '' : 's'}`;
  const counts = [
    pl(s.channels, 'channel'),
    pl(s.ports.length, 'port'),
    pl(s.messages.posted, 'message'),
    `${n(s.messages.queued)} queued`,
    ...(s.carriers ? [pl(s.carriers, 'carrier')] : []),
  ].join(' · ');
  return { counts, messages: s.messages.posted };
}

/** Where a page really is: puppeteer's BiDi session keeps reporting about:blank for a tab an add-on navigated. */
// An evaluation that starts while the tab is still navigating may never answer: give up after 1 s and ask again.
const hrefOf = (page: Page) =>
  Promise.race([page.evaluate(() => location.href).catch(() => ''), sleep(1_000).then(() => '')]);

/** Has the add-on's background open its panel page in a tab, and returns that tab as a page. */
async function openPanelTab(query: string): Promise<Page> {
  const before = new Set(await firefox.browser.pages());
  const opened = await firefox.background!(
    `browser.tabs.create({ url: browser.runtime.getURL('panel/index.html') + ${JSON.stringify(query)} }).then((t) => String(t.id))`,
  );
  expect(opened).toMatch(/^\d+$/);
  const find = async () => {
    for (const p of await firefox.browser.pages())
      if (!before.has(p) && (await hrefOf(p)).startsWith('moz-extension://')) return p;
    return undefined;
  };
  return until(find, (p) => p !== undefined, 'the panel tab') as Promise<Page>;
}

const countsText = (page: Page) => page.$eval('[data-testid=counts]', (el) => el.textContent ?? '');
const showMessages = (page: Page) => page.$eval('#tab-messages', (el) => (el as HTMLElement).click());
const rowCount = (page: Page) => page.$eval('[role=grid]', (el) => Number(el.getAttribute('aria-rowcount')) - 1);
/** The first row's cells, each on its own (a cell's text may end in a word character). */
const firstRowText = (page: Page) =>
  page.$eval('[role=row][aria-rowindex="2"]', (el) => Array.from(el.children, (c) => c.textContent ?? '').join(' | '));

beforeAll(async () => {
  fixtures = await serveFixtures();
  // A real recording: the CLI drives its own Firefox (no add-on) over the demo site.
  const out = join(dir, TRACE);
  await run(
    process.execPath,
    ['cli/bin.mjs', 'record', `${fixtures.origin}/demo/`, '--out', out, '--duration', '1500', '--browser', 'firefox'],
    {
      env: { ...process.env, PORTSCOPE_DIST: DIST },
    },
  );
  ({ counts: expectedCounts, messages: expectedMessages } = countsOf(readFileSync(out, 'utf8')));
  traces = await serveFixtures(dir);
  // An extension page fetches cross-origin: the trace is served the way a user would have to serve it.
  traces.headers.set(`/${TRACE}`, { 'access-control-allow-origin': '*' });
  firefox = await launchFirefox({ extension: true });
}, 120_000);

afterAll(async () => {
  await firefox?.close();
  await Promise.all([fixtures?.close(), traces?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the panel UI in Firefox (an add-on page, standalone viewer mode)', () => {
  it('the recording is not empty', () => {
    expect(expectedMessages).toBeGreaterThan(0);
  });

  it('?trace= loads the recording: status bar counts and message rows', async () => {
    const page = await openPanelTab(`?trace=${encodeURIComponent(`${traces.origin}/${TRACE}`)}`);
    expect(await hrefOf(page)).toMatch(/^moz-extension:\/\/[0-9a-f-]+\/panel\/index\.html\?trace=/);
    await until(
      () => countsText(page),
      (t) => t === expectedCounts,
      `status bar "${expectedCounts}"`,
    );
    await showMessages(page);
    await until(
      () => rowCount(page),
      (n) => n === expectedMessages,
      `${expectedMessages} message rows`,
    );
    expect(await firstRowText(page)).toMatch(/\bp\d+\b/);
    await page.close();
  });

  it('the Import control loads the same recording', async () => {
    const page = await openPanelTab('');
    await until(
      () => countsText(page),
      (t) => t.startsWith('0 channels'),
      'an empty panel',
    );
    const input = (await page.$('input[type=file]')) as ElementHandle<HTMLInputElement> | null;
    expect(input).not.toBeNull();
    await input!.uploadFile(join(dir, TRACE));
    await until(
      () => countsText(page),
      (t) => t === expectedCounts,
      `status bar "${expectedCounts}"`,
    );
    await showMessages(page);
    await until(
      () => rowCount(page),
      (n) => n === expectedMessages,
      `${expectedMessages} message rows`,
    );
    expect(await firstRowText(page)).toMatch(/\bp\d+\b/);
    await page.close();
  });
});
