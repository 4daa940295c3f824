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
import type { Fact } from '../../protocol/facts.ts';

type Status = { dropped: Record<string, number>; rejected: number; lastError?: string };
type Context = Extract<Fact, { kind: 'context' }>;
type Reached = {
  calls: number;
  natives: string[];
  runtimeFunctions: number;
  batches: number;
  hidden: number;
  port: string | null;
  portIsChilds: boolean;
  type: string;
};

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
const postsTagged = (all: Fact[], tag: string) =>
  all.filter((f) => f.kind === 'port-posted' && f.preview.t === 'string' && f.preview.v.startsWith(tag)).length;
const contextOf = (all: Fact[], path: string) =>
  all.find((f): f is Context => f.kind === 'context' && f.url.includes(`/about-blank-reach/${path}`));

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
  it('the documents are what they say: the ad is cross-origin, its child of its origin, nothing refused', async () => {
    expect(ctx.top.origin).toBe(server.origin);
    expect(ctx.ad.origin).toBe(server.crossOrigin);
    expect(ctx.child.origin).toBe(server.crossOrigin);
    expect((await status())?.rejected).toBe(0);
  });

  it("the parent's replacement is the child runtime's Reflect.apply: it gets the relay's end of the private channel and runtime functions", async () => {
    const r = await reached();
    // What the runtime hands a page's Reflect.apply, pinned: if this goes, the residue in the README changes.
    expect(r.batches).toBeGreaterThanOrEqual(1);
    expect(r.portIsChilds).toBe(true);
    expect(r.port).toBe('[object MessagePort]');
    expect(r.type).toMatch(/^portscope-batch-[0-9a-f]+$/);
    expect(r.natives).toEqual(expect.arrayContaining(['dispatchEvent', 'addEventListener', 'postMessage']));
    expect(r.runtimeFunctions).toBeGreaterThan(0);
  });

  it("can hide the child's batches; a hidden run between delivered ones is counted missing", async () => {
    const before = (await status())?.dropped.missing ?? 0;
    await ad.evaluate(() => (window as unknown as { hide(on: boolean): void }).hide(true));
    const hiddenBefore = (await reached()).hidden;
    await post('hidden-', 5);
    await until('the runtime to hand the hidden posts to the replacement', reached, (r) => r.hidden > hiddenBefore);
    await ad.evaluate(() => (window as unknown as { hide(on: boolean): void }).hide(false));
    await post('shown-', 3);
    const all = await until('the posts after it', facts, (f) => postsTagged(f, 'shown-') === 3);
    expect(postsTagged(all, 'hidden-')).toBe(0);
    // The child's facts are numbered; the background notes the run that never came.
    const s = await until('the gap to be counted', status, (x) => (x?.dropped.missing ?? 0) - before >= 5);
    expect((s?.dropped.missing ?? 0) - before).toBe(5);
  });

  it('can forge facts of its child, but not a context of another origin nor facts of another frame', async () => {
    const time = Date.now();
    const note = (c: string, code: string) => ({
      kind: 'runtime-note',
      ctx: c,
      code,
      message: 'written by the parent',
      seq: 1_000_000,
      time,
    });
    const context = (c: string, url: string, origin: string) => ({
      kind: 'context',
      ctx: c,
      contextKind: 'iframe',
      url,
      origin,
      framePath: 'top.frames[0]',
      observed: true,
      userAgent: 'forged',
      seq: 1,
      time,
    });
    const forged = [
      note(ctx.child.ctx, 'forged-child'),
      context('bada55bada55bada55ba', 'https://bank.example/transfer', 'https://bank.example'),
      context('bada55bada55bada55bb', 'https://bank.example/transfer', server.crossOrigin),
      context('bada55bada55bada55bc', `${server.origin}/about-blank-reach/top.html`, server.origin),
      note(ctx.top.ctx, 'forged-top'),
      note(ctx.ad.ctx, 'forged-ad'),
      context(ctx.top.ctx, `${server.crossOrigin}/about-blank-reach/top.html`, server.crossOrigin),
    ];
    expect(await forge(forged)).toBe(true);
    const all = await until('the forged batch to be taken', facts, (f) =>
      f.some((x) => x.kind === 'runtime-note' && x.code === 'forged-child'),
    );
    // (a) The relay's end of the channel takes the batch: the child's context speaks as the parent says.
    expect(all.filter((f) => f.kind === 'runtime-note' && f.code === 'forged-child')).toHaveLength(1);
    // (b) No context of another origin, nor a URL of another origin under the frame's own.
    expect(all.filter((f) => f.kind === 'context' && f.url.startsWith('https://bank.example'))).toEqual([]);
    expect(all.filter((f) => f.kind === 'context' && f.ctx.startsWith('bada55'))).toEqual([]);
    // (c) Nothing in the top document's or the ad's own context, and the top's context is still its own.
    expect(
      all.filter((f) => f.kind === 'runtime-note' && f.code !== 'forged-child' && f.code.startsWith('forged')),
    ).toEqual([]);
    expect(all.filter((f) => f.kind === 'context' && f.ctx === ctx.top.ctx).map((f) => (f as Context).origin)).toEqual([
      server.origin,
    ]);
    const s = await until('the refusals to be counted', status, (x) => (x?.rejected ?? 0) >= 6);
    expect(s?.rejected).toBe(6);
    expect(s?.lastError).toMatch(/context "[0-9a-f]{20}"/);
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
