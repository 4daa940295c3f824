/**
 * While a tab is recorded, the runtime reads `event.ports` only when the posts cannot prove a
 * message carries no port (injected/observe.ts portsOf, issue 16), as it does while counting. In
 * real Chromium with the built extension, recording ("Record while DevTools is closed"), a channel
 * made in the page carries tiny messages, one with a port in its transfer list and one that
 * transfers an ArrayBuffer (tests/fixtures/idle-ports): every message must be recorded at both
 * ends, the port seen arriving on exactly its message, and the model built from the background's
 * facts must show every message delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { backgroundFacts, backgroundOf, tabIdOf } from '../support/background-tab.ts';
import { until } from '../support/until.ts';

let browser: LaunchedChromium;
let server: FixtureServer;

type Seen = Record<string, number>;

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(await backgroundOf(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('recorded dispatch and event.ports (Chromium)', () => {
  it('records every message of a channel made here, and the port on exactly the message that carried it', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/idle-ports/index.html`;
    await page.goto(url);
    const tabId = await tabIdOf(browser, url);

    const seen = await page.evaluate(() => (window as unknown as { idlePhase(): Promise<Seen> }).idlePhase());
    expect(seen).toMatchObject({ main: 10, mainPorts: 1, buffer: 8, arrived: 4 });

    const count = (fs: Fact[], kind: Fact['kind']) => fs.filter((f) => f.kind === kind).length;
    // Channels: the probe, main, carried. 10 + 4 messages, each posted and dispatched.
    const facts = await until(
      'every message to reach the background',
      () => backgroundFacts(browser, tabId),
      (fs) => count(fs, 'port-posted') >= 14 && count(fs, 'message-dispatched') >= 14,
    );
    expect(facts.filter((f) => f.kind === 'messages-counted')).toEqual([]);
    const [, main, carried] = facts.filter((f) => f.kind === 'channel-created');
    const received = facts.filter((f) => f.kind === 'port-received');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ viaPort: main.port2, index: 0, count: 1 });
    const dispatched = (port: number) =>
      facts.flatMap((f) => (f.kind === 'message-dispatched' && f.port === port ? [f] : []));
    // The fourth message carried the port; every other one none.
    expect(dispatched(main.port2).map((f) => f.ports)).toEqual([
      [],
      [],
      [],
      [received[0].port],
      [],
      [],
      [],
      [],
      [],
      [],
    ]);
    // Posted and received here: the model has their previews from the posts.
    expect(dispatched(main.port2).filter((f) => f.preview !== undefined)).toEqual([]);
    // The port that arrived is a new object here: what it receives is described at the dispatch.
    expect(dispatched(received[0].port).map((f) => f.preview)).toEqual([0, 1, 2, 3].map((v) => ({ t: 'number', v })));
    const posted = facts.filter((f) => f.kind === 'port-posted' && f.port === main.port1);
    expect(posted.map((f) => f.kind === 'port-posted' && f.transfer.map((t) => t.t))).toEqual([
      [],
      [],
      [],
      ['port'],
      [],
      [],
      [],
      ['arraybuffer'],
      [],
      [],
    ]);
    expect(facts.filter((f) => f.kind === 'port-posted' && f.port === carried.port1)).toHaveLength(4);

    const model = createModel();
    model.apply(facts);
    model.settle();
    expect(model.summary().messages).toEqual({ posted: 14, delivered: 14, queued: 0, dropped: 0 });
    expect(model.diagnostics()).toEqual([]);
    await page.close();
  });
});
