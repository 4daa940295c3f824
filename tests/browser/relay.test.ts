/**
 * The relay end to end in real Chromium with the built extension: facts from every frame reach
 * a panel connection (an extension page connecting exactly as the panel does), in order, once,
 * across a stopped service worker, reloads and tabs; the page sees none of the traffic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { evaluateInServiceWorker, launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { until } from '../support/until.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { openProbe, probeState, probeSummary } from '../fixtures/relay/panel-probe.ts';
import type { Fact } from '../../protocol/facts.ts';

let browser: LaunchedChromium;
let server: FixtureServer;
let cdp: CDPSession;
let swVersion = '';

type Debug = {
  facts(tab?: number): Fact[];
  tabs(): { tabId: number; session: string | null; url: string }[];
  clear(): void;
  status(tab: number): unknown;
  forms(): { json: number; objects: number; objectKinds: Record<string, number> };
};
const evalSW = <T>(fn: () => T): Promise<T> => evaluateInServiceWorker(browser, fn);

async function tabIdOf(url: string): Promise<number> {
  const tabs = await until(
    'the tab to reach the background',
    () => evalSW(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.tabs()),
    (t) => t.some((x) => x.url === url),
  );
  return tabs.filter((x) => x.url === url).at(-1)!.tabId;
}

async function openFixture(path: string): Promise<{ page: Page; tabId: number; url: string }> {
  const page = await browser.context.newPage();
  const url = `${server.origin}/relay/${path}`;
  await page.goto(url);
  return { page, url, tabId: await tabIdOf(url) };
}

const postedIn = (facts: { kind: string }[]) => facts.filter((f) => f.kind === 'port-posted').length;

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  // Most tabs here are not watched when their traffic happens: the preference makes them record it.
  await recordWhileClosedChromium(browser.serviceWorker!);
  const blank = browser.context.pages()[0] ?? (await browser.context.newPage());
  cdp = await browser.context.newCDPSession(blank);
  cdp.on(
    'ServiceWorker.workerVersionUpdated',
    (e: { versions: { versionId: string; scriptURL: string; runningStatus: string }[] }) => {
      for (const v of e.versions)
        if (v.scriptURL.startsWith(`chrome-extension://${browser.extensionId}/`)) swVersion = v.versionId;
    },
  );
  await cdp.send('ServiceWorker.enable');
  await until(
    'the extension service worker version',
    async () => swVersion,
    (v) => v !== '',
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('relay (Chromium)', () => {
  it('delivers facts of the main frame, a same-origin and a cross-origin iframe, in order, once; the page sees nothing', async () => {
    const url = `${server.origin}/relay/main.html?cross=${encodeURIComponent(server.crossOrigin)}`;
    const page = await browser.context.newPage();
    await page.goto(url);
    const tabId = await tabIdOf(url);
    const probe = await openProbe(browser.context, browser.extensionId!, tabId);
    await until(
      '3 frames',
      async () => page.frames().length,
      (n) => n === 3,
    );
    const [same, cross] = [
      page.frames().find((f) => f.url().startsWith(server.origin) && f.url().endsWith('frame.html'))!,
      page.frames().find((f) => f.url().startsWith(server.crossOrigin))!,
    ];
    expect(cross, 'cross-origin iframe').toBeTruthy();
    await page.evaluate(() => (window as unknown as { post(n: number): number }).post(100));
    await same.evaluate(() => (window as unknown as { post(n: number): number }).post(50));
    await cross.evaluate(() => (window as unknown as { post(n: number): number }).post(30));

    const s = await until(
      '180 posts at the panel',
      () => probeSummary(probe),
      (x) => (x.kinds['port-posted'] ?? 0) >= 180,
    );
    expect(s.kinds['port-posted']).toBe(180);
    // The cross-origin iframe starts as about:blank (a context of its own) before its src is set.
    expect(s.kinds.context).toBeGreaterThanOrEqual(3);
    expect(s.duplicates).toBe(0);
    expect(s.outOfOrder).toBe(0);
    expect(s.foreign).toBe(0);
    const contexts = (await probeState(probe)).facts
      .filter((f) => f.kind === 'context')
      .map((f) => (f as { url: string }).url);
    expect(contexts.filter((u) => !u.startsWith('about:')).sort()).toEqual(
      [url, `${server.origin}/relay/frame.html`, `${server.crossOrigin}/relay/frame.html`].sort(),
    );

    const viaHook = await evalSW(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts());
    expect(postedIn(viaHook.filter((f) => f.kind === 'port-posted'))).toBeGreaterThanOrEqual(180);
    // The runtimes sent JSON text. Only the last facts of the cross-origin iframe's initial
    // about:blank document, adopted by its parent from another realm, travel as objects.
    const forms = await evalSW(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.forms());
    expect(forms.json).toBeGreaterThan(0);
    expect(Object.keys(forms.objectKinds).filter((k) => k !== 'context' && k !== 'context-destroyed')).toEqual([]);

    const seen = await page.evaluate(() => (window as unknown as { seen: unknown }).seen);
    expect(seen).toEqual({ windowMessages: 0, documentCapture: 0, mutationsAfterLoad: 0 });
    for (const frame of [same, cross])
      expect(await frame.evaluate(() => (window as unknown as { seen: unknown }).seen)).toEqual({
        windowMessages: 0,
        documentCapture: 0,
      });
    await probe.close();
    await page.close();
  });

  it('loses nothing and duplicates nothing when the service worker is stopped mid-stream', async () => {
    const { page, tabId } = await openFixture('plain.html');
    const probe = await openProbe(browser.context, browser.extensionId!, tabId);
    await until(
      'the probe to see the context',
      () => probeSummary(probe),
      (x) => (x.kinds.context ?? 0) >= 1,
    );
    // 3,000 posts over ~1.5 s; the worker is stopped twice while they flow.
    const streaming = page.evaluate(() => {
      const c = new MessageChannel();
      let sent = 0;
      return new Promise<number>((done) => {
        const tick = () => {
          for (let i = 0; i < 20 && sent < 3_000; i++) c.port1.postMessage(sent++);
          if (sent < 3_000) setTimeout(tick, 10);
          else done(sent);
        };
        tick();
      });
    });
    for (const at of [300, 700]) {
      await new Promise((r) => setTimeout(r, at === 300 ? 300 : 400));
      await cdp.send('ServiceWorker.stopWorker', { versionId: swVersion });
    }
    expect(await streaming).toBe(3_000);
    const s = await until(
      '3,000 posts at the panel',
      () => probeSummary(probe),
      (x) => (x.kinds['port-posted'] ?? 0) >= 3_000,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const settled = await probeSummary(probe);
    expect(settled.kinds['port-posted']).toBe(3_000);
    expect(settled.duplicates).toBe(0);
    expect(settled.outOfOrder).toBe(0);
    expect(s.disconnects, 'the probe saw the worker go away').toBeGreaterThanOrEqual(1);
    // The restarted background rebuilt its buffer from the relay: a panel opened now gets everything once.
    const late = await openProbe(browser.context, browser.extensionId!, tabId);
    const l = await until(
      'the late panel to catch up',
      () => probeSummary(late),
      (x) => (x.kinds['port-posted'] ?? 0) >= 3_000,
    );
    expect(l.kinds['port-posted']).toBe(3_000);
    expect(l.duplicates).toBe(0);
    await Promise.all([late.close(), probe.close(), page.close()]);
  });

  it('starts a new session on reload; the panel keeps the old facts (preserve log); a reopened panel gets the buffered history', async () => {
    const { page, tabId, url } = await openFixture('plain.html');
    const probe = await openProbe(browser.context, browser.extensionId!, tabId);
    await page.evaluate(() => (window as unknown as { post(n: number): number }).post(10));
    const before = await until(
      '10 posts',
      () => probeSummary(probe),
      (x) => (x.kinds['port-posted'] ?? 0) >= 10,
    );
    expect(before.sessions).toHaveLength(1);
    await page.reload();
    await page.evaluate(() => (window as unknown as { post(n: number): number }).post(7));
    const after = await until(
      '17 posts over two sessions',
      () => probeSummary(probe),
      (x) => (x.kinds['port-posted'] ?? 0) >= 17,
    );
    expect(after.kinds['port-posted']).toBe(17);
    expect(after.sessions).toHaveLength(2);
    expect(after.sessions[1].url).toBe(url);
    expect(after.sessions[1].session).not.toBe(after.sessions[0].session);
    // The background holds the current session only; a panel opened now (DevTools reopened) gets it in full.
    const reopened = await openProbe(browser.context, browser.extensionId!, tabId);
    const r = await until(
      'the reopened panel',
      () => probeSummary(reopened),
      (x) => (x.kinds['port-posted'] ?? 0) >= 7,
    );
    await new Promise((res) => setTimeout(res, 300));
    expect((await probeSummary(reopened)).kinds['port-posted']).toBe(7);
    expect(r.sessions).toEqual([after.sessions[1]]);
    await Promise.all([reopened.close(), probe.close(), page.close()]);
  });

  it('keeps two tabs apart', async () => {
    const a = await openFixture('plain.html?tab=a');
    const b = await openFixture('plain.html?tab=b');
    expect(a.tabId).not.toBe(b.tabId);
    const [pa, pb] = [
      await openProbe(browser.context, browser.extensionId!, a.tabId),
      await openProbe(browser.context, browser.extensionId!, b.tabId),
    ];
    await a.page.evaluate(() => (window as unknown as { post(n: number): number }).post(11));
    await b.page.evaluate(() => (window as unknown as { post(n: number): number }).post(22));
    const [sa, sb] = [
      await until(
        'tab a',
        () => probeSummary(pa),
        (x) => (x.kinds['port-posted'] ?? 0) >= 11,
      ),
      await until(
        'tab b',
        () => probeSummary(pb),
        (x) => (x.kinds['port-posted'] ?? 0) >= 22,
      ),
    ];
    await new Promise((r) => setTimeout(r, 300));
    expect((await probeSummary(pa)).kinds['port-posted']).toBe(11);
    expect((await probeSummary(pb)).kinds['port-posted']).toBe(22);
    expect([sa.foreign, sb.foreign]).toEqual([0, 0]);
    expect(sa.sessions[0].url).toBe(a.url);
    expect(sb.sessions[0].url).toBe(b.url);
    await Promise.all([pa.close(), pb.close(), a.page.close(), b.page.close()]);
  });

  it('accounts for a flood of 200,000 messages: delivered + counted drops = emitted', async () => {
    const { page, tabId } = await openFixture('plain.html?flood');
    const probe = await openProbe(browser.context, browser.extensionId!, tabId);
    await until(
      'the probe to see the context',
      () => probeSummary(probe),
      (x) => (x.kinds.context ?? 0) >= 1,
    );
    expect(await page.evaluate(() => (window as unknown as { post(n: number): number }).post(200_000))).toBe(200_000);
    const accounted = (x: Awaited<ReturnType<typeof probeSummary>>) =>
      (x.kinds['port-posted'] ?? 0) + (x.status?.dropped['port-posted'] ?? 0) + (x.runtimeDropped['port-posted'] ?? 0);
    const s = await until(
      'every post delivered or counted',
      () => probeSummary(probe),
      (x) => accounted(x) >= 200_000,
      120_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const settled = await probeSummary(probe);
    expect(accounted(settled)).toBe(200_000);
    expect(settled.duplicates).toBe(0);
    console.log(
      `flood: delivered ${settled.kinds['port-posted']}, relay drops ${JSON.stringify(settled.status?.dropped)}, runtime drops ${JSON.stringify(settled.runtimeDropped)}, buffered ${settled.status?.buffered}, evicted ${JSON.stringify(settled.status?.evicted)}`,
    );
    expect(s.foreign).toBe(0);
    await Promise.all([probe.close(), page.close()]);
  }, 180_000);

  it('an idle tab lets its port go; after the worker restarts, a panel gets the history rebuilt from the relays', async () => {
    const { page, tabId } = await openFixture('plain.html?idle');
    await page.evaluate(() => (window as unknown as { post(n: number): number }).post(10));
    await until(
      '10 posts in the background',
      () => evalSW(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts().length),
      (n) => n >= 11,
    );
    // Past the relay's idle delay its port is closed; then the worker is stopped and forgets everything.
    await new Promise((r) => setTimeout(r, 2_600));
    await cdp.send('ServiceWorker.stopWorker', { versionId: swVersion });
    const probe = await openProbe(browser.context, browser.extensionId!, tabId);
    const s = await until(
      'the rebuilt history',
      () => probeSummary(probe),
      (x) => (x.kinds['port-posted'] ?? 0) >= 10,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await probeSummary(probe)).kinds['port-posted']).toBe(10);
    expect(s.duplicates).toBe(0);
    await Promise.all([probe.close(), page.close()]);
  });
});
