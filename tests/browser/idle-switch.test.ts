/**
 * The idle path keeps the truth (issue 16), in real Chromium with the built extension: while
 * nobody watches the tab the runtime only counts, and its own `message` listener leaves a port
 * that a page handler observes (injected/observe.ts). When a panel connects mid-stream, the
 * model it builds from what the background replays must show every port as it is: the messages
 * still waiting in a port never started (counted while idle, recorded after), none waiting where
 * the page's handlers, a handler removed, a listener that stops the event, two listeners, a
 * `once` listener, a listener added twice and removed, or no listener at all took them, and a
 * port that arrived with its queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import type { ChannelModel, PortNode } from '../../panel/model/types.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { openProbe, probeState } from '../fixtures/relay/panel-probe.ts';
import { backgroundFacts, tabIdOf } from '../support/background-tab.ts';
import { until } from '../support/until.ts';

let browser: LaunchedChromium;
let server: FixtureServer;

type Seen = Record<string, number>;

/** Channels in the order the page made them (the fixture's ranks), each as [port1, port2]. */
function portsByRank(model: ChannelModel): [PortNode, PortNode][] {
  return [...model.channels.values()].map((c) => [model.ports.get(c.ports[0])!, model.ports.get(c.ports[1])!]);
}

/** Posts probes until one with its label reaches `facts` as `kind`: the runtime is then in that mode. */
async function untilMode(page: Page, read: () => Promise<Fact[]>, mode: 'counting' | 'recording'): Promise<number> {
  let probes = 0;
  await until(
    `the runtime to be ${mode}`,
    async () => {
      const label = `probe ${++probes}`;
      await page.evaluate((l) => (window as unknown as { modeProbe(l: string): Promise<void> }).modeProbe(l), label);
      await new Promise((r) => setTimeout(r, 200));
      const facts = await read();
      const probePort = facts.find((f) => f.kind === 'channel-created')?.port1;
      return mode === 'recording'
        ? facts.some((f) => f.kind === 'port-posted' && JSON.stringify(f.preview).includes(label))
        : facts.some((f) => f.kind === 'messages-counted' && f.port === probePort && f.posted > 0);
    },
    (ok) => ok,
  );
  return probes;
}

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('idle → recording (Chromium)', () => {
  it('a panel connecting mid-stream sees every queue and count the page made while nobody watched', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/idle-switch/index.html`;
    await page.goto(url);
    const tabId = await tabIdOf(browser, url);
    let probes = await untilMode(page, () => backgroundFacts(browser, tabId), 'counting');

    const idle = await page.evaluate(() => (window as unknown as { idlePhase(): Promise<Seen> }).idlePhase());
    // What the page itself saw, natively the same: the stopping listener kept onmessage from
    // running, both listeners ran, the `once` listener ran once.
    expect(idle).toMatchObject({
      handler: 20,
      removed: 5,
      stopped: 8,
      stoppedOnmessage: 0,
      twoA: 10,
      twoB: 10,
      once: 1,
      duplicate: 3,
    });
    // It ran idle: no plain post of it was recorded (the probes before the switch may have been).
    const idleFacts = await backgroundFacts(browser, tabId);
    const probePort = idleFacts.find((f) => f.kind === 'channel-created')?.port1;
    expect(
      idleFacts.filter((f) => f.kind === 'port-posted' && f.port !== probePort && f.transfer.length === 0),
    ).toEqual([]);

    const panel = await openProbe(browser.context, browser.extensionId!, tabId);
    const panelFacts = async () => (await probeState(panel)).facts;
    probes += await untilMode(page, panelFacts, 'recording');
    await page.evaluate(() => (window as unknown as { recordingPhase(): Promise<Seen> }).recordingPhase());

    const expected = {
      probe: { delivered: probes, queued: 0 },
      neverStarted: { enabled: false, queued: 9, countedQueued: 7, delivered: 0 },
      handler: { delivered: 23, queued: 0 },
      noListener: { enabled: true, delivered: 9, queued: 0 },
      removed: { delivered: 11, queued: 0 },
      stopped: { delivered: 8, queued: 0 },
      two: { delivered: 10, queued: 0 },
      once: { delivered: 4, queued: 0 },
      carried: { enabled: false, shipped: true, queued: 4, countedQueued: 3, delivered: 0 },
      carrier: { delivered: 1, queued: 0 },
      duplicate: { delivered: 7, queued: 0 },
    };
    const names = Object.keys(expected) as (keyof typeof expected)[];
    const shown = (model: ChannelModel) =>
      Object.fromEntries(
        portsByRank(model).map(([, port2], i) => {
          const keys = Object.keys(expected[names[i]]) as (keyof PortNode)[];
          return [names[i], Object.fromEntries(keys.map((k) => [k, port2[k]]))];
        }),
      );
    // Dispatches to nobody leave no mark the page can wait for: poll until the model settles.
    const model = await until(
      'the panel to show every port as the page left it',
      async () => {
        const m = createModel();
        m.apply(await panelFacts());
        m.settle();
        return m;
      },
      (m) => JSON.stringify(shown(m)) === JSON.stringify(expected),
    ).catch(async (e) => {
      const m = createModel();
      m.apply(await panelFacts());
      m.settle();
      expect(shown(m)).toEqual(expected);
      throw e;
    });

    const summary = model.summary();
    const posted = probes + 9 + 23 + 9 + 11 + 8 + 10 + 4 + 4 + 1 + 7;
    expect(summary.messages).toEqual({ posted, delivered: posted - 13, queued: 13, dropped: 0 });
    expect(model.diagnostics().map((d) => d.code)).toEqual(['port-never-started']);
    // The counts travelled as counts while idle, the late traffic as records.
    const facts = await panelFacts();
    const counted = facts.filter((f) => f.kind === 'messages-counted');
    expect(counted.reduce((s, f) => s + (f.kind === 'messages-counted' ? f.posted : 0), 0)).toBeGreaterThan(60);
    const [, neverStartedPort2] = portsByRank(model)[1];
    expect(neverStartedPort2.portMessageQueue).toHaveLength(2);
    await panel.close();
    await page.close();
  });
});
