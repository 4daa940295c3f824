/**
 * The same library pages through the Chrome extension (injected → content → background), the
 * facts read from the background and fed to the model as the panel does: a frame's initial
 * about:blank and frames navigated in place give no phantom context and no false diagnostic
 * there either, and no fact is lost on the way. (The CLI path: libraries-chromium.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { PAGES, shape } from './libraries-pages.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

let browser: LaunchedChromium;
let server: FixtureServer;
let page: Page;

type Debug = { facts(): Fact[]; clear(): void };
const background = () => browser.context.serviceWorkers()[0] ?? browser.serviceWorker!;
const backgroundFacts = () => background().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts());

beforeAll(async () => {
  server = await serveFixtures('.');
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(browser.serviceWorker!);
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Loads the page, waits for its done mark and for the facts to stop arriving; the facts of the contexts born on it. */
async function record(url: string): Promise<Fact[]> {
  await page.goto('about:blank');
  await background().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.clear());
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.done === '1', undefined, { timeout: 15_000 });
  let last = -1;
  let facts: Fact[] = [];
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, 150));
    facts = await backgroundFacts();
    stable = facts.length === last ? stable + 1 : 0;
    last = facts.length;
  }
  const born = new Set(facts.filter((f) => f.kind === 'context').map((f) => f.ctx));
  return facts.filter((f) => born.has(f.ctx));
}

function summaryOf(facts: Fact[]) {
  const model = createModel();
  model.apply(facts);
  model.settle();
  return model.summary();
}

/** Every context's facts numbered 1…n reached the background, none twice. */
function expectEveryFact(facts: Fact[]): void {
  const seen = new Map<string, Set<number>>();
  for (const f of facts) {
    if (!seen.has(f.ctx)) seen.set(f.ctx, new Set());
    seen.get(f.ctx)!.add(f.seq);
  }
  for (const [ctx, seqs] of seen) expect({ ctx, count: seqs.size }).toEqual({ ctx, count: Math.max(...seqs) });
  expect(facts.length).toBe([...seen.values()].reduce((n, s) => n + s.size, 0));
}

describe('real libraries through the Chrome extension', () => {
  for (const [name, childOrigin] of [['same-origin', 'origin'], ['cross-origin', 'crossOrigin']] as const) {
    it(`penpal, ${name} iframe: one channel, 10 messages delivered, no phantom, no diagnostic`, async () => {
      const child = `${server[childOrigin]}/tests/fixtures/libraries/penpal-child.html`;
      const facts = await record(`${server.origin}${PAGES.penpal.path}?child=${encodeURIComponent(child)}`);
      const s = summaryOf(facts);
      // The frame's initial about:blank is a context of its own here too (it got penpal's first message).
      expect(shape(s, { creatorVaries: true })).toEqual(PAGES.penpal.shape('/tests/fixtures/libraries/penpal-child.html'));
      expectEveryFact(facts);
    });
  }

  it('frames: document.open and a frame navigated in place', async () => {
    const facts = await record(server.origin + PAGES.frames.path);
    expect(shape(summaryOf(facts))).toEqual(PAGES.frames.shape);
    expectEveryFact(facts);
  });
});
