// Types of `portscope/playwright` (cli/playwright-fixture.mjs → cli/playwright-test.ts). Kept in
// step with the sources by tests/node/cli/published-types.check.ts (`npm run typecheck`).
import type {
  Expect,
  ExpectMatcherState,
  MatcherReturnType,
  PlaywrightTestArgs,
  PlaywrightTestOptions,
  PlaywrightWorkerArgs,
  PlaywrightWorkerOptions,
  TestType,
} from '@playwright/test';
import type { DiagnosticCode, Portscope, PortscopeOptions } from './portscope.mjs';

export * from './portscope.mjs';

export interface NoDiagnosticsOptions {
  /** Only these codes count (default: every code). */
  codes?: readonly DiagnosticCode[];
  /** These codes never count. */
  ignore?: readonly DiagnosticCode[];
}

export interface DeliveredOptions {
  /** A channel id (`c1`), as `portscope summary` prints it. */
  channel?: string;
  /** A port id (`p2`). */
  port?: string;
  /** The receiving context: its URL contains this string, or matches this pattern. */
  context?: string | RegExp;
  /** Exactly this many; when left out, at least one. */
  count?: number;
}

export interface PortscopeFixtures {
  portscope: Portscope;
  portscopeOptions: PortscopeOptions;
  portscopeAttach: 'on-failure' | 'always' | 'never';
}

export interface PortscopeMatchers {
  toHaveNoDiagnostics(
    this: ExpectMatcherState,
    received: unknown,
    options?: NoDiagnosticsOptions,
  ): Promise<MatcherReturnType>;
  toHaveDelivered(this: ExpectMatcherState, received: unknown, options?: DeliveredOptions): Promise<MatcherReturnType>;
  toHaveNothingQueued(this: ExpectMatcherState, received: unknown): Promise<MatcherReturnType>;
}

export const test: TestType<
  PlaywrightTestArgs & PlaywrightTestOptions & PortscopeFixtures,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions
>;
export const expect: Expect<PortscopeMatchers>;
