/**
 * Portscope for Playwright Test (`import { test, expect } from 'portscope/playwright'`): a
 * `test` whose every test instruments its browser context before the first page loads, attaches
 * the trace to the report when a test fails, and an `expect` with Portscope's matchers:
 *
 *   test('the RPC worker answers', async ({ page, portscope }) => {
 *     await page.goto('/');
 *     await expect(portscope).toHaveNoDiagnostics();
 *     await expect(portscope).toHaveDelivered({ channel: 'c1', count: 2 });
 *     await expect(portscope).toHaveNothingQueued();
 *   });
 *
 * `@playwright/test` is the user's own (a peer dependency): one copy of it must run the tests.
 */
import { expect as baseExpect, test as base, type TestInfo } from '@playwright/test';
import { createPortscope, type Portscope, type PortscopeOptions } from './fixture.ts';
import {
  delivered,
  noDiagnostics,
  nothingQueued,
  type DeliveredOptions,
  type NoDiagnosticsOptions,
  type Verdict,
} from './matchers.ts';
import { summaryTable } from './summary-table.ts';

export { createPortscope };
export type { Portscope, PortscopeOptions };

export interface PortscopeFixtures {
  /** The recording of this test's browser context. */
  portscope: Portscope;
  /** Options for the recording (`test.use({ portscopeOptions: { ... } })`). Call sites are captured by default. */
  portscopeOptions: PortscopeOptions;
  /** When the trace goes into the report: 'on-failure' (default), 'always' or 'never'. */
  portscopeAttach: 'on-failure' | 'always' | 'never';
}

export const test = base.extend<PortscopeFixtures>({
  portscopeOptions: [{}, { option: true }],
  portscopeAttach: ['on-failure', { option: true }],
  // Automatic: every page of the context is instrumented even when the test never names `portscope`.
  portscope: [
    async ({ context, portscopeOptions, portscopeAttach }, use, testInfo) => {
      const portscope = createPortscope(context, { captureStacks: true, ...portscopeOptions });
      await portscope.attach();
      await use(portscope);
      const failed = testInfo.status !== testInfo.expectedStatus;
      if (portscopeAttach === 'always' || (portscopeAttach === 'on-failure' && failed))
        await attachTrace(portscope, testInfo);
    },
    { auto: true },
  ],
});

async function attachTrace(portscope: Portscope, testInfo: TestInfo): Promise<void> {
  const trace = await portscope.trace();
  const sites = portscope.recording.model.diagnostics().map((d) => d.site);
  await testInfo.attach('portscope-summary.txt', { body: summaryTable(trace, { sites }), contentType: 'text/plain' });
  // A file in the test's output folder (test-results/…), so a CI job can keep it as an artefact;
  // it opens with `npx portscope view <file>` or `npx portscope summary <file>`.
  const path = testInfo.outputPath('portscope-trace.json');
  await trace.save(path);
  await testInfo.attach('portscope-trace.json', { path, contentType: 'application/json' });
}

async function verdict(received: unknown, matcher: string, check: (portscope: Portscope) => Verdict) {
  if (!isPortscope(received)) {
    throw new Error(
      `${matcher}: expected the \`portscope\` fixture (or createPortscope(context)), got ${received === null ? 'null' : typeof received}`,
    );
  }
  await received.trace(); // the runtime's last flush, then the model settles
  return check(received);
}

function isPortscope(value: unknown): value is Portscope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Portscope).trace === 'function' &&
    'recording' in value
  );
}

export const expect = baseExpect.extend({
  async toHaveNoDiagnostics(received: unknown, options?: NoDiagnosticsOptions) {
    const v = await verdict(received, 'toHaveNoDiagnostics', (p) => noDiagnostics(p.recording.model, options));
    return { pass: v.pass, message: () => v.message(this.isNot), name: 'toHaveNoDiagnostics' };
  },
  async toHaveDelivered(received: unknown, options?: DeliveredOptions) {
    const v = await verdict(received, 'toHaveDelivered', (p) => delivered(p.recording.model, options));
    return { pass: v.pass, message: () => v.message(this.isNot), name: 'toHaveDelivered' };
  },
  async toHaveNothingQueued(received: unknown) {
    const v = await verdict(received, 'toHaveNothingQueued', (p) => nothingQueued(p.recording.model));
    return { pass: v.pass, message: () => v.message(this.isNot), name: 'toHaveNothingQueued' };
  },
});
