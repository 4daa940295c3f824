/**
 * The client message queue under the extension, which leaves it alone: the service worker is
 * not seen from inside on this route, so `startMessages()` and the `onmessage` setter are not
 * replaced and the container is never read (injected/client-message-queue.ts). Each scenario of tests/fixtures/client-queue/scenarios.ts runs
 * in a plain Chromium and in a Chromium with the built extension (the rest of the runtime in every
 * frame, the frames' initial about:blank included), on a fresh page each; what the page observes
 * must be identical.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';
import { SCENARIOS } from '../fixtures/client-queue/scenarios.ts';

const script = (body: string) => `(async () => {${body}\n})()`;

let server: FixtureServer;
let plain: LaunchedChromium;
let instrumented: LaunchedChromium;
const native: Record<string, unknown> = {};
const observed: Record<string, unknown> = {};
const facts: Fact[] = [];

type Debug = { portscopeDebug: { facts(): Fact[] } };
const backgroundFacts = () =>
  instrumented.serviceWorker!.evaluate(() => (globalThis as unknown as Debug).portscopeDebug.facts());

async function run(browser: LaunchedChromium, name: string): Promise<unknown> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.origin}/client-queue/index.html`);
    const result = await page.evaluate(script(SCENARIOS[name]));
    // The background keeps a tab's facts while the tab lives: read them before it closes.
    if (browser === instrumented) facts.push(...(await settledFactsBornOnPage(backgroundFacts, 150)));
    return result;
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  server = await serveFixtures();
  [plain, instrumented] = await Promise.all([
    launchChromium({ extension: false }),
    launchChromium({ extension: true }),
  ]);
  await recordWhileClosedChromium(instrumented.serviceWorker!, true);
  for (const name of Object.keys(SCENARIOS)) {
    native[name] = await run(plain, name);
    observed[name] = await run(instrumented, name);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([plain?.close(), instrumented?.close()]);
  await server?.close();
});

describe('the client message queue, natively and with the extension: what the page observes is identical', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(name, () => {
      expect(observed[name]).toEqual(native[name]);
      expect((native[name] as { ok: boolean }).ok).toBe(true);
    });
  }

  it('the extension reports nothing about client message queues, and saw the frames', () => {
    expect(facts.filter((f) => f.kind === 'client-message-queue-enabled')).toEqual([]);
    const frames = facts.filter((f) => f.kind === 'context' && f.url.endsWith('/client-queue/never-frame.html'));
    expect(frames.length).toBeGreaterThan(0);
  });
});
