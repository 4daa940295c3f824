/**
 * Firefox: a frame sandboxed by its `Content-Security-Policy: sandbox allow-same-origin` header.
 * Its page scripts do not run, but Firefox still runs the MAIN-world runtime there (measured in
 * ESR 153), so the frame is observed from inside and its relay, holding the runtime's port, takes
 * none a same-origin parent offers in the runtime's name (Chromium, where no runtime runs there:
 * sandbox-csp.test.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { DIST_FIREFOX } from '../support/browsers.ts';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let firefox: LaunchedFirefox;
let server: FixtureServer;

const background = (text: string) => firefox.background!(text);
const backgroundFacts = async () =>
  JSON.parse(await background('JSON.stringify(globalThis.portscopeDebug.facts())')) as Fact[];

beforeAll(async () => {
  server = await serveFixtures();
  server.headers.set('/hostile/sandbox-csp-frame.html', { 'content-security-policy': 'sandbox allow-same-origin' });
  firefox = await launchFirefox({ extension: true });
  await recordWhileClosedFirefox(background);
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('a frame sandboxed by a CSP header (Firefox)', () => {
  it('takes no forged port; the runtime that runs there observes the frame', async () => {
    const nonce = readFileSync(`${DIST_FIREFOX}/injected/main.iife.js`, 'utf8').match(/[0-9a-f]{24}/)?.[0] ?? '';
    expect(nonce).toMatch(/^[0-9a-f]{24}$/);
    await background("globalThis.portscopeDebug.clear(); 'ok'");
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/hostile/sandbox-csp.html`);
    await page.evaluate(() => (window as unknown as { loaded: Promise<unknown> }).loaded);
    await page.evaluate((n) => (window as unknown as { forge(nonce: string): void }).forge(n), nonce);
    // The frame's page script did not run: the header took effect.
    expect(await page.frames()[1].title()).toBe('sandboxed by CSP');
    const frameUrl = `${server.origin}/hostile/sandbox-csp-frame.html`;
    const inside = (f: Fact[]) => {
      const frame = f.find((x) => x.kind === 'context' && x.url === frameUrl);
      return frame ? f.filter((x) => x.kind === 'port-posted' && x.ctx === frame.ctx) : [];
    };
    await until("the frame's own post, seen from inside", backgroundFacts, (f) => inside(f).length > 0);
    await new Promise((r) => setTimeout(r, 500));
    const all = await backgroundFacts();
    expect(all.filter((f) => f.kind === 'context' && f.url.includes('bank.example'))).toEqual([]);
    expect(all.filter((f) => f.kind === 'context').map((f) => f.kind === 'context' && [f.url, f.observed])).toEqual([
      [`${server.origin}/hostile/sandbox-csp.html`, true],
      [frameUrl, true],
    ]);
    expect(all.filter((f) => f.kind === 'runtime-note' && f.code === 'no-runtime')).toEqual([]);
    await page.close();
  });
});
