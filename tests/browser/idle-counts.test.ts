/**
 * While nobody watches a tab, counts with nothing else to go with leave on a timer of their own
 * (injected/counted.ts COUNTS_ALONE_MS), not at every one of the emitter's 50 ms flushes: a busy
 * idle page sent one `messages-counted` fact per busy port every 50 ms through the relay and the
 * background's log (issue 16, step 3). In real Chromium with the built extension: 20 ports kept
 * busy for 1.5 s with nothing else happening report each at most once per COUNTS_ALONE_MS (bound
 * taken from the stretch's own measured length, so a slow machine only makes it looser), and
 * every count still reaches the background exactly, with no other fact to carry it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { COUNTS_ALONE_MS } from '../../injected/counted.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { backgroundFacts, tabIdOf } from '../support/background-tab.ts';
import { until } from '../support/until.ts';

let browser: LaunchedChromium;
let server: FixtureServer;

type Busy = { start: number; end: number; posted: number; delivered: number };

type Counted = Extract<Fact, { kind: 'messages-counted' }>;
const countsOf = (facts: Fact[], ports: Set<number>) =>
  facts.filter((f): f is Counted => f.kind === 'messages-counted' && ports.has(f.port));

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('counts while nobody watches (Chromium)', () => {
  it('busy ports report on the counts timer, not every flush, and every count arrives', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/idle-counts/index.html`;
    await page.goto(url);
    const tabId = await tabIdOf(browser, url);
    // The relay's word (nobody watches: count) reaches the runtime after load: probe until counted.
    await until(
      'the runtime to count',
      async () => {
        await page.evaluate(() => (window as unknown as { modeProbe(l: string): Promise<void> }).modeProbe('p'));
        const facts = await backgroundFacts(browser, tabId);
        const probePort = facts.find((f) => f.kind === 'channel-created')?.port1;
        return facts.some((f) => f.kind === 'messages-counted' && f.port === probePort && f.posted > 0);
      },
      (ok) => ok,
    );

    const busy = await page.evaluate(() =>
      (window as unknown as { busyPhase(ms: number): Promise<Busy> }).busyPhase(1_500),
    );
    expect(busy.delivered).toBe(busy.posted);
    const created = (await backgroundFacts(browser, tabId)).filter((f) => f.kind === 'channel-created').slice(1);
    expect(created).toHaveLength(20);
    const senders = new Set(created.map((f) => f.port1));
    const receivers = new Set(created.map((f) => f.port2));
    // No other fact will carry them: the counts timer alone brings the last of them.
    const facts = await until(
      'every count to reach the background',
      () => backgroundFacts(browser, tabId),
      (fs) =>
        countsOf(fs, senders).reduce((s, f) => s + f.posted, 0) === busy.posted &&
        countsOf(fs, receivers).reduce((s, f) => s + f.dispatched, 0) === busy.posted,
    );
    expect(facts.filter((f) => f.kind === 'port-posted' || f.kind === 'message-dispatched')).toEqual([]);
    // Reports made while the ports were busy, per port: one per counts period, plus one at each end.
    const during = countsOf(facts, senders).filter((f) => f.time >= busy.start && f.time <= busy.end);
    const bound = Math.ceil((busy.end - busy.start) / COUNTS_ALONE_MS) + 2;
    for (const port of senders) expect(during.filter((f) => f.port === port).length).toBeLessThanOrEqual(bound);
    await page.close();
  });
});
