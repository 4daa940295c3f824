/**
 * The realm bridge's key in Firefox is no longer made of the build's nonce (a literal in the
 * released script): a page that read it gets the native TypeError from
 * Function.prototype.toString, in its own realm and in a same-origin child's, and asking the
 * relays for the secret gets an answer it cannot read, while the runtimes still find
 * each other, so a call made from the parent's realm on the child's postMessage keeps the parent
 * as its source and is recorded in the parent (Firefox ESR, the built add-on).
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
  firefox = await launchFirefox({ extension: true });
  await recordWhileClosedFirefox(background);
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('the realm bridge key (Firefox)', () => {
  it("the build's nonce finds no bridge and a forged ask gets an unreadable answer; the runtimes still find each other", async () => {
    const runtime = readFileSync(`${DIST_FIREFOX}/injected/main.iife.js`, 'utf8');
    const nonce = runtime.match(/portscope-offer-/) ? (runtime.match(/[0-9a-f]{24}/)?.[0] ?? '') : '';
    expect(nonce).toMatch(/^[0-9a-f]{24}$/);
    await background("globalThis.portscopeDebug.clear(); 'ok'");
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/realm/parent.html`);
    await page.evaluate(() => (window as unknown as { loaded: Promise<unknown> }).loaded);
    const tried = await page.evaluate((n) => (window as unknown as { probe(n: string): string[] }).probe(n), nonce);
    expect(tried).toEqual(['parent: TypeError', 'child: TypeError']);
    type Asked = { answers: number; read: string[] };
    const asked = await page.evaluate((n) => (window as unknown as { forgeAsk(n: string): Asked }).forgeAsk(n), nonce);
    // Each relay answers, with an object of its own world: nothing of it can be read in the page.
    expect(asked).toEqual({ answers: 2, read: [] });
    type Seen = { sourceIsParent: boolean; ports: number };
    const seen = await page.evaluate(() => (window as unknown as { crossRealm(): Promise<Seen> }).crossRealm());
    expect(seen).toEqual({ sourceIsParent: true, ports: 1 });
    const facts = await until('the carrier post', backgroundFacts, (f) => f.some((x) => x.kind === 'carrier-posted'));
    const parent = facts.find((f) => f.kind === 'context' && f.url.endsWith('/realm/parent.html'));
    // Recorded by the runtime of the realm that made the call.
    expect(facts.filter((f) => f.kind === 'carrier-posted').map((f) => f.ctx)).toEqual([parent?.ctx]);
    await page.close();
  });
});
