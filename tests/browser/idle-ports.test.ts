/**
 * While nobody watches a tab, the runtime counts a `message` event without reading `event.ports`
 * when the posts prove the message carries no port (injected/observe.ts carriesNoPort, issue 16).
 * In real Chromium with the built extension, a channel made in the page carries counted messages,
 * one with a port in its transfer list and one with an ArrayBuffer: the port must still be seen
 * arriving (a `port-received`), counted as before, and the model built from the background's facts
 * must show every message delivered and every count exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { backgroundFacts, tabIdOf } from '../support/background-tab.ts';
import { until } from '../support/until.ts';

let browser: LaunchedChromium;
let server: FixtureServer;

type Seen = Record<string, number>;

const sum = (facts: Fact[], port: number, field: 'posted' | 'dispatched') =>
  facts.reduce((s, f) => s + (f.kind === 'messages-counted' && f.port === port ? f[field] : 0), 0);

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('counting dispatch and event.ports (Chromium)', () => {
  it('a port carried among counted messages on a channel made here is still seen arriving', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/idle-ports/index.html`;
    await page.goto(url);
    const tabId = await tabIdOf(browser, url);
    // The relay's word (nobody watches: count) reaches the runtime after load: probe until counted.
    let probes = 0;
    await until(
      'the runtime to count',
      async () => {
        await page.evaluate(
          (l) => (window as unknown as { modeProbe(l: string): Promise<void> }).modeProbe(l),
          `p${++probes}`,
        );
        await new Promise((r) => setTimeout(r, 200));
        const facts = await backgroundFacts(browser, tabId);
        const probePort = facts.find((f) => f.kind === 'channel-created')?.port1;
        return facts.some((f) => f.kind === 'messages-counted' && f.port === probePort && f.posted > 0);
      },
      (ok) => ok,
    );

    const seen = await page.evaluate(() => (window as unknown as { idlePhase(): Promise<Seen> }).idlePhase());
    expect(seen).toMatchObject({ main: 10, mainPorts: 1, buffer: 8, arrived: 4 });

    const facts = await until(
      'the counts of every port to reach the background',
      () => backgroundFacts(browser, tabId),
      (fs) => {
        const created = fs.filter((f) => f.kind === 'channel-created');
        const carried = created[2];
        const received = fs.find((f) => f.kind === 'port-received');
        return (
          carried !== undefined &&
          sum(fs, created[1].port2, 'dispatched') === 9 &&
          received !== undefined &&
          sum(fs, received.port, 'dispatched') === 4 &&
          sum(fs, carried.port1, 'posted') === 4
        );
      },
    ).catch(async (e) => {
      console.log(
        JSON.stringify((await backgroundFacts(browser, tabId)).map((f) => [f.kind, 'port' in f ? f.port : ''])),
      );
      throw e;
    });
    const [, main, carried] = facts.filter((f) => f.kind === 'channel-created');
    // The carrier: recorded at both ends (it ships a port), and the port seen arriving over it.
    const received = facts.filter((f) => f.kind === 'port-received');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ viaPort: main.port2, index: 0, count: 1 });
    expect(facts.filter((f) => f.kind === 'port-seen')).toEqual([]);
    const dispatched = facts.filter((f) => f.kind === 'message-dispatched' && f.port === main.port2);
    expect(dispatched.map((f) => f.kind === 'message-dispatched' && f.ports)).toEqual([[received[0].port]]);
    // Everything else on the channel was counted, the ArrayBuffer's post included.
    expect([sum(facts, main.port1, 'posted'), sum(facts, main.port2, 'dispatched')]).toEqual([9, 9]);
    expect(facts.filter((f) => f.kind === 'port-posted' && f.port === main.port1)).toHaveLength(1);
    expect([sum(facts, carried.port1, 'posted'), sum(facts, received[0].port, 'dispatched')]).toEqual([4, 4]);

    const model = createModel();
    model.apply(facts);
    model.settle();
    const posted = probes + 10 + 4;
    expect(model.summary().messages).toEqual({ posted, delivered: posted, queued: 0, dropped: 0 });
    expect(model.diagnostics()).toEqual([]);
    await page.close();
  });
});
