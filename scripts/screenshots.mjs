// Screenshots of the REAL Portscope panel on the busy page (tests/fixtures/busy/app.html: a worker RPC, a
// cross-origin widget, a shared worker, a scheduler, 50 channels, three planted mistakes):
//   - in Chromium's DevTools (headless): each view (channels, messages, timeline, diagnostics) in the light and
//     the dark DevTools theme at 1280 px, and each view at 600 px wide (light): <view>-<theme>.png, <view>-600.png;
//   - in Firefox ESR's own toolbox on an X display (Xvfb, `import`; scripts/setup.sh installs both), light and
//     dark: firefox-<view>-<theme>.png (the whole window: the page above, the toolbox below).
//   npm run build && node scripts/screenshots.mjs [--out DIR] [--only chromium|firefox]
// DIR defaults to docs/screenshots. PORTSCOPE_DIST=<folder> takes the build from elsewhere.
// The helpers are TypeScript (tests/support/) and Node 20 cannot import them directly: Vite's module runner does.
import { runnerImport } from 'vite';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
if (opts.only && !['chromium', 'firefox'].includes(opts.only)) {
  throw new Error(`--only chromium|firefox, not ${opts.only}`);
}
const shots = resolve(process.cwd(), opts.out ?? resolve(root, 'docs/screenshots'));
mkdirSync(shots, { recursive: true });
const load = async (path) => (await runnerImport(resolve(root, path), { configFile: false, logLevel: 'warn' })).module;
const { serveFixtures } = await load('tests/support/server.ts');

const VIEWS = ['channels', 'messages', 'timeline', 'diagnostics'];
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
async function until(read, ok, what, ms = 30_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await read().catch(() => undefined);
    if (ok(last)) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}
const n = (x) => x.toLocaleString('en-US');
const countsLine = (c) => `${n(c.channels)} channels · ${n(c.ports)} ports · ${n(c.messages)} messages · `;

/**
 * What each view shows selected, run in the panel's document: the port with messages waiting (the planted
 * never-started one), the first RPC request. A selector the panel no longer has leaves the view unselected.
 */
const SELECT = {
  channels: `(() => {
    const buttons = [...document.querySelectorAll('.tree-port .tree-button')];
    (buttons.find((el) => el.textContent.includes('3 queued')) ?? buttons[0])?.click();
    return 'ok';
  })()`,
  messages: `(() => {
    const rows = [...document.querySelectorAll('[role=row][aria-rowindex]')].slice(1);
    (rows.find((el) => el.textContent.includes('method')) ?? rows[0])?.click();
    return 'ok';
  })()`,
  timeline: `'ok'`,
  diagnostics: `'ok'`,
};
const showView = (view) => `(document.getElementById('tab-${view}')?.click(), 'ok')`;

const server = await serveFixtures(resolve(root, 'tests/fixtures'));
const widgetUrl = `${server.crossOrigin}/busy/widget.html`;
const busyUrl = `${server.origin}/busy/app.html#widget=${encodeURIComponent(widgetUrl)}`;
try {
  if (opts.only !== 'firefox') await chromium();
  if (opts.only !== 'chromium') for (const theme of ['light', 'dark']) await firefox(theme);
} finally {
  await server.close();
}

async function chromium() {
  const { launchWithDevTools, showPanel } = await load('tests/support/devtools-panel.ts');
  const session = await launchWithDevTools();
  try {
    await session.devtools.setViewport({ width: 1280, height: 800 });
    let panel = await showPanel(session.devtools, session.extensionId);
    // Undock DevTools so the panel gets the whole window (docked, headless leaves it a strip).
    await session.devtools
      .evaluate(`(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        UI.DockController.DockController.instance().setDockSide('undocked');
      })()`)
      .catch((e) => console.warn(`could not undock DevTools: ${e.message}`));
    await session.page.goto(busyUrl);
    const done = () => session.page.evaluate(() => document.documentElement.dataset.done);
    await until(done, (d) => d === '1', 'the busy page');
    const counted = await session.page.evaluate(() => window.busyCounts);
    const counts = () => panel.$eval('[data-testid=counts]', (el) => el.textContent);
    await until(counts, (t) => t?.startsWith(countsLine(counted)), "the page's counts in the panel");
    // Let the idle settle (panel/store.ts settleAfter) resolve what waits on unobserved contexts.
    await sleep(3500);
    const shoot = async (name) => {
      await session.devtools.screenshot({ path: resolve(shots, name) });
      console.log(`${name}`);
    };
    for (const theme of ['light', 'dark']) {
      await session.devtools.evaluate(`(async () => {
        const Common = await import('./core/common/common.js');
        const setting = Common.Settings.Settings.instance().moduleSetting('ui-theme');
        setting.set(${JSON.stringify(theme === 'dark' ? 'dark' : 'default')});
      })()`);
      const panelTheme = () => panel.evaluate(() => document.documentElement.dataset.theme);
      await until(panelTheme, (t) => t === theme, `the ${theme} theme in the panel`, 5000).catch(async () => {
        // No theme-change event reached the panel: reload it so it reads themeName afresh.
        await panel.evaluate(() => location.reload());
        await sleep(500);
        panel = await showPanel(session.devtools, session.extensionId);
        await until(panelTheme, (t) => t === theme, `the ${theme} theme after reload`);
        await sleep(3500);
      });
      for (const view of VIEWS) {
        await panel.evaluate(showView(view));
        await panel.evaluate(SELECT[view]);
        await sleep(300);
        await shoot(`${view}-${theme}.png`);
      }
      if (theme !== 'light') continue;
      await session.devtools.setViewport({ width: 600, height: 800 });
      await sleep(300);
      for (const view of VIEWS) {
        await panel.evaluate(showView(view));
        await sleep(300);
        await shoot(`${view}-600.png`);
      }
      await session.devtools.setViewport({ width: 1280, height: 800 });
      await sleep(300);
    }
  } finally {
    await session.close();
  }
}

async function firefox(theme) {
  const { launchFirefoxToolbox } = await load('tests/support/firefox-toolbox.ts');
  const toolbox = await launchFirefoxToolbox({ theme, width: 1400, height: 900, toolboxHeight: 560 });
  try {
    await toolbox.showPanel('Portscope');
    await toolbox.page.goto(busyUrl);
    const done = () => toolbox.page.evaluate(() => document.documentElement.dataset.done ?? '');
    await until(done, (d) => d === '1', 'the busy page in Firefox');
    const counted = JSON.parse(await toolbox.page.evaluate(() => JSON.stringify(window.busyCounts)));
    const counts = () => toolbox.inPanel(`document.querySelector('[data-testid=counts]')?.textContent ?? ''`);
    await until(counts, (t) => t?.startsWith(countsLine(counted)), "the page's counts in Firefox's panel");
    await sleep(3500);
    for (const view of VIEWS) {
      await toolbox.inPanel(showView(view));
      await toolbox.inPanel(SELECT[view]);
      await sleep(500);
      const name = `firefox-${view}-${theme}.png`;
      await toolbox.screenshot(resolve(shots, name));
      console.log(name);
    }
  } finally {
    await toolbox.close();
  }
}
