/**
 * createPortscope (`portscope`, and under Playwright Test's fixture in cli/playwright-test.ts):
 * records a browser context's pages and hands back the model's summary, so a test can assert
 * `expect(trace.diagnostics).toEqual([])`.
 *
 *   const portscope = createPortscope(context);
 *   await portscope.attach(page);        // before page.goto
 *   await page.goto(url); ...
 *   const trace = await portscope.trace();
 */
import type { RuntimeConfig } from '../protocol/handshake.ts';
import type { Summary } from '../protocol/summary.ts';
import type { Trace } from '../protocol/trace.ts';
import type { ModelStats } from '../panel/model/types.ts';
import { runtimeBundle } from './artefacts.ts';
import { PortscopeCliError } from './errors.ts';
import { writeTrace } from './record.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { bindEmit } from './drive-chromium.ts';
import { Recording, type RecordingOptions } from './recording.ts';

/**
 * What createPortscope uses of a Playwright BrowserContext and Page, written out so that a
 * context from any Playwright copy fits (a project can hold two: its own @playwright/test's and
 * the one `portscope record` uses).
 */
export interface PortscopeContext {
  exposeBinding(name: string, binding: (source: unknown, json: unknown) => void): Promise<unknown>;
  addInitScript(script: { path?: string; content?: string }): Promise<unknown>;
  pages(): PortscopePage[];
  browser(): { version(): string } | null;
}

export interface PortscopePage {
  url(): string;
  context(): unknown;
}

export interface PortscopeOptions extends RecordingOptions, Partial<RuntimeConfig> {}

export interface PortscopeTrace extends Summary {
  stats: ModelStats;
  /** Facts refused as malformed before the model, per kind. */
  refused: Record<string, number>;
  /** The full trace file (for `save`, or to attach to a test report). */
  toTrace(): Trace;
  save(path: string): Promise<void>;
}

export interface Portscope {
  /** Instruments the context (once) before `page` navigates; documents loaded earlier are not recorded. */
  attach(page?: PortscopePage): Promise<void>;
  /** Waits for the runtime's last flush, then returns the summary of everything recorded so far. */
  trace(): Promise<PortscopeTrace>;
  readonly recording: Recording;
}

export function createPortscope(context: PortscopeContext, options: PortscopeOptions = {}): Portscope {
  const { captureStacks, inWorker, ...recordingOptions } = options;
  const recording = new Recording(recordingOptions);
  let installed: Promise<void> | undefined;
  const install = async (page?: PortscopePage) => {
    await context.exposeBinding('__portscopeEmit', (_source, json: unknown) => recording.receive(json));
    // As the recorder does: in the attached page's process batches leave through a CDP binding
    // (a frame's initial about:blank lost its first batch through Playwright's).
    // Playwright's Firefox and WebKit have no CDP session: there its binding stays the only way.
    // The casts: the context and page are a Playwright copy's (PortscopeContext says why); a
    // context without CDP rejects, and the catch keeps its own binding.
    if (page)
      await bindEmit(context as unknown as BrowserContext, page as unknown as Page, (json) =>
        recording.receive(json),
      ).catch(() => {});
    if (captureStacks !== undefined || inWorker !== undefined) {
      const config: RuntimeConfig = { captureStacks: Boolean(captureStacks), inWorker: Boolean(inWorker) };
      await context.addInitScript({ content: `globalThis.__portscopeConfig = ${JSON.stringify(config)};` });
    }
    await context.addInitScript({ path: runtimeBundle() });
  };
  return {
    recording,
    async attach(page) {
      if (page && page.context() !== context)
        throw new PortscopeCliError(
          'attach(page): the page belongs to another browser context than createPortscope(context)',
        );
      if (page && page.url() !== 'about:blank') {
        throw new PortscopeCliError(
          `attach(page): ${page.url()} was loaded before Portscope was attached; attach first, then navigate (or reload)`,
        );
      }
      installed ??= install(page);
      await installed;
    },
    async trace() {
      if (!installed) throw new PortscopeCliError('trace(): call attach() before recording');
      await installed;
      await recording.settle();
      const page = context.pages()[0];
      const snapshot = (): Trace =>
        recording.toTrace({ browser: `Chromium ${context.browser()?.version() ?? ''}`.trim(), url: page?.url() ?? '' });
      return {
        ...recording.model.summary(),
        stats: recording.model.stats,
        refused: { ...recording.refused },
        toTrace: snapshot,
        save: (path) => writeTrace(snapshot(), path),
      };
    },
  };
}
