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
import { countKinds, expectScenarioFacts, settledFacts } from '../fixtures/conformance/harness.ts';
import { defineCountingPass, messageTotals, type MessageTotals } from '../fixtures/conformance/counting.ts';
import { differences } from '../fixtures/conformance/firefox-differences.ts';
import { CHROMIUM_RESIDUE, RESIDUE_SCENARIO, comparableResidue } from '../fixtures/conformance/residues.ts';

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
  [plain, instrumented] = await Promise.all([
    launchChromium({ extension: false, args: ARGS }),
    launchChromium({ extension: true, args: ARGS }),
  ]);
  plainPage = await plain.context.newPage();
  await recordWhileClosed(true);
  instrumentedPage = await instrumented.context.newPage();
});

/** Sets the preference in the background and waits until the background applied it. */
const recordWhileClosed = (on: boolean): Promise<void> => recordWhileClosedChromium(instrumented.serviceWorker!, on);

/** Per scenario, from the recording pass: what the native page observed, and the message totals. */
const nativeObserved = new Map<string, unknown>();
const recordedTotals = new Map<string, MessageTotals>();

async function clearFacts(): Promise<void> {
  await instrumented.serviceWorker!.evaluate(() =>
    (globalThis as unknown as { portscopeDebug: { clear(): void } }).portscopeDebug.clear(),
  );
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
  return instrumented.serviceWorker!.evaluate(() =>
    (globalThis as unknown as { portscopeDebug: { facts(): Fact[] } }).portscopeDebug.facts(),
  );
}

const TIMING = { deadlineMs: 4_000, pollMs: 50, graceMs: 150 };

/** Identical, but for the residue scenario: exactly the differences residues.ts pins, no other and none missing. */
function expectSameAsNative(scenario: Scenario, native: unknown, withRuntime: unknown): void {
  if (scenario.name === RESIDUE_SCENARIO)
    expect(differences(...comparableResidue(native, withRuntime)), 'differences from native Chromium').toEqual(
      CHROMIUM_RESIDUE,
    );
  else expect(withRuntime).toEqual(native);
}

describe('conformance: native and instrumented Chromium observe the same', () => {
  it('has at least 58 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(58);
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await clearFacts();
      const [native, withRuntime] = await Promise.all([
        observe(plainPage, scenario),
        observe(instrumentedPage, scenario),
      ]);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(native).slice(0, 2000));
      nativeObserved.set(scenario.name, native);
      expectSameAsNative(scenario, native, withRuntime);

      const facts = await settledFacts(backgroundFacts, scenario, TIMING);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(facts.map((f) => f.kind)));
      expect(countKinds(facts)['messages-counted'] ?? 0, 'recording: nothing counted').toBe(0);
      expectScenarioFacts(scenario, facts, native);
      recordedTotals.set(scenario.name, messageTotals(facts));
    });
  }
});

defineCountingPass({
  browser: 'Chromium',
  scenarios,
  nativeObserved: (scenario) =>
    nativeObserved.has(scenario.name)
      ? Promise.resolve(nativeObserved.get(scenario.name))
      : observe(plainPage, scenario),
  instrumentedObserved: (scenario, loaded) => observe(instrumentedPage, scenario, loaded),
  expectSame: expectSameAsNative,
  recordedTotals,
  backgroundFacts,
  clearFacts,
  recordWhileClosed,
  page: () => ({ goto: (url) => instrumentedPage.goto(url), evaluate: (fn) => instrumentedPage.evaluate(fn) }),
  blankUrl: () => `${origins.origin}/conformance/blank.html`,
  timing: TIMING,
});
