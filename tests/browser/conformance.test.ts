/**
 * The transparency suite: every scenario (tests/fixtures/conformance/scenarios.ts) runs in a
 * plain Chromium and in a Chromium with the built extension; what the page observed must be
 * identical. In the instrumented run, the facts that reached the extension's background
 * (its `portscopeDebug` hook) must match what the scenario states.
 * Two passes in the same instrumented browser: recording ("Record while DevTools is closed"
 * on), then counting (off, nobody watching the tab: tests/fixtures/conformance/counting.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { scenarios, type Origins, type Scenario } from '../fixtures/conformance/scenarios.ts';
import { countKinds, expectScenarioFacts, settledFacts, settledWhen } from '../fixtures/conformance/harness.ts';
import { COUNTING_CHECKS, expectCountingRules, expectSwitchFacts, messageTotals, probeRecorded, switchAfter, switchBefore, switchProbe, type MessageTotals } from '../fixtures/conformance/counting.ts';

// Same flags for both runs: --expose-gc lets the GC scenario compare collection.
const ARGS = ['--js-flags=--expose-gc'];

let server: FixtureServer;
let plain: LaunchedChromium;
let instrumented: LaunchedChromium;
let plainPage: Page;
let instrumentedPage: Page;
let origins: Origins;

beforeAll(async () => {
  server = await serveFixtures();
  origins = { origin: server.origin, crossOrigin: server.crossOrigin };
  [plain, instrumented] = await Promise.all([launchChromium({ extension: false, args: ARGS }), launchChromium({ extension: true, args: ARGS })]);
  plainPage = await plain.context.newPage();
  await recordWhileClosed(true);
  instrumentedPage = await instrumented.context.newPage();
});

/** Sets the preference in the background and waits until the background applied it. */
const recordWhileClosed = (on: boolean): Promise<void> => recordWhileClosedChromium(instrumented.serviceWorker!, on);

/**
 * A runtime records until its first config arrives, and that config may come after the load
 * event. The background answered the relay's hello (with the config) before it stored the
 * page's first batch, so once the page's context fact is there the config is on its way,
 * one hop ahead of the test's next call into the page.
 */
async function configured(): Promise<void> {
  await settledWhen(backgroundFacts, (f) => (countKinds(f).context ?? 0) > 0, { deadlineMs: 4_000, pollMs: 20, graceMs: 0 });
}

/** Per scenario, from the recording pass: what the native page observed, and the message totals. */
const nativeObserved = new Map<string, unknown>();
const recordedTotals = new Map<string, MessageTotals>();

async function clearFacts(): Promise<void> {
  await instrumented.serviceWorker!.evaluate(() => (globalThis as unknown as { portscopeDebug: { clear(): void } }).portscopeDebug.clear());
}

afterAll(async () => {
  await Promise.all([plain?.close(), instrumented?.close()]);
  await server?.close();
});

async function observe(page: Page, scenario: Scenario, loaded?: () => Promise<void>): Promise<unknown> {
  await page.goto(`${origins.origin}/conformance/${scenario.page ?? 'blank.html'}`);
  await loaded?.();
  try {
    return await page.evaluate(scenario.run, origins);
  } catch (e) {
    // A scenario that throws in the page is an observation too (it must throw the same way).
    return { scenarioThrew: String((e as Error).message).split('\n')[0] };
  }
}

async function backgroundFacts(): Promise<Fact[]> {
  return instrumented.serviceWorker!.evaluate(() => (globalThis as unknown as { portscopeDebug: { facts(): Fact[] } }).portscopeDebug.facts());
}

const TIMING = { deadlineMs: 4_000, pollMs: 50, graceMs: 150 };

describe('conformance: native and instrumented Chromium observe the same', () => {
  it('has at least 58 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(58);
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await clearFacts();
      const [native, withRuntime] = await Promise.all([observe(plainPage, scenario), observe(instrumentedPage, scenario)]);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(native).slice(0, 2000));
      nativeObserved.set(scenario.name, native);
      expect(withRuntime).toEqual(native);

      const facts = await settledFacts(backgroundFacts, scenario, TIMING);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(facts.map((f) => f.kind)));
      expect(countKinds(facts)['messages-counted'] ?? 0, 'recording: nothing counted').toBe(0);
      expectScenarioFacts(scenario, facts, native);
      recordedTotals.set(scenario.name, messageTotals(facts));
    });
  }
});

describe('conformance, counting mode (nobody watching): native and instrumented Chromium observe the same', () => {
  beforeAll(() => recordWhileClosed(false));

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await clearFacts();
      const [native, withRuntime] = await Promise.all([nativeObserved.has(scenario.name) ? nativeObserved.get(scenario.name) : observe(plainPage, scenario), observe(instrumentedPage, scenario, configured)]);
      expect(withRuntime).toEqual(native);

      // Undefined when the recording pass did not run this scenario (a filtered run).
      const want = recordedTotals.get(scenario.name);
      const facts = await settledWhen(backgroundFacts, (f) => (want ? JSON.stringify(messageTotals(f)) === JSON.stringify(want) : (countKinds(f).context ?? 0) > 0), TIMING);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(facts.map((f) => f.kind)));
      expect(countKinds(facts).context ?? 0, 'the page context announced itself').toBeGreaterThanOrEqual(1);
      expectCountingRules(facts);
      if (want) expect(messageTotals(facts), 'every message the recording pass saw is accounted for').toEqual(want);
      COUNTING_CHECKS[scenario.name]?.(facts);
    });
  }

  it('switching to recording: counts first, then records; counted messages are described at dispatch', async () => {
    await clearFacts();
    await instrumentedPage.goto(`${origins.origin}/conformance/blank.html`);
    await configured();
    await instrumentedPage.evaluate(switchBefore);
    await recordWhileClosed(true);
    const recorded = await settledWhen(
      async () => {
        await instrumentedPage.evaluate(switchProbe);
        return backgroundFacts();
      },
      probeRecorded,
      { deadlineMs: 5_000, pollMs: 100, graceMs: 0 },
    );
    expect(probeRecorded(recorded), 'the page records again').toBe(true);
    expect(await instrumentedPage.evaluate(switchAfter)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const facts = await settledWhen(backgroundFacts, (f) => f.filter((x) => x.kind === 'message-dispatched').length >= 3, TIMING);
    expectSwitchFacts(facts);
  });
});
