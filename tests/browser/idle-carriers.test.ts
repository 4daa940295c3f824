/**
 * Carrier messages while nobody watches (issue 16, step 4), in real Chromium with the built
 * extension: a page's `worker.postMessage` and the replies at `worker.onmessage` are counted
 * (`carriers-counted`), not recorded one by one; a port over the worker is still recorded, and
 * its receipt paired with its carrier message. A panel that subscribes then sees the counts, and
 * the messages after it are recorded one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { openProbe, probeState } from '../fixtures/relay/panel-probe.ts';
import { backgroundFacts, tabIdOf } from '../support/background-tab.ts';
import { until } from '../support/until.ts';

type Of<K extends Fact['kind']> = Extract<Fact, { kind: K }>;

let browser: LaunchedChromium;
let server: FixtureServer;

const roundTrips = (page: Page, label: string, n: number) =>
  page.evaluate(
    ([l, k]) => (window as unknown as { roundTrips(l: string, n: number): Promise<string[]> }).roundTrips(l, k),
    [label, n] as const,
  );

const plainPosts = (facts: Fact[]) =>
  facts.filter((f): f is Of<'carrier-posted'> => f.kind === 'carrier-posted' && f.transfer.length === 0);
const plainArrivals = (facts: Fact[]) =>
  facts.filter((f): f is Of<'carrier-received'> => f.kind === 'carrier-received' && f.ports.length === 0);
const countedOf = (facts: Fact[]) =>
  facts
    .filter((f): f is Of<'carriers-counted'> => f.kind === 'carriers-counted')
    .reduce((sum, f) => ({ posted: sum.posted + f.posted, received: sum.received + f.received }), {
      posted: 0,
      received: 0,
    });

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('worker carrier messages while idle (Chromium)', () => {
  it('are counted while nobody watches, a port over the worker is recorded, and a panel sees the counts then records', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/idle-carriers/index.html`;
    await page.goto(url);
    const tabId = await tabIdOf(browser, url);
    const background = () => backgroundFacts(browser, tabId);

    // The runtime records until the relay tells it nobody watches: probe until a count arrives.
    let probes = 0;
    await until(
      'the runtime to count carrier messages',
      async () => {
        await roundTrips(page, `probe ${++probes}`, 1);
        await new Promise((r) => setTimeout(r, 300));
        return countedOf(await background()).posted;
      },
      (posted) => posted > 0,
    );

    // Idle: 20 round trips, as the page sees them natively.
    const replies = await roundTrips(page, 'idle', 20);
    expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => `pong idle ${i}`));
    // Every message is recorded or counted, never both, never lost: the probes (recorded before
    // the runtime heard nobody watches, counted after) and the 20, once the counts arrived (the
    // counts timer, nothing else being emitted).
    const idle = await until(
      'every post and reply so far to be recorded or counted',
      background,
      (facts) =>
        plainPosts(facts).length + countedOf(facts).posted === probes + 20 &&
        plainArrivals(facts).length + countedOf(facts).received === probes + 20,
    );
    // None of the 20 as a fact of its own.
    expect(plainPosts(idle).filter((f) => JSON.stringify(f.preview).includes('idle'))).toEqual([]);
    expect(plainArrivals(idle).length).toBeLessThan(probes);
    expect(countedOf(idle).posted).toBeGreaterThanOrEqual(20);
    expect(countedOf(idle).received).toBeGreaterThanOrEqual(20);
    const counted = countedOf(idle);

    // Still idle: ports over the worker, both ways, are recorded.
    expect(await page.evaluate(() => (window as unknown as { takePort(): Promise<string[]> }).takePort())).toEqual([
      'take',
      'hello via port',
    ]);
    expect(await page.evaluate(() => (window as unknown as { sendPort(): Promise<string> }).sendPort())).toBe(
      'got port',
    );
    const withPorts = await until(
      'the carrier messages with ports to reach the background',
      background,
      (facts) =>
        facts.some((f) => f.kind === 'carrier-posted' && f.transfer.some((t) => t.t === 'port')) &&
        facts.some((f) => f.kind === 'carrier-received' && f.ports.length === 1),
    );
    const shipped = withPorts.find(
      (f): f is Of<'carrier-posted'> => f.kind === 'carrier-posted' && f.transfer.length > 0,
    )!;
    expect(shipped).toMatchObject({ carrier: 'worker', target: 'worker:1' });
    expect(JSON.stringify(shipped.preview)).toContain('for you');
    expect(withPorts.some((f) => f.kind === 'port-shipped' && f.carrier === 'worker')).toBe(true);
    const arrived = withPorts.find(
      (f): f is Of<'carrier-received'> => f.kind === 'carrier-received' && f.ports.length === 1,
    )!;
    expect(arrived).toMatchObject({ carrier: 'worker', source: 'worker:1' });
    const portReceived = withPorts.find(
      (f): f is Of<'port-received'> => f.kind === 'port-received' && f.carrier === 'worker',
    );
    expect(portReceived).toMatchObject({ port: arrived.ports[0], fingerprint: arrived.fingerprint });

    // A panel subscribes: it gets the counts from the background, and recording resumes.
    const panel = await openProbe(browser.context, browser.extensionId!, tabId);
    const panelFacts = async () => (await probeState(panel)).facts;
    await until(
      'the panel to receive the counts made while idle',
      async () => countedOf(await panelFacts()),
      (c) => c.posted >= counted.posted && c.received >= counted.received,
    );
    let recordingProbes = 0;
    await until(
      'the runtime to record again',
      async () => {
        const label = `watched probe ${++recordingProbes}`;
        await roundTrips(page, label, 1);
        await new Promise((r) => setTimeout(r, 200));
        return plainPosts(await panelFacts()).some((f) => JSON.stringify(f.preview).includes(label));
      },
      (ok) => ok,
    );
    const arrivalsBefore = plainArrivals(await panelFacts()).length;
    const watched = await roundTrips(page, 'watched', 5);
    expect(watched).toEqual(Array.from({ length: 5 }, (_, i) => `pong watched ${i}`));
    const facts = await until(
      'the watched round trips to reach the panel, one fact each',
      panelFacts,
      (f) =>
        plainPosts(f).filter((p) => /"watched \d"/.test(JSON.stringify(p.preview))).length === 5 &&
        plainArrivals(f).length >= arrivalsBefore + 5,
    );
    // Each recorded arrival of a watched reply is its own fact, from the worker.
    expect(
      plainArrivals(facts)
        .slice(-5)
        .every((f) => f.source === 'worker:1'),
    ).toBe(true);

    // The panel's model: the counts shown as counted, the port carriers as records, nothing to warn about.
    const model = createModel();
    model.apply(facts);
    model.settle();
    const totals = model.totals();
    expect(totals.countedCarriers.posted).toBeGreaterThanOrEqual(20);
    expect(totals.countedCarriers.received).toBeGreaterThanOrEqual(20);
    expect(model.summary().countedCarriers).toEqual(totals.countedCarriers);
    expect(model.diagnostics()).toEqual([]);
    const top = [...model.contexts.values()].find((c) => c.kind === 'window')!;
    const received = [...model.ports.values()].find((p) =>
      p.holders.some((h) => h.context === top.id && h.localId === portReceived!.port),
    )!;
    expect(received).toBeDefined();
    // Its receipt is paired with where it came from: one transfer edge, from the page's worker
    // (observed from outside: the edge is inferred, as when every message is recorded).
    const edges = model.transfers.filter((e) => e.port === received.id);
    expect(edges).toHaveLength(1);
    const workerCtx = [...model.contexts.values()].find((c) => c.kind === 'worker')!;
    expect(edges[0]).toMatchObject({ carrier: 'worker', from: workerCtx.id, to: top.id });
    // The port the page gave the worker: shipped in a recorded carrier message.
    const given = model.carriers.find((c) => c.from === top.id && c.transferredPorts.length === 1);
    expect(given?.to).toBe(workerCtx.id);
    expect(given?.preview && JSON.stringify(given.preview)).toContain('for you');
    expect(model.ports.get(given!.transferredPorts[0])?.shipped).toBe(true);
    await panel.close();
    await page.close();
  });
});
