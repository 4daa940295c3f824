// Screenshots of the REAL Portscope panel in Chromium's DevTools (headless) on the demo site,
// in the light and the dark DevTools theme, into docs/screenshots/.
//   PORTSCOPE_DIST=.tmp/dist-panel npm run build && PORTSCOPE_DIST=.tmp/dist-panel node scripts/screenshots.mjs
// The DevTools helper is TypeScript (tests/support/devtools-panel.ts) and Node 20 cannot import
// it directly: Vite's module runner loads it.
import { runnerImport } from 'vite';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const shots = resolve(root, 'docs/screenshots');
mkdirSync(shots, { recursive: true });
const load = async (path) => (await runnerImport(resolve(root, path), { configFile: false, logLevel: 'warn' })).module;
const { launchWithDevTools, showPanel } = await load('tests/support/devtools-panel.ts');
const { serveFixtures } = await load('tests/support/server.ts');

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
async function until(read, ok, what, ms = 15_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await read().catch(() => undefined);
    if (ok(last)) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const server = await serveFixtures(resolve(root, 'tests/fixtures'));
const session = await launchWithDevTools();
try {
  await session.devtools.setViewport({ width: 1280, height: 760 });
  let panel = await showPanel(session.devtools, session.extensionId);
  // Undock DevTools so the panel gets the whole window (docked, headless leaves it a strip).
  await session.devtools.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    UI.DockController.DockController.instance().setDockSide('undocked');
  })()`).catch((e) => console.warn(`could not undock DevTools: ${e.message}`));
  await session.page.goto(`${server.origin}/demo/index.html`);
  await until(() => panel.$eval('[data-testid=counts]', (el) => el.textContent), (t) => /\d+ channels .* [3-9] queued/.test(t ?? ''), 'the demo');
  // Let the idle settle (panel/store.ts settleAfter) resolve what waits on unobserved contexts.
  await sleep(3500);

  for (const theme of ['light', 'dark']) {
    await session.devtools.evaluate(`(async () => {
      const Common = await import('./core/common/common.js');
      Common.Settings.Settings.instance().moduleSetting('ui-theme').set(${JSON.stringify(theme === 'dark' ? 'dark' : 'default')});
    })()`);
    await until(() => panel.evaluate(() => document.documentElement.dataset.theme), (t) => t === theme, `the ${theme} theme in the panel`, 5000).catch(async () => {
      // No theme-change event reached the panel: reload it so it reads themeName afresh.
      await panel.evaluate(() => location.reload());
      await sleep(500);
      panel = await showPanel(session.devtools, session.extensionId);
      await until(() => panel.evaluate(() => document.documentElement.dataset.theme), (t) => t === theme, `the ${theme} theme after reload`);
      await sleep(3500);
    });
    const click = (sel) => panel.$eval(sel, (el) => el.click());
    await click('#tab-channels');
    await panel.$$eval('.tree-port .tree-button', (els) => (els.find((el) => el.textContent.includes('3 queued')) ?? els[0])?.click());
    await sleep(200);
    await session.devtools.screenshot({ path: resolve(shots, `channels-${theme}.png`) });
    await click('#tab-messages');
    await panel.$eval('[role=row][aria-rowindex="2"]', (el) => el.click());
    await sleep(200);
    await session.devtools.screenshot({ path: resolve(shots, `messages-${theme}.png`) });
    await click('#tab-timeline');
    await sleep(200);
    await session.devtools.screenshot({ path: resolve(shots, `timeline-${theme}.png`) });
    await click('#tab-diagnostics');
    await sleep(200);
    await session.devtools.screenshot({ path: resolve(shots, `diagnostics-${theme}.png`) });
    console.log(`screenshots (${theme}) written to docs/screenshots/`);
  }
} finally {
  await session.close();
  await server.close();
}
