// The three pages every case runs in: `native` (incognito context, no extension), `idle`
// (extension installed, nobody watching the tab: the runtime counts) and `recording` (a panel connection subscribed to
// the tab). Each lives in a window of its own, so all three stay visible.
import { BenchSetupError } from './chromium.mjs';

/** Time after `load` before a run starts (see goto). */
const SETTLE_MS = 150;

export const MODES = ['native', 'idle', 'recording'];

export async function openModePages(bench, origin) {
  const panel = await bench.context.newPage();
  await panel.goto(`chrome-extension://${bench.extensionId}/bench-panel/bench-panel.html`);
  await panel.waitForFunction(() => typeof globalThis.benchPanel === 'object');

  const openExtensionWindow = async (tag) => {
    const url = `${origin}/blank.html?mode=${tag}`;
    const appeared = bench.context.waitForEvent('page', { predicate: (p) => p.url() === url, timeout: 15_000 });
    const { tabId, windowId } = await panel.evaluate((u) => globalThis.benchPanel.openWindow(u), url);
    const page = await appeared;
    await page.waitForLoadState('load');
    return { page, tabId, windowId };
  };
  const idle = await openExtensionWindow('idle');
  const recording = await openExtensionWindow('recording');
  await panel.evaluate((tabId) => globalThis.benchPanel.subscribe(tabId), recording.tabId);
  const native = { page: await bench.native.newPage() };
  await native.page.goto(`${origin}/blank.html?mode=native`);

  const byMode = { native, idle, recording };
  for (const mode of MODES) {
    const v = await byMode[mode].page.evaluate(() => document.visibilityState);
    if (v !== 'visible') throw new Error(`the ${mode} page is ${v}: its timers would be throttled`);
  }
  const pages = {
    panel: {
      page: panel,
      reset: () => panel.evaluate(() => globalThis.benchPanel.reset()),
      report: () => panel.evaluate(() => globalThis.benchPanel.report()),
    },
    page: (mode) => byMode[mode].page,
    tabId: (mode) => byMode[mode].tabId,
    /** A CDP session on the mode's page for the time of `use` (navigations may swap the target). */
    async withCdp(mode, use) {
      const page = byMode[mode].page;
      const session = await page.context().newCDPSession(page);
      try {
        return await use(session);
      } finally {
        await session.detach().catch(() => {});
      }
    },
    /** A fresh document for every run: nothing left over from the previous one. */
    async goto(mode, path) {
      const page = byMode[mode].page;
      await page.goto(`${origin}${path}`, { waitUntil: 'load' });
      // The runtime records until its relay's first config arrives (a background round trip
      // after document_start); idle means the settled state, so every mode waits alike.
      await page.waitForTimeout(SETTLE_MS);
      return page;
    },
  };
  // Native must really be native and the other two really instrumented: the extension's
  // content script world shows up among the page's execution contexts exactly when it runs.
  for (const mode of MODES) {
    await pages.goto(mode, '/blank.html');
    const worlds = await pages.withCdp(mode, async (cdp) => {
      const seen = [];
      cdp.on('Runtime.executionContextCreated', (e) => seen.push(e.context.origin));
      await cdp.send('Runtime.enable');
      await cdp.send('Runtime.disable');
      return seen;
    });
    const extension = worlds.some((o) => o === `chrome-extension://${bench.extensionId}`);
    if (extension !== (mode !== 'native'))
      throw new BenchSetupError(
        `the ${mode} page ${extension ? 'runs' : 'does not run'} the extension's content scripts`,
      );
  }
  return pages;
}
