/**
 * The transparency suite: every scenario (tests/fixtures/conformance/scenarios.ts) runs in a
 * plain Chromium and in a Chromium with the built extension; what the page observed must be
 * identical. In the instrumented run, the facts that reached the extension's background
 * (its `portscopeDebug` hook) must match what the scenario states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact, FactKind } from '../../protocol/facts.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { scenarios, type Origins, type Scenario } from '../fixtures/conformance/scenarios.ts';

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
  instrumentedPage = await instrumented.context.newPage();
});

afterAll(async () => {
  await Promise.all([plain?.close(), instrumented?.close()]);
  await server?.close();
});

async function observe(page: Page, scenario: Scenario): Promise<unknown> {
  await page.goto(`${origins.origin}/conformance/${scenario.page ?? 'blank.html'}`);
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

function countKinds(facts: Fact[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of facts) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return counts;
}

/** Facts of the contexts born during this scenario (a previous page's pagehide may arrive late). */
function ofThisScenario(all: Fact[]): Fact[] {
  const born = new Set(all.filter((f) => f.kind === 'context').map((f) => (f as { ctx: string }).ctx));
  return all.filter((f) => born.has((f as { ctx: string }).ctx));
}

function satisfied(scenario: Scenario, counts: Record<string, number>): boolean {
  const { exact = {}, atLeast = {} } = scenario.facts ?? {};
  for (const [k, n] of Object.entries(exact)) if ((counts[k] ?? 0) < (n as number)) return false;
  for (const [k, n] of Object.entries(atLeast)) if ((counts[k] ?? 0) < (n as number)) return false;
  return true;
}

/** Polls the background until the expected facts arrived (batches flush on a ~50 ms timer), then lets late ones land. */
async function settledFacts(scenario: Scenario): Promise<Fact[]> {
  const deadline = Date.now() + 4_000;
  let facts = ofThisScenario(await backgroundFacts());
  while (Date.now() < deadline && !satisfied(scenario, countKinds(facts))) {
    await new Promise((r) => setTimeout(r, 50));
    facts = ofThisScenario(await backgroundFacts());
  }
  await new Promise((r) => setTimeout(r, 150));
  return ofThisScenario(await backgroundFacts());
}

describe('conformance: native and instrumented Chromium observe the same', () => {
  it('has at least 45 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(45);
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await instrumented.serviceWorker!.evaluate(() => (globalThis as unknown as { portscopeDebug: { clear(): void } }).portscopeDebug.clear());
      const [native, withRuntime] = await Promise.all([observe(plainPage, scenario), observe(instrumentedPage, scenario)]);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(native).slice(0, 2000));
      expect(withRuntime).toEqual(native);

      const facts = await settledFacts(scenario);
      const counts = countKinds(facts);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(facts.map((f) => f.kind)));
      expect(counts.context ?? 0, 'the page context announced itself').toBeGreaterThanOrEqual(1);
      const { exact = {}, atLeast = {}, check } = scenario.facts ?? {};
      for (const [kind, n] of Object.entries(exact)) expect(counts[kind as FactKind] ?? 0, `facts of kind ${kind}`).toBe(n);
      for (const [kind, n] of Object.entries(atLeast)) expect(counts[kind as FactKind] ?? 0, `facts of kind ${kind} (at least)`).toBeGreaterThanOrEqual(n as number);
      check?.(facts, native);
    });
  }
});
