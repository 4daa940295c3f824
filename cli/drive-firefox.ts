/**
 * Drives Firefox ESR with Puppeteer over WebDriver BiDi (Playwright needs its own patched
 * Firefox). The runtime goes in as a preload script (evaluateOnNewDocument) after the
 * exposed function, so it finds `__portscopeEmit` when it evaluates.
 */
import { readFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { browserPath } from './browsers.ts';
import { PortscopeCliError } from './errors.ts';
import { firstLine } from './drive-chromium.ts';
import type { Driver, DriverOptions } from './driver.ts';

export async function driveFirefox(opts: DriverOptions): Promise<Driver> {
  const browser = await puppeteer
    .launch({ browser: 'firefox', executablePath: browserPath('firefox'), headless: !opts.headed })
    .catch((err: Error) => { throw new PortscopeCliError(`Firefox did not start: ${firstLine(err.message)}`); });
  try {
    const page = await browser.newPage();
    await page.exposeFunction('__portscopeEmit', (json: unknown) => { opts.onBatch(json); });
    const config = opts.config ? `globalThis.__portscopeConfig = ${JSON.stringify(opts.config)};\n` : '';
    await page.evaluateOnNewDocument(config + readFileSync(opts.runtimeBundle, 'utf8'));
    let crash: (err: Error) => void = () => {};
    const crashed = new Promise<never>((_, reject) => { crash = reject; });
    crashed.catch(() => {});
    page.on('error', (err) => crash(new PortscopeCliError(`the page crashed while recording: ${firstLine(err.message)}`)));
    return {
      browserVersion: (await browser.version()).replace(/^firefox\//i, 'Firefox '),
      crashed,
      async open(url) {
        await page.goto(url, { waitUntil: 'load', timeout: opts.loadTimeoutMs }).catch((err: Error) => {
          throw new PortscopeCliError(`cannot load ${url}: ${firstLine(err.message)}`);
        });
      },
      close: () => browser.close().catch(() => {}),
    };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}
