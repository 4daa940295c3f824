/**
 * Drives Chromium with Playwright: the runtime bundle runs in every frame before page
 * scripts (addInitScript) and hands its batches to the recorder through a binding the
 * runtime deletes from the page as soon as it has captured it.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { browserPath, CHROMIUM_ARGS } from './browsers.ts';
import { PortscopeCliError } from './errors.ts';
import type { Driver, DriverOptions } from './driver.ts';

export async function driveChromium(opts: DriverOptions): Promise<Driver> {
  const browser = await chromium
    .launch({ executablePath: browserPath('chromium'), headless: !opts.headed, args: CHROMIUM_ARGS })
    .catch((err: Error) => {
      throw new PortscopeCliError(`Chromium did not start: ${firstLine(err.message)}`);
    });
  try {
    const context = await browser.newContext();
    // The tab opens on about:blank before any navigation: create it before instrumenting, so
    // that empty document does not show up as a context in the recording.
    const page = await context.newPage();
    await context.exposeBinding('__portscopeEmit', (_source, json: unknown) => opts.onBatch(json));
    await bindEmit(context, page, opts.onBatch);
    if (opts.config)
      await context.addInitScript({ content: `globalThis.__portscopeConfig = ${JSON.stringify(opts.config)};` });
    await context.addInitScript({ path: opts.runtimeBundle });
    const crashed = watchCrash(page);
    return {
      browserVersion: `Chromium ${browser.version()}`,
      crashed,
      async open(url) {
        await page.goto(url, { waitUntil: 'load', timeout: opts.loadTimeoutMs }).catch((err: Error) => {
          throw new PortscopeCliError(`cannot load ${url}: ${firstLine(err.message).replace(/^page\.goto: /, '')}`);
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

const CDP_EMIT = '__portscopeEmitCdp';

/**
 * In the page's own process, batches leave through a DevTools-protocol binding whose event
 * carries the batch itself. Playwright's binding drops a call from a context it has not
 * registered yet: a frame's initial about:blank, gone a moment later, lost its first batch (its
 * announcement) that way. Out-of-process frames are other targets, out of this binding's reach:
 * there Playwright's binding stays. Both names are taken away before any page script runs.
 */
export async function bindEmit(
  context: BrowserContext,
  page: Page,
  onBatch: (message: unknown) => void,
): Promise<void> {
  const session = await context.newCDPSession(page);
  session.on('Runtime.bindingCalled', (event) => {
    if (event.name === CDP_EMIT) onBatch(event.payload);
  });
  // Without Runtime.enable in this session the binding reaches no document (measured, Chromium 156).
  await session.send('Runtime.enable');
  await session.send('Runtime.addBinding', { name: CDP_EMIT });
  await context.addInitScript({
    content: `(() => { const g = globalThis; const emit = g.${CDP_EMIT}; if (typeof emit !== 'function') return; delete g.${CDP_EMIT}; Object.defineProperty(g, '__portscopeEmit', { value: (json) => { emit(json); }, configurable: true, writable: true }); })();`,
  });
}

/** Rejects with a PortscopeCliError when the page's renderer crashes; never resolves. */
export function watchCrash(page: Page): Promise<never> {
  const crashed = new Promise<never>((_, reject) => {
    page.on('crash', () => reject(new PortscopeCliError(`the page crashed while recording (${page.url()})`)));
  });
  crashed.catch(() => {}); // observed by whoever races it; never an unhandled rejection
  return crashed;
}

export function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
