/**
 * The realm bridge's key is no longer made of the build's nonce (a literal in the released
 * script): a page that read it gets the native TypeError from Function.prototype.toString, in
 * its own realm and in a same-origin child's, while the runtimes still find each other, so a
 * call made from the parent's realm on the child's postMessage keeps the parent as its source
 * and is recorded in the parent (Chromium, the built extension).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { DIST_CHROME } from '../support/browsers.ts';
import { evaluateInServiceWorker, launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

type Debug = { portscopeDebug: { facts(): Fact[]; clear(): void } };

let browser: LaunchedChromium;
let server: FixtureServer;

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(browser.serviceWorker!);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the realm bridge key (Chromium)', () => {
  it("the build's nonce finds no bridge; the runtimes still find each other", async () => {
    const runtime = readFileSync(`${DIST_CHROME}/injected/main.iife.js`, 'utf8');
    const nonce = runtime.match(/portscope-offer-/) ? (runtime.match(/[0-9a-f]{24}/)?.[0] ?? '') : '';
    expect(nonce).toMatch(/^[0-9a-f]{24}$/);
    await evaluateInServiceWorker(browser, () => (globalThis as unknown as Debug).portscopeDebug.clear());
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/realm/parent.html`);
    await page.evaluate(() => (window as unknown as { loaded: Promise<unknown> }).loaded);
    const tried = await page.evaluate((n) => (window as unknown as { probe(n: string): string[] }).probe(n), nonce);
    expect(tried).toEqual(['parent: TypeError', 'child: TypeError']);
    type Seen = { sourceIsParent: boolean; ports: number };
    const seen = await page.evaluate(() => (window as unknown as { crossRealm(): Promise<Seen> }).crossRealm());
    expect(seen).toEqual({ sourceIsParent: true, ports: 1 });
    const read = () => evaluateInServiceWorker(browser, () => (globalThis as unknown as Debug).portscopeDebug.facts());
    const facts = await until('the carrier post', read, (f) => f.some((x) => x.kind === 'carrier-posted'));
    const parent = facts.find((f) => f.kind === 'context' && f.url.endsWith('/realm/parent.html'));
    const posted = facts.filter((f) => f.kind === 'carrier-posted');
    // Recorded by the runtime of the realm that made the call.
    expect(posted.map((f) => f.ctx)).toEqual([parent?.ctx]);
    await page.close();
  });

  it("a same-origin popup finds its opener's runtime too", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/realm/parent.html`);
    await page.evaluate(() => (window as unknown as { loaded: Promise<unknown> }).loaded);
    const seen = await page.evaluate(() => (window as unknown as { throughPopup(): Promise<unknown> }).throughPopup());
    expect(seen).toEqual({ sourceIsOpener: true });
    await page.close();
  });
});
