/**
 * The Firefox half of about-blank-reach.test.ts (ESR 153, the add-on's test build): the same
 * fixtures and the same attack, with the same outcome. Firefox runs no add-on script in the
 * child's initial about:blank and keeps that Window for the child's document, so the child's
 * runtime captures the parent's `Reflect.apply`; the background bounds what the parent can then
 * say (extension/fact-sender.ts). Firefox reads `sender.origin` for every frame, about:blank,
 * about:srcdoc and sandboxed ones included (measured in ESR 153), as Chromium does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { firefoxTabId, launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
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

let firefox: LaunchedFirefox;
let server: FixtureServer;
let page: Page;
let tabId = 0;
let ad: Frame;
let child: Frame;
/** The contexts of the three documents, as their own runtimes announced them. */
let ctx: { top: Context; ad: Context; child: Context };

const background = (text: string) => firefox.background!(text);
const facts = async () =>
  JSON.parse(await background(`JSON.stringify(globalThis.portscopeDebug.facts(${tabId}))`)) as Fact[];
const status = async () =>
  JSON.parse(await background(`JSON.stringify(globalThis.portscopeDebug.status(${tabId}))`)) as Status | null;
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
  firefox = await launchFirefox({ extension: true });
  await recordWhileClosedFirefox(background);
  page = await firefox.browser.newPage();
  const url = `${server.origin}/about-blank-reach/top.html?ad=${encodeURIComponent(server.crossOrigin)}`;
  await page.goto(url);
  tabId = await firefoxTabId(background, url);
  const all = await until('the contexts of the top, the ad and its child', facts, (f) =>
    ['top.html', 'ad.html', 'child.html'].every((p) => contextOf(f, p)),
  );
  ctx = { top: contextOf(all, 'top.html')!, ad: contextOf(all, 'ad.html')!, child: contextOf(all, 'child.html')! };
  ad = page.frames().find((f) => f.url().endsWith('/about-blank-reach/ad.html'))!;
  child = page.frames().find((f) => f.url().endsWith('/about-blank-reach/child.html'))!;
  await until(
    "the child's document",
    () => child.evaluate(() => typeof (window as unknown as { post?: unknown }).post),
    (t) => t === 'function',
  );
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe("a frame's first about:blank (Firefox)", () => {
  reachTests({
    state: () => ({ ctx, server }),
    facts,
    status,
    reached,
    forge,
    hide: (on) => ad.evaluate((o) => (window as unknown as { hide(on: boolean): void }).hide(o), on),
    post,
  });

  it('refuses nothing of an ordinary page: srcdoc, written, about:blank and sandboxed frames', async () => {
    const other = await firefox.browser.newPage();
    const url = `${server.origin}/about-blank-reach/ordinary.html`;
    await other.goto(url);
    const otherTab = await firefoxTabId(background, url);
    const read = async (what: 'facts' | 'status') =>
      JSON.parse(await background(`JSON.stringify(globalThis.portscopeDebug.${what}(${otherTab}))`));
    const all = (await until(
      'a post from every document',
      () => read('facts'),
      (f: Fact[]) => ['written', 'blank', 'srcdoc'].every((tag) => postsTagged(f, tag) === 1),
    )) as Fact[];
    const byUrl = (all.filter((f) => f.kind === 'context') as Context[]).map((c) => [
      c.contextKind,
      c.url.replace(server.origin, ''),
      c.origin.replace(server.origin, 'same'),
    ]);
    expect(byUrl).toEqual(
      expect.arrayContaining([
        ['window', '/about-blank-reach/ordinary.html', 'same'],
        ['iframe', 'about:srcdoc', 'same'],
        ['iframe', '/about-blank-reach/child.html', 'null'],
        ['iframe', '/about-blank-reach/child.html', 'same'],
        ['iframe', 'about:blank', 'same'],
      ]),
    );
    expect(await read('status')).toMatchObject({ rejected: 0 });
    await other.close();
  });
});
