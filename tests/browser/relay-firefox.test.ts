/**
 * The injected → content → background path in Firefox ESR with the built add-on: facts of the
 * main frame, a same-origin and a cross-origin iframe reach the background (read through the
 * Firefox debugger protocol), in order and once; the page sees none of the traffic.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser } from 'puppeteer-core';
import { DIST_FIREFOX, firefoxPath } from '../support/browsers.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { RDP_PREFS, Rdp } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';

const RDP_PORT = 6_000 + Math.floor(Math.random() * 1_000);
let browser: Browser;
let server: FixtureServer;
let rdp: Rdp;
let consoleActor: string;

/** Counts computed in the background (results must stay short). */
const SUMMARY = `JSON.stringify((() => {
  const facts = globalThis.portscopeDebug.facts();
  const kinds = {}, last = {}, seen = new Set(); let outOfOrder = 0, duplicates = 0;
  for (const f of facts) {
    kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
    const key = f.ctx + ':' + f.seq; if (seen.has(key)) duplicates++; seen.add(key);
    if ((last[f.ctx] ?? 0) >= f.seq) outOfOrder++; last[f.ctx] = f.seq;
  }
  const urls = facts.filter((f) => f.kind === 'context').map((f) => f.url);
  return { kinds, outOfOrder, duplicates, urls, tabs: globalThis.portscopeDebug.tabs(), forms: globalThis.portscopeDebug.forms() };
})())`;

type Summary = {
  kinds: Record<string, number>;
  outOfOrder: number;
  duplicates: number;
  urls: string[];
  tabs: { tabId: number; url: string }[];
  forms: { json: number; objects: number; objectKinds: Record<string, number> };
};

async function summary(): Promise<Summary> {
  return JSON.parse(await rdp.evaluate(consoleActor, SUMMARY)) as Summary;
}

async function until(what: string, ok: (s: Summary) => boolean, timeout = 20_000): Promise<Summary> {
  const end = Date.now() + timeout;
  for (;;) {
    const s = await summary();
    if (ok(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  server = await serveFixtures();
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    args: ['--start-debugger-server', String(RDP_PORT)],
    extraPrefsFirefox: RDP_PREFS,
  });
  const addonId = await browser.installExtension(DIST_FIREFOX);
  rdp = await Rdp.open(RDP_PORT);
  consoleActor = await rdp.addonConsole(addonId);
  // Nobody watches these tabs: the preference makes them record every message.
  await recordWhileClosedFirefox((text) => rdp.evaluate(consoleActor, text));
});

afterAll(async () => {
  rdp?.close();
  await browser?.close();
  await server?.close();
});

describe('relay (Firefox)', () => {
  it('facts of the main frame and same- and cross-origin iframes reach the background, once and in order', async () => {
    const page = await browser.newPage();
    const url = `${server.origin}/relay/main.html?cross=${encodeURIComponent(server.crossOrigin)}`;
    await page.goto(url);
    const frameUrls = [`${server.origin}/relay/frame.html`, `${server.crossOrigin}/relay/frame.html`];
    await until('three documents', (s) => [url, ...frameUrls].every((u) => s.urls.includes(u)));
    const frames = page.frames();
    const same = frames.find((f) => f.url() === frameUrls[0])!;
    const cross = frames.find((f) => f.url() === frameUrls[1])!;
    expect(same && cross).toBeTruthy();
    await page.evaluate(() => (window as unknown as { post(n: number): number }).post(100));
    await same.evaluate(() => (window as unknown as { post(n: number): number }).post(50));
    await cross.evaluate(() => (window as unknown as { post(n: number): number }).post(30));
    await until('180 posts', (s) => (s.kinds['port-posted'] ?? 0) >= 180);
    await new Promise((r) => setTimeout(r, 500));
    const s = await summary();
    expect(s.kinds['port-posted']).toBe(180);
    expect(s.duplicates).toBe(0);
    expect(s.outOfOrder).toBe(0);
    expect(s.tabs.filter((t) => t.url === url)).toHaveLength(1);
    // The runtimes sent JSON text. Only the last facts of an iframe's initial about:blank
    // document, adopted by its parent from another realm, travel as objects.
    expect(s.forms.json).toBeGreaterThan(0);
    expect(Object.keys(s.forms.objectKinds).filter((k) => k !== 'context' && k !== 'context-destroyed')).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { seen: unknown }).seen)).toEqual({
      windowMessages: 0,
      documentCapture: 0,
      mutationsAfterLoad: 0,
    });
    for (const f of [same, cross])
      expect(await f.evaluate(() => (window as unknown as { seen: unknown }).seen)).toEqual({
        windowMessages: 0,
        documentCapture: 0,
      });
    await page.close();
  });

  it('a frame sandboxed without scripts takes no forged port and is reported as not observable', async () => {
    const nonce = readFileSync(`${DIST_FIREFOX}/injected/main.iife.js`, 'utf8').match(/[0-9a-f]{24}/)?.[0] ?? '';
    expect(nonce).toMatch(/^[0-9a-f]{24}$/);
    const page = await browser.newPage();
    await page.goto(`${server.origin}/hostile/sandbox.html`);
    await page.evaluate((n) => (window as unknown as { forge(nonce: string): void }).forge(n), nonce);
    const read = async () =>
      JSON.parse(
        await rdp.evaluate(
          consoleActor,
          `JSON.stringify(globalThis.portscopeDebug.facts().filter((f) => (f.kind === 'context' && (f.url.includes('bank.example') || !f.observed)) || (f.kind === 'runtime-note' && f.code === 'no-runtime')).map((f) => f.kind + ' ' + (f.url ?? f.code) + ' ' + (f.observed ?? '')))`,
        ),
      ) as string[];
    const end = Date.now() + 20_000;
    let seen = await read();
    while (!seen.some((x) => x.startsWith('runtime-note')) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      seen = await read();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await read()).toEqual(['context about:srcdoc false', 'runtime-note no-runtime ']);
    await page.close();
  });

  it('loses nothing uncounted when an iframe is reloaded mid-stream: posted = received + counted dropped', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/hostile/stream-frame.html`);
    const frameUrl = `${server.origin}/hostile/stream.html`;
    await until('the iframe context', (s) => s.urls.includes(frameUrl));
    const frame = page.frames().find((f) => f.url() === frameUrl)!;
    await frame.evaluate(() => (window as unknown as { stream(slice: number, everyMs: number): void }).stream(100, 4));
    await new Promise((r) => setTimeout(r, 400));
    await frame.evaluate(() => void setTimeout(() => location.reload(), 0));
    await until('the reloaded iframe', (s) => s.urls.filter((u) => u === frameUrl).length >= 2);
    // The iframe shares the top page's sessionStorage (same origin, same tab).
    const sent = Number(await page.evaluate(() => sessionStorage.getItem('sent')));
    expect(sent).toBeGreaterThan(1_000);
    const COUNT = `JSON.stringify((() => {
      const facts = globalThis.portscopeDebug.facts();
      const old = facts.find((f) => f.kind === 'context' && f.url === ${JSON.stringify(frameUrl)}).ctx;
      const mine = facts.filter((f) => f.ctx === old);
      const dropped = mine.filter((f) => f.kind === 'facts-dropped').reduce((n, f) => n + (f.counts['port-posted'] ?? 0), 0);
      const tab = globalThis.portscopeDebug.tabs().find((t) => t.url.endsWith('/hostile/stream-frame.html'));
      const status = globalThis.portscopeDebug.status(tab.tabId);
      return { posted: mine.filter((f) => f.kind === 'port-posted').length, dropped, relayDropped: status?.dropped?.['port-posted'] ?? 0, destroyed: mine.filter((f) => f.kind === 'context-destroyed').length };
    })())`;
    type Count = { posted: number; dropped: number; relayDropped: number; destroyed: number };
    const end = Date.now() + 10_000;
    let c = JSON.parse(await rdp.evaluate(consoleActor, COUNT)) as Count;
    while (c.posted + c.dropped + c.relayDropped < sent && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      c = JSON.parse(await rdp.evaluate(consoleActor, COUNT)) as Count;
    }
    expect(c.posted + c.dropped + c.relayDropped).toBe(sent);
    expect(c.destroyed).toBe(1);
    await page.close();
  });
});
