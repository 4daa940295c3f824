// Debian's Chromium with the benchmark's build of the extension: the binary and the flags of
// cli/browsers.ts (the tests' too), loaded through Vite's module runner since Node 20 cannot
// import TypeScript.
// Native runs use an incognito context of the same browser: extensions are off there unless
// the user allows them, so native and instrumented share one binary, one set of flags, one
// machine state.
import { chromium } from 'playwright-core';
import { build, runnerImport } from 'vite';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export class BenchSetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchSetupError';
  }
}

const { module: browsers } = await runnerImport(resolve(import.meta.dirname, '../cli/browsers.ts'), {
  configFile: false,
  logLevel: 'warn',
});

/** Hidden or occluded windows would have their timers throttled and skew the burst case. */
export const UNTHROTTLED = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export const ARGS = [...browsers.CHROMIUM_ARGS, ...UNTHROTTLED];

export function chromiumPath() {
  try {
    return browsers.browserPath('chromium');
  } catch (e) {
    throw new BenchSetupError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Copies the bench-only panel connection page into the bench's own build, with the panel's
 * validator beside it (`bench-panel/validate.js`): protocol/validate.ts of `src` (the checkout the
 * build was made from; this one by default) bundled as it stands, so the connection checks every
 * message as panel/source/extensionPort.ts does, with the same code as the build it measures.
 */
export async function addPanelConnectionPage(distChrome, src = resolve(import.meta.dirname, '..')) {
  const into = join(distChrome, 'bench-panel');
  cpSync(resolve(import.meta.dirname, 'fixtures/extension'), into, { recursive: true });
  await build({
    root: src,
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: into,
      emptyOutDir: false,
      // Names kept, for CPU profiles of the panel connection's page.
      minify: false,
      lib: {
        entry: resolve(src, 'protocol/validate.ts'),
        name: 'portscopeProtocol',
        formats: ['iife'],
        fileName: () => 'validate.js',
      },
    },
  });
}

/**
 * A copy of the build whose content scripts do nothing: the same manifest (same worlds, same
 * document_start, same frames), empty files. What Chromium itself charges for injecting them.
 */
export function makeEmptyExtension(distChrome, into) {
  rmSync(into, { recursive: true, force: true });
  cpSync(distChrome, into, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(into, 'manifest.json'), 'utf8'));
  for (const script of manifest.content_scripts ?? [])
    for (const file of script.js ?? []) writeFileSync(join(into, file), '(function () {})();\n');
  return into;
}

/** A second browser with only that empty extension, for the page-load baseline. */
export async function launchEmptyExtensionChromium(emptyDist) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'portscope-bench-empty-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...ARGS, `--disable-extensions-except=${emptyDist}`, `--load-extension=${emptyDist}`],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBenchChromium(distChrome) {
  if (!existsSync(join(distChrome, 'manifest.json')))
    throw new BenchSetupError(`${distChrome}/manifest.json is missing: the build failed`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'portscope-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...ARGS, `--disable-extensions-except=${distChrome}`, `--load-extension=${distChrome}`],
  });
  const serviceWorker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  const browser = context.browser();
  const native = await browser.newContext();
  return {
    context,
    native,
    browser,
    serviceWorker,
    extensionId,
    version: browser.version(),
    async close() {
      await native.close().catch(() => {});
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A CDP session on the extension's service worker. Playwright opens CDP sessions on pages only,
 * so this goes through the browser session with a non-flat attach (messages wrapped in
 * Target.sendMessageToTarget).
 */
export async function serviceWorkerSession(browser) {
  const root = await browser.newBrowserCDPSession();
  const { targetInfos } = await root.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if (!target) throw new BenchSetupError('the extension service worker target is not running');
  const { sessionId } = await root.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  const pending = new Map();
  let next = 0;
  root.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const reply = JSON.parse(e.message);
    const settle = pending.get(reply.id);
    if (!settle) return;
    pending.delete(reply.id);
    settle(reply);
  });
  const send = (method, params = {}) =>
    new Promise((ok, fail) => {
      const id = ++next;
      pending.set(id, (reply) =>
        reply.error ? fail(new Error(`${method}: ${reply.error.message}`)) : ok(reply.result),
      );
      root
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
        .catch(fail);
    });
  return { send, detach: () => root.detach().catch(() => {}) };
}

/**
 * A browser of its own with one page, for the scripts that compare builds side by side in
 * separate browsers (bench/idle-*.mjs, ab-idle.mjs): `ext` an unpacked extension folder, or none
 * for the native page. With `threadTicks`, `threadTime()` reads the page main thread's CPU seconds
 * (CDP Performance metrics in thread ticks: the runtime, the relay and the page all run there).
 */
export async function launchWithPage(ext, { prefix = 'portscope-bench-', threadTicks = false } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), prefix));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: ext ? [...ARGS, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`] : ARGS,
  });
  const serviceWorker = ext
    ? (context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker')))
    : undefined;
  const page = await context.newPage();
  const cdp = threadTicks ? await context.newCDPSession(page) : undefined;
  await cdp?.send('Performance.enable', { timeDomain: 'threadTicks' });
  return {
    context,
    page,
    serviceWorker,
    userDataDir,
    async threadTime() {
      if (!cdp) throw new BenchSetupError('launchWithPage: threadTime() needs { threadTicks: true }');
      return (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
    },
    close: () => context.close().then(() => rmSync(userDataDir, { recursive: true, force: true })),
  };
}
