/**
 * A frame's first about:blank as a door into its runtime, in real Chromium with the test build
 * (issue #14). A cross-origin frame (an ad, say) replaces `Reflect.apply` in its same-origin
 * child's initial about:blank; the child then loads a same-origin document, the browser keeps
 * that Window (HTML Standard), and the child's runtime captures the replacement as a native
 * (tests/fixtures/about-blank-reach/). What the replacement receives is recorded and pinned; what
 * the parent can do with it is bounded in the background (extension/fact-sender.ts): it can speak
 * for its child, and hide the child's batches, but not for another origin or another frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';
import type { Fact } from '../../protocol/facts.ts';

type Status = { dropped: Record<string, number>; rejected: number; lastError?: string };
type Debug = {
  facts(tab: number): Fact[];
  status(tab: number): Status | null;
  tabs(): { tabId: number; url: string }[];
};
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

let browser: LaunchedChromium;
let server: FixtureServer;
let page: Page;
let tabId = 0;
let ad: Frame;
let child: Frame;
/** The contexts of the three documents, as their own runtimes announced them. */
let ctx: { top: Context; ad: Context; child: Context };

const sw = () => browser.context.serviceWorkers()[0] ?? browser.serviceWorker!;
const facts = () =>
  sw().evaluate((tab) => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts(tab), tabId);
const status = () =>
  sw().evaluate((tab) => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.status(tab), tabId);
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
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(browser.serviceWorker!);
  page = await browser.context.newPage();
  const url = `${server.origin}/about-blank-reach/top.html?ad=${encodeURIComponent(server.crossOrigin)}`;
  await page.goto(url);
  const tabs = await until(
    'the tab at the background',
    () => sw().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.tabs()),
    (t) => t.some((x) => x.url === url),
  );
  tabId = tabs.filter((x) => x.url === url).at(-1)!.tabId;
  const all = await until('the contexts of the top, the ad and its child', facts, (f) =>
    ['top.html', 'ad.html', 'child.html'].every((p) => contextOf(f, p)),
  );
  ctx = { top: contextOf(all, 'top.html')!, ad: contextOf(all, 'ad.html')!, child: contextOf(all, 'child.html')! };
  ad = page.frame({ name: 'ad' })!;
  child = ad.childFrames().find((f) => f.name() === 'child')!;
  await until(
    "the child's document",
    () => child.evaluate(() => typeof (window as unknown as { post?: unknown }).post),
    (t) => t === 'function',
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a frame's first about:blank (Chromium)", () => {
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

  it('refuses nothing of an ordinary page: srcdoc, written, about:blank and sandboxed frames, a blob: worker seen from inside', async () => {
    const other = await browser.context.newPage();
    const url = `${server.origin}/about-blank-reach/ordinary.html`;
    await other.goto(url);
    const tabs = await until(
      'the tab at the background',
      () => sw().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.tabs()),
      (t) => t.some((x) => x.url === url),
    );
    const otherTab = tabs.filter((x) => x.url === url).at(-1)!.tabId;
    const read = (fn: 'facts' | 'status') =>
      sw().evaluate(
        ([tab, f]) => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug[f](tab as number),
        [otherTab, fn] as const,
      );
    // In-worker instrumentation, turned on as the panel does: the workers' contexts come through the page's relay.
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/extension/devtools.html`);
    await panel.evaluate((tab) => {
      const port = chrome.runtime.connect({ name: 'portscope-panel' });
      port.postMessage({ type: 'subscribe', tabId: tab });
      port.postMessage({ type: 'config', config: { captureStacks: false, inWorker: true } });
      (globalThis as unknown as { panelPort: unknown }).panelPort = port;
    }, otherTab);
    await until(
      'the in-worker verdict',
      async () => (await read('facts')) as Fact[],
      (f) => f.some((x) => x.kind === 'runtime-note' && x.code === 'in-worker-ready'),
    );
    expect(await other.evaluate(() => (window as unknown as { workers(): Promise<number> }).workers())).toBe(2);
    const all = await until(
      'a post from every document and the blob: worker',
      async () => (await read('facts')) as Fact[],
      (f) => ['written', 'blank', 'srcdoc', 'blob-worker'].every((tag) => postsTagged(f, tag) === 1),
    );
    const byUrl = (all.filter((f) => f.kind === 'context') as Context[]).map((c) => [
      c.contextKind,
      c.url.replace(/^blob:.*/, 'blob:').replace(server.origin, ''),
      c.origin.replace(server.origin, 'same'),
    ]);
    expect(byUrl).toEqual(
      expect.arrayContaining([
        ['window', '/about-blank-reach/ordinary.html', 'same'],
        ['iframe', 'about:srcdoc', 'same'],
        ['iframe', '/about-blank-reach/child.html', 'null'],
        ['iframe', '/about-blank-reach/child.html', 'same'],
        ['iframe', 'about:blank', 'same'],
        ['worker', 'blob:', 'same'],
      ]),
    );
    expect(await read('status')).toMatchObject({ rejected: 0 });
    await Promise.all([panel.close(), other.close()]);
  });
});
