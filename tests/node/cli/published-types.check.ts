/**
 * Not a test: `npm run typecheck` compiles this file, so the hand-written types that the package
 * publishes (cli/*.d.mts) cannot drift from the sources they describe.
 */
import type * as Published from '../../../cli/playwright-fixture.mjs';
import type { Summary } from '../../../protocol/summary.ts';
import type { BrowserContext } from 'playwright-core';
import type { createPortscope, PortscopeContext } from '../../../cli/fixture.ts';
import type { expect, test, PortscopeFixtures } from '../../../cli/playwright-test.ts';
import type { DeliveredOptions, NoDiagnosticsOptions } from '../../../cli/matchers.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// biome-ignore lint/correctness/noUnusedVariables: T is the check: only `true` type-checks.
const ok = <T extends true>() => {};

ok<Same<Published.Summary, Summary>>();
ok<Same<Published.DeliveredOptions, DeliveredOptions>>();
ok<Same<Published.NoDiagnosticsOptions, NoDiagnosticsOptions>>();
ok<Same<Published.PortscopeOptions, NonNullable<Parameters<typeof createPortscope>[1]>>>();
ok<Same<keyof Published.PortscopeFixtures, keyof PortscopeFixtures>>();
ok<Same<Published.PortscopeContext, PortscopeContext>>();
// Any Playwright context fits.
export const fits = (context: BrowserContext): Published.PortscopeContext => context;
// What the sources give is usable as what the package declares.
export const published: {
  createPortscope: typeof Published.createPortscope;
  test: typeof Published.test;
  expect: typeof Published.expect;
} = {
  createPortscope: null as unknown as typeof createPortscope,
  test: null as unknown as typeof test,
  expect: null as unknown as typeof expect,
};
