/**
 * A frame sandboxed by its `Content-Security-Policy: sandbox allow-same-origin` header (not by
 * an attribute the relay could read): no script runs in it, so no runtime does. Its relay must
 * take no port a same-origin parent offers in the runtime's name, and must report the document
 * as not observable (Chromium, the built extension; the attribute case is in hostile.test.ts).
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
  server.headers.set('/hostile/sandbox-csp-frame.html', { 'content-security-policy': 'sandbox allow-same-origin' });
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(browser.serviceWorker!);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a frame sandboxed by a CSP header (Chromium)', () => {
  it('takes no forged port and is reported as not observable', async () => {
    const runtime = readFileSync(`${DIST_CHROME}/injected/main.iife.js`, 'utf8');
    const nonce = runtime.match(/portscope-offer-/) ? (runtime.match(/[0-9a-f]{24}/)?.[0] ?? '') : '';
    expect(nonce).toMatch(/^[0-9a-f]{24}$/);
    await evaluateInServiceWorker(browser, () => (globalThis as unknown as Debug).portscopeDebug.clear());
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/hostile/sandbox-csp.html`);
    await page.evaluate(() => (window as unknown as { loaded: Promise<unknown> }).loaded);
    // The header took effect: the frame's own script did not run.
    expect(await page.frames()[1].title()).toBe('sandboxed by CSP');
    await page.evaluate((n) => (window as unknown as { forge(nonce: string): void }).forge(n), nonce);
    const read = () => evaluateInServiceWorker(browser, () => (globalThis as unknown as Debug).portscopeDebug.facts());
    const noted = (f: Fact[]) => f.some((x) => x.kind === 'runtime-note' && x.code === 'no-runtime');
    await until('the frame reported as not observable', read, noted);
    await new Promise((r) => setTimeout(r, 500));
    const all = await read();
    expect(all.filter((f) => f.kind === 'context' && f.url.includes('bank.example'))).toEqual([]);
    const unobserved = all.filter((f) => f.kind === 'context' && !f.observed);
    const frameUrl = `${server.origin}/hostile/sandbox-csp-frame.html`;
    expect(unobserved.map((f) => f.kind === 'context' && f.url)).toEqual([frameUrl]);
    await page.close();
  });
});
