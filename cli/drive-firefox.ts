/**
 * Drives Firefox ESR with Puppeteer over WebDriver BiDi (Playwright needs its own patched
 * Firefox). The runtime goes in as a preload script (evaluateOnNewDocument) after the one that
 * defines `__portscopeEmit`, so it finds it when it evaluates.
 */
import { readFileSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { browserPath } from './browsers.ts';
import { PortscopeCliError } from './errors.ts';
import { firstLine } from './drive-chromium.ts';
import { blobWorkersAllowedAt, fetchPage } from './blob-policy.ts';
import type { Driver, DriverOptions } from './driver.ts';

/** The part of Puppeteer's WebDriver BiDi connection used here (public on its BidiBrowser). */
interface BidiConnection {
  send(
    method: 'script.addPreloadScript',
    params: { functionDeclaration: string; arguments: { type: 'channel'; value: { channel: string } }[] },
  ): Promise<unknown>;
  on(
    event: 'script.message',
    handler: (params: { channel: string; data: { type: string; value?: unknown } }) => void,
  ): unknown;
}

const CHANNEL = 'portscope-emit';

/**
 * `__portscopeEmit` in every document, first of all preload scripts, as a WebDriver BiDi
 * channel: the batch (a string) travels in the event itself. Puppeteer's `exposeFunction` reads
 * its arguments back from the page afterwards, which fails once the document is gone: a frame's
 * initial about:blank often unloads before that (its first batch, with its announcement, was lost).
 * A frame's initial about:blank and the real document that may reuse its Window are told apart
 * by the model (panel/model/lifecycle.ts), as in Chromium and the extension.
 */
async function exposeEmit(browser: Browser, onBatch: (message: unknown) => void): Promise<void> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  connection.on('script.message', (params) => {
    if (params.channel === CHANNEL && params.data.type === 'string') onBatch(params.data.value);
  });
  await connection.send('script.addPreloadScript', {
    functionDeclaration: `(emit) => { Object.defineProperty(globalThis, '__portscopeEmit', { value: (json) => { emit(json); }, configurable: true, writable: true }); }`,
    arguments: [{ type: 'channel', value: { channel: CHANNEL } }],
  });
}

export async function driveFirefox(opts: DriverOptions): Promise<Driver> {
  const browser = await puppeteer
    .launch({ browser: 'firefox', executablePath: browserPath('firefox'), headless: !opts.headed })
    .catch((err: Error) => {
      throw new PortscopeCliError(`Firefox did not start: ${firstLine(err.message)}`);
    });
  try {
    const page = await browser.newPage();
    await exposeEmit(browser, opts.onBatch);
    const runtime = readFileSync(opts.runtimeBundle, 'utf8');
    let preload: string | undefined;
    /**
     * The runtime as a preload script, with its config. With `--workers`, the config says where
     * the page's policy was read to allow blob: workers (cli/blob-policy.ts), so the workers of
     * its first script are built from the bootstrap rather than left native until a probe answers.
     */
    const preloadRuntime = async (blobWorkersAllowedAt: string | undefined) => {
      if (preload !== undefined) await page.removeScriptToEvaluateOnNewDocument(preload);
      const config = opts.config
        ? `globalThis.__portscopeConfig = ${JSON.stringify({ ...opts.config, ...(blobWorkersAllowedAt !== undefined ? { blobWorkersAllowedAt } : {}) })};\n`
        : '';
      // A preload script's frames carry the document's URL in Firefox: named, the runtime's own
      // frames are told from the page's inline scripts (call sites keep the page's frames only).
      ({ identifier: preload } = await page.evaluateOnNewDocument(
        `${config}${runtime}\n//# sourceURL=portscope-runtime.js\n`,
      ));
    };
    await preloadRuntime(undefined);
    let crash: (err: Error) => void = () => {};
    const crashed = new Promise<never>((_, reject) => {
      crash = reject;
    });
    crashed.catch(() => {});
    page.on('error', (err) =>
      crash(new PortscopeCliError(`the page crashed while recording: ${firstLine(err.message)}`)),
    );
    return {
      browserVersion: (await browser.version()).replace(/^firefox\//i, 'Firefox '),
      crashed,
      async open(url) {
        if (opts.config?.inWorker) {
          const fetched = await fetchPage(url, opts.loadTimeoutMs);
          await preloadRuntime(fetched && blobWorkersAllowedAt(fetched));
        }
        await page.goto(url, { waitUntil: 'load', timeout: opts.loadTimeoutMs }).catch((err: Error) => {
          throw new PortscopeCliError(`cannot load ${url}: ${firstLine(err.message)}`);
        });
      },
      evaluate: (expression) => page.evaluate(expression),
      close: () => browser.close().catch(() => {}),
    };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}
