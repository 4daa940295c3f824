/**
 * Drives Chromium over its own DevTools pipe (cli/cdp-pipe.ts) with every document and every
 * worker instrumented from its first line (cli/workers.ts). `portscope record` uses it: the
 * recorder owns the browser, so nothing else attaches to its workers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserPath, CHROMIUM_ARGS } from './browsers.ts';
import { launchOverPipe, type CdpParams } from './cdp-pipe.ts';
import { PortscopeCliError } from './errors.ts';
import type { Driver, DriverOptions } from './driver.ts';
import { ProtocolTargets, type WorkerAccount } from './workers.ts';

export interface PipeDriver extends Driver {
  workers: WorkerAccount;
  /** Evaluates an expression in the top document (awaiting a promise) and returns its value as JSON would. */
  evaluate(expression: string): Promise<unknown>;
  /** A DevTools protocol command on the top page's session (tests use it to stop service workers, as the browser does when they are idle). */
  pageCommand(method: string, params?: CdpParams): Promise<CdpParams>;
}

export async function driveChromiumOverPipe(opts: DriverOptions): Promise<PipeDriver> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'portscope-record-'));
  const args = [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`, '--no-startup-window'];
  if (!opts.headed) args.push('--headless');
  const browser = launchOverPipe(browserPath('chromium'), args);
  const { connection: cdp } = browser;
  let closed = false;
  let targets: ProtocolTargets | undefined;
  const close = async () => {
    if (closed) return;
    closed = true;
    targets?.stop();
    const exited = new Promise<void>((resolve) =>
      browser.process.exitCode !== null || browser.process.signalCode !== null
        ? resolve()
        : browser.process.once('exit', () => resolve()),
    );
    void cdp.send('Browser.close').catch(() => {});
    const timer = setTimeout(() => browser.process.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    try {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A leftover profile in the temp folder is not worth failing a recording for.
    }
  };
  try {
    const version = await Promise.race([
      cdp.send('Browser.getVersion'),
      new Promise<never>((_, reject) => {
        browser.process.once('error', (err) => reject(new PortscopeCliError(`Chromium did not start: ${err.message}`)));
        browser.process.once('exit', () =>
          reject(new PortscopeCliError(`Chromium did not start: ${lastLine(browser.stderr())}`)),
        );
        setTimeout(
          () => reject(new PortscopeCliError(`Chromium did not start within 30 s: ${lastLine(browser.stderr())}`)),
          30_000,
        ).unref();
      }),
    ]);
    targets = new ProtocolTargets(cdp, {
      runtime: readFileSync(opts.runtimeBundle, 'utf8'),
      captureStacks: opts.config?.captureStacks ?? false,
      preview: opts.config?.preview,
      onBatch: (json) => opts.onBatch(json),
    });
    await targets.start();
    // The tab opens on about:blank before any navigation; that empty document was created
    // before the runtime was registered, so it does not show up as a context.
    const topAttached = new Promise<string>((resolve) => {
      const onAttached = (params: CdpParams, parent: string | undefined) => {
        if (parent === undefined && (params.targetInfo as { type: string }).type === 'page') {
          cdp.off('Target.attachedToTarget', onAttached);
          resolve(params.sessionId as string);
        }
      };
      cdp.on('Target.attachedToTarget', onAttached);
    });
    await cdp.send('Target.createTarget', { url: 'about:blank' });
    const top = await topAttached;
    await cdp.send('Page.setLifecycleEventsEnabled', { enabled: true }, top);
    await cdp.send('Inspector.enable', {}, top);
    const crashed = new Promise<never>((_, reject) => {
      cdp.on('Inspector.targetCrashed', (_p, sessionId) => {
        if (sessionId === top) reject(new PortscopeCliError('the page crashed while recording'));
      });
      cdp.whenClosed(() => {
        if (!closed) reject(new PortscopeCliError('the browser closed while recording'));
      });
    });
    crashed.catch(() => {}); // observed by whoever races it; never an unhandled rejection
    return {
      browserVersion: `Chromium ${String(version.product ?? '').split('/')[1] ?? ''}`.trim(),
      crashed,
      workers: targets.account,
      pageCommand: (method, params = {}) => cdp.send(method, params, top),
      async evaluate(expression) {
        const result = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, top);
        const thrown = result.exceptionDetails as { exception?: { description?: string }; text?: string } | undefined;
        if (thrown)
          throw new PortscopeCliError(
            `evaluation threw: ${thrown.exception?.description ?? thrown.text ?? 'an exception'}`,
          );
        return (result.result as { value?: unknown }).value;
      },
      async open(url) {
        const loads = new Set<string>();
        let wanted: string | undefined;
        let done: () => void = () => {};
        const loaded = new Promise<void>((resolve) => (done = resolve));
        const onLifecycle = (p: CdpParams, sessionId: string | undefined) => {
          if (sessionId !== top || p.name !== 'load') return;
          loads.add(p.loaderId as string);
          if (wanted !== undefined && loads.has(wanted)) done();
        };
        cdp.on('Page.lifecycleEvent', onLifecycle);
        try {
          const nav = await cdp.send('Page.navigate', { url }, top);
          if (nav.errorText) throw new PortscopeCliError(`cannot load ${url}: ${String(nav.errorText)}`);
          wanted = nav.loaderId as string;
          if (loads.has(wanted)) done();
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            loaded,
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () =>
                  reject(new PortscopeCliError(`cannot load ${url}: no load event within ${opts.loadTimeoutMs} ms`)),
                opts.loadTimeoutMs,
              );
            }),
          ]).finally(() => clearTimeout(timer));
        } finally {
          cdp.off('Page.lifecycleEvent', onLifecycle);
        }
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] || 'no output';
}
