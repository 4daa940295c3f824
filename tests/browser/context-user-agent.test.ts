/**
 * The extension's MAIN-world runtime does not read `navigator` at document_start (issue 16,
 * startup): the relay says the userAgent with its first batch, a later task, and the
 * background fills it into the runtime's `context` facts (extension/relay-user-agent.ts). In
 * Debian's Chromium with the test build: every document's context fact, the top page's and
 * its same- and cross-origin frames', carries the userAgent its own page reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { debugBackground } from '../support/see-inside-workers.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;

let server: FixtureServer;
let ext: LaunchedChromium;
const background = debugBackground<unknown>(() => ext);

beforeAll(async () => {
  server = await serveFixtures();
  ext = await launchChromium({ extension: true });
  await recordWhileClosedChromium(ext.serviceWorker!);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe("the context fact's userAgent, said by the relay", () => {
  it('is the one each document reads, for the top page and its same- and cross-origin frames', async () => {
    const page = await ext.context.newPage();
    // A user agent of the page's own (DevTools' emulation does the same): the relay must say the document's, not the background's.
    const cdp = await ext.context.newCDPSession(page);
    await cdp.send('Emulation.setUserAgentOverride', { userAgent: 'Portscope-Test/1.0 (relay)' });
    const url = `${server.origin}/relay/main.html?cross=${encodeURIComponent(server.crossOrigin)}`;
    await page.goto(url);
    const tabId = await background.tabIdOf(url);
    const seen = await page.evaluate(() => navigator.userAgent);
    expect(seen).toBe('Portscope-Test/1.0 (relay)');
    const documents = await until(
      'the page and both frames',
      async () =>
        (await background.facts(tabId)).filter(
          (f): f is ContextFact => f.kind === 'context' && (f.contextKind === 'window' || f.contextKind === 'iframe'),
        ),
      (c) => c.filter((d) => d.url.endsWith('/relay/frame.html')).length >= 2,
    );
    // The cross-origin frame's initial about:blank is a document of its own too.
    expect(new Set(documents.map((c) => c.origin))).toEqual(new Set([server.origin, server.crossOrigin]));
    // The override reaches the page's renderer only: the cross-origin frame (another process) reads the browser's own.
    const read = new Map<string, string>();
    for (const frame of page.frames()) read.set(frame.url(), await frame.evaluate(() => navigator.userAgent));
    expect(new Set(read.values()).size).toBe(2);
    const frameUrl = `${server.crossOrigin}/relay/frame.html`;
    expect(read.get(frameUrl)).not.toBe(seen);
    const checked = documents.filter((c) => read.has(c.url));
    expect(checked.map((c) => c.url).sort()).toEqual([...read.keys()].sort());
    for (const c of checked) expect(c.userAgent, c.url).toBe(read.get(c.url));
    // The cross-origin frame's initial about:blank, gone since, lived in the page's renderer.
    for (const c of documents.filter((d) => !read.has(d.url))) expect(c.userAgent, c.url).toBe(seen);
  });
});
