/**
 * Launches Debian's Chromium through Playwright, with or without the built extension.
 * One browser per test file (cold start ~1 s, ~400 MB).
 */
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, DIST_CHROME, chromiumPath } from './browsers.ts';

export interface LaunchedChromium {
  context: BrowserContext;
  /** The extension's service worker (only with `extension: true`). */
  serviceWorker?: Worker;
  extensionId?: string;
  close(): Promise<void>;
}

export async function launchChromium(opts: {
  extension: boolean;
  args?: string[];
  headless?: boolean;
}): Promise<LaunchedChromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'portscope-chromium-'));
  const args = [...CHROMIUM_ARGS, ...(opts.args ?? [])];
  if (opts.extension) args.push(`--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    args,
  });
  let serviceWorker: Worker | undefined;
  let extensionId: string | undefined;
  if (opts.extension) {
    serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    extensionId = new URL(serviceWorker.url()).host;
  }
  return {
    context,
    serviceWorker,
    extensionId,
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Evaluates in the extension's service worker; it can restart, so the context is asked for the current one. */
export async function evaluateInServiceWorker<T>(launched: LaunchedChromium, fn: () => T): Promise<T> {
  const worker = launched.context.serviceWorkers()[0] ?? (await launched.context.waitForEvent('serviceworker'));
  return worker.evaluate(fn);
}
