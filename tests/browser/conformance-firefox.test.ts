/**
 * The transparency suite in Firefox ESR: the same scenarios as the Chromium suite
 * (tests/fixtures/conformance/scenarios.ts) run in a plain Firefox and in a Firefox with the
 * built add-on; what the page observed must be identical. Each browser is compared with its own
 * native behaviour, never with the other browser. In the instrumented run, the facts that
 * reached the add-on's background (read through Firefox's debugger protocol) must match what
 * the scenario states.
 * Two passes in the same instrumented browser: recording ("Record while DevTools is closed"
 * on), then counting (off, nobody watching the tab: tests/fixtures/conformance/counting.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { Fact } from '../../protocol/facts.ts';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { scenarios, type Origins, type Scenario } from '../fixtures/conformance/scenarios.ts';
import { countKinds, expectScenarioFacts, settledFacts } from '../fixtures/conformance/harness.ts';
import { defineCountingPass, messageTotals, type MessageTotals } from '../fixtures/conformance/counting.ts';
import { FIREFOX_DIFFERENCES, firefoxDifferences } from '../fixtures/conformance/firefox-differences.ts';

/**
 * Scenarios whose comparison is empty in Firefox, with the reason. They still run (and must
 * still agree), and the test checks that the reason still holds, so the list cannot go stale.
 */
const NOT_COMPARABLE_IN_FIREFOX: Record<string, { reason: string; observed: unknown }> = {
  'garbage collection: unreferenced ports are collected as natively': {
    reason:
      'Firefox exposes no gc() to web content (Chromium has --js-flags=--expose-gc), so collection is not forced and not compared',
    observed: 'no gc',
  },
};

let server: FixtureServer;
let plain: LaunchedFirefox;
let instrumented: LaunchedFirefox;
let plainPage: Page;
let instrumentedPage: Page;
let origins: Origins;

beforeAll(async () => {
  server = await serveFixtures();
  origins = { origin: server.origin, crossOrigin: server.crossOrigin };
  [plain, instrumented] = await Promise.all([launchFirefox({ extension: false }), launchFirefox({ extension: true })]);
  plainPage = await plain.browser.newPage();
  await recordWhileClosed(true);
  instrumentedPage = await instrumented.browser.newPage();
}, 120_000);

/** Sets the preference in the background and waits until the background applied it. */
const recordWhileClosed = (on: boolean): Promise<void> => recordWhileClosedFirefox(instrumented.background!, on);

/** Per scenario, from the recording pass: what the native page observed, and the message totals. */
const nativeObserved = new Map<string, unknown>();
const recordedTotals = new Map<string, MessageTotals>();

async function clearFacts(): Promise<void> {
  await instrumented.background!('globalThis.portscopeDebug.clear(), "ok"');
}

afterAll(async () => {
  await Promise.all([plain?.close(), instrumented?.close()]);
  await server?.close();
});

async function observe(page: Page, scenario: Scenario, loaded?: () => Promise<void>): Promise<unknown> {
  await page.goto(`${origins.origin}/conformance/${scenario.page ?? 'blank.html'}`, { waitUntil: 'load' });
  await loaded?.();
  try {
    return await page.evaluate(scenario.run, origins);
  } catch (e) {
    // A scenario that throws in the page is an observation too (it must throw the same way).
    return { scenarioThrew: String((e as Error).message).split('\n')[0] };
  }
}

async function backgroundFacts(): Promise<Fact[]> {
  return JSON.parse(await instrumented.background!('JSON.stringify(globalThis.portscopeDebug.facts())')) as Fact[];
}

const TIMING = { deadlineMs: 6_000, pollMs: 100, graceMs: 200 };

describe('conformance: native and instrumented Firefox observe the same', () => {
  it('has at least 45 scenarios, and every scenario listed as not comparable or as differing exists', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(45);
    const names = new Set(scenarios.map((s) => s.name));
    for (const name of [...Object.keys(NOT_COMPARABLE_IN_FIREFOX), ...Object.keys(FIREFOX_DIFFERENCES)])
      expect(names.has(name), name).toBe(true);
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await clearFacts();
      const [native, withRuntime] = await Promise.all([
        observe(plainPage, scenario),
        observe(instrumentedPage, scenario),
      ]);
      nativeObserved.set(scenario.name, native);
      // Every difference is one stated (and explained) in firefox-differences.ts, and each stated one still occurs.
      expect(firefoxDifferences(scenario.name, native, withRuntime), 'differences from native Firefox').toEqual(
        FIREFOX_DIFFERENCES[scenario.name] ?? [],
      );
      const limit = NOT_COMPARABLE_IN_FIREFOX[scenario.name];
      if (limit) expect(native, limit.reason).toEqual(limit.observed);

      const facts = await settledFacts(backgroundFacts, scenario, TIMING);
      expect(countKinds(facts)['messages-counted'] ?? 0, 'recording: nothing counted').toBe(0);
      expectScenarioFacts(scenario, facts, native);
      recordedTotals.set(scenario.name, messageTotals(facts));
    });
  }
});

defineCountingPass({
  browser: 'Firefox',
  scenarios,
  nativeObserved: (scenario) =>
    nativeObserved.has(scenario.name)
      ? Promise.resolve(nativeObserved.get(scenario.name))
      : observe(plainPage, scenario),
  instrumentedObserved: (scenario, loaded) => observe(instrumentedPage, scenario, loaded),
  expectSame: (scenario, native, withRuntime) =>
    expect(firefoxDifferences(scenario.name, native, withRuntime), 'differences from native Firefox').toEqual(
      FIREFOX_DIFFERENCES[scenario.name] ?? [],
    ),
  recordedTotals,
  backgroundFacts,
  clearFacts,
  recordWhileClosed,
  page: () => ({
    goto: (url) => instrumentedPage.goto(url, { waitUntil: 'load' }),
    evaluate: (fn) => instrumentedPage.evaluate(fn),
  }),
  blankUrl: () => `${origins.origin}/conformance/blank.html`,
  timing: TIMING,
});
