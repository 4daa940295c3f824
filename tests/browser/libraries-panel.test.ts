/**
 * The REAL panel in Chromium's DevTools on real library pages, with the built extension: the
 * channel React's scheduler made is named in the Channels tree and `library:react` keeps
 * exactly its messages; the port workbox-window's service worker hands the page (seen from
 * outside through the extension) carries a "seen late" badge. (The model's side of both:
 * libraries-*.test.ts; the components in Node: tests/node/panel/model-knowledge.test.tsx.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { PAGES, serveLibraries, type LibrarySite } from './libraries-pages.ts';

let site: LibrarySite;
let session: DevToolsSession;
let panel: Frame;

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    // The panel redraws on a new page: a read in between may find no element yet.
    const read1 = await read().then(
      (v) => ({ v }),
      () => null,
    );
    if (read1) {
      last = read1.v;
      if (ok(read1.v)) return read1.v;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const clickTab = (name: string) => panel.$eval(`#tab-${name}`, (el) => (el as HTMLElement).click());
const rowCount = () => panel.$eval('[role=grid]', (el) => Number(el.getAttribute('aria-rowcount')) - 1);
const treeText = () => panel.$eval('[role=tree]', (el) => el.textContent ?? '');
async function setFilter(text: string) {
  await panel.click('input[type=search]', { count: 3 });
  await session.devtools.keyboard.press('Backspace');
  await panel.type('input[type=search]', text);
}

async function open(url: string) {
  await session.page.goto(url);
  await session.page.waitForFunction(() => document.documentElement.dataset.done === '1', { timeout: 15_000 });
}

beforeAll(async () => {
  site = await serveLibraries();
  session = await launchWithDevTools();
  panel = await showPanel(session.devtools, session.extensionId);
});

afterAll(async () => {
  await session?.close();
  await site?.close();
});

describe('the real panel on library pages', () => {
  it("names React's scheduler channel in the Channels tree, and library:react keeps exactly its messages", async () => {
    await open(site.reactOrigin + PAGES.react.path);
    const posts = (await session.page.evaluate(() => (window as unknown as { portPosts: number }).portPosts)) as number;
    expect(posts).toBeGreaterThan(0);
    await clickTab('messages');
    await until(rowCount, (n) => n === posts, `${posts} message rows`);
    await clickTab('channels');
    const tree = await until(treeText, (t) => t.includes('React scheduler'), 'the library in the tree');
    expect(tree.match(/React scheduler/g)).toHaveLength(2);
    await clickTab('messages');
    await setFilter('library:react');
    await until(rowCount, (n) => n === posts, 'every row kept by library:react');
    await setFilter('-library:react');
    await until(rowCount, (n) => n === 0, 'no row left by -library:react');
    await setFilter('library:comlink');
    await until(rowCount, (n) => n === 0, 'no comlink row');
    const from = await panel
      .$eval('[role=row][aria-rowindex] .c-from', (el) => el.getAttribute('title') ?? '')
      .catch(() => '');
    expect(from).toBe('');
    await setFilter('library:react');
    await until(rowCount, (n) => n === posts, 'rows back');
    const title = await panel.$eval('[role=row][aria-rowindex="2"] .c-from', (el) => el.getAttribute('title') ?? '');
    expect(title).toMatch(/^window \/ · channel c\d+ \(made by React scheduler\)$/);
    await setFilter('');
  });

  it('marks the port a service worker hands the page as seen late, and says why', async () => {
    // A service worker needs a secure context: localhost.
    await open(site.crossOrigin + PAGES.workbox.path);
    await clickTab('channels');
    await until(treeText, (t) => t.includes('seen late'), 'the seen-late badge');
    const title = await panel.$$eval(
      '.tree-port .badge',
      (els) => els.find((el) => el.textContent?.trim() === 'seen late')?.getAttribute('title') ?? '',
    );
    expect(title).toContain('arrived by a path Portscope does not observe');
  });
});
