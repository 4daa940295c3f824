/**
 * The REAL Portscope DevTools panel in headless Chromium (puppeteer-core, see BROWSERS.md):
 * DevTools opens for every tab, we show our panel through the DevTools frontend's own
 * module, and hand back the panel's frame. The frontend internals used here
 * (`ui/legacy/legacy.js`, `InspectorView.instance().showPanel`) change between Chromium
 * versions: everything that touches them is in this file, and it fails with DevToolsPanelError.
 */
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS, DIST_CHROME, chromiumPath } from './browsers.ts';

export class DevToolsPanelError extends Error {
  constructor(message: string) {
    super(
      `DevTools panel: ${message} (the DevTools frontend internals may have changed in this Chromium; see tests/support/devtools-panel.ts)`,
    );
    this.name = 'DevToolsPanelError';
  }
}

export interface DevToolsSession {
  browser: Browser;
  extensionId: string;
  /** The inspected tab. */
  page: Page;
  /** The DevTools window of that tab, as a page. */
  devtools: Page;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export async function launchWithDevTools(opts: { args?: string[] } = {}): Promise<DevToolsSession> {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    pipe: true,
    enableExtensions: [DIST_CHROME],
    devtools: true,
    handleDevToolsAsPage: true,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
  });
  try {
    const sw = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
      { timeout: 15_000 },
    );
    const extensionId = new URL(sw.url()).host;
    const page = (await browser.pages()).find((p) => !p.url().startsWith('devtools://')) ?? (await browser.newPage());
    const devtools = await devtoolsFor(browser);
    return { browser, extensionId, page, devtools, close: () => browser.close().catch(() => {}) };
  } catch (e) {
    await browser.close().catch(() => {});
    throw e;
  }
}

async function devtoolsFor(browser: Browser): Promise<Page> {
  const target = await browser
    .waitForTarget((t) => t.url().startsWith('devtools://'), { timeout: 15_000 })
    .catch(() => null);
  if (!target)
    throw new DevToolsPanelError(
      'no devtools:// target appeared (is --auto-open-devtools-for-tabs / devtools:true honoured?)',
    );
  const page = await target.asPage();
  if (!page) throw new DevToolsPanelError('the devtools:// target has no page');
  return page;
}

/**
 * Shows the panel titled `title` of extension `extensionId` in `devtools` and returns the panel
 * page's frame (URL ending in panel/index.html). Retries while the frontend starts (~1 s).
 */
export async function showPanel(
  devtools: Page,
  extensionId: string,
  title = 'Portscope',
  timeoutMs = 20_000,
): Promise<Frame> {
  const panelId = `chrome-extension://${extensionId}${title}`;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not tried';
  while (Date.now() < deadline) {
    try {
      // A string, not a function: the test runner rewrites `import()` in functions it compiles.
      await devtools.evaluate(`(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        await UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelId)});
      })()`);
      const frame = devtools.frames().find((f) => f.url().endsWith('panel/index.html'));
      if (frame) return frame;
      lastError = 'showPanel returned but no frame ends with panel/index.html';
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await sleep(200);
  }
  throw new DevToolsPanelError(`could not show panel ${panelId}: ${lastError}`);
}
