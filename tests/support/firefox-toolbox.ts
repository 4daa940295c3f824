/**
 * Firefox ESR's own DevTools toolbox with the built add-on, on a real X display (Xvfb), driven
 * through Firefox's remote debugging protocol: the browser window's chrome scope opens the
 * toolbox on the tab and selects the Portscope panel as a user's F12 and click would, and the
 * panel page is reached as one of the add-on's targets, so a test reads the panel's own DOM.
 * The toolbox internals used here (the DevTools loader's `gDevTools`, `getAdditionalTools`,
 * `selectTool`) can change between Firefox versions: everything that touches them is in this
 * file, and it fails with FirefoxToolboxError.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { DIST_FIREFOX, firefoxPath } from './browsers.ts';
import { Rdp, RDP_PREFS } from './firefox.ts';

export class FirefoxToolboxError extends Error {
  constructor(message: string) {
    super(
      `Firefox toolbox: ${message} (the toolbox internals may have changed in this Firefox; ` +
        'see tests/support/firefox-toolbox.ts)',
    );
    this.name = 'FirefoxToolboxError';
  }
}

export interface ToolboxOptions {
  /** The X screen and the browser window, in pixels (default 1400 × 900). */
  width?: number;
  height?: number;
  /** The DevTools theme (`devtools.theme`); default light. */
  theme?: 'light' | 'dark';
  /** The toolbox's height when docked at the bottom (default 420). */
  toolboxHeight?: number;
}

export interface FirefoxToolbox {
  browser: Browser;
  /** The tab the toolbox is opened on. */
  page: Page;
  /** Opens the toolbox on the tab and selects the panel titled `title`; answers its tool id. */
  showPanel(title?: string): Promise<string>;
  /** Evaluates `text` (a string-valued expression, or a promise of one) in the panel's page. */
  inPanel(text: string): Promise<string>;
  /** Evaluates `text` in the browser window's chrome scope, where `toolbox` is the tab's toolbox. */
  inToolbox(text: string): Promise<string>;
  /** A PNG of the whole X screen (ImageMagick's `import`). */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** An Xvfb server on a free display number (Xvfb picks it and writes it to fd 3). */
async function startXvfb(width: number, height: number): Promise<{ display: string; stop(): void }> {
  const args = ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'];
  const xvfb: ChildProcess = spawn('Xvfb', args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const stop = () => {
    if (xvfb.exitCode === null) xvfb.kill();
  };
  let stderr = '';
  xvfb.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const display = await new Promise<string>((ok, ko) => {
    let out = '';
    const timer = setTimeout(() => {
      ko(new FirefoxToolboxError(`Xvfb gave no display number in 10 s: ${stderr.slice(-300)}`));
    }, 10_000);
    xvfb.once('error', (e) => {
      clearTimeout(timer);
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      const why = missing ? 'Xvfb not found: run scripts/setup.sh (apt-get install -y xvfb)' : `Xvfb: ${e.message}`;
      ko(new FirefoxToolboxError(why));
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      ko(new FirefoxToolboxError(`Xvfb exited with ${code}: ${stderr.slice(-300)}`));
    });
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) {
        clearTimeout(timer);
        ok(`:${out.trim()}`);
      }
    });
  }).catch((e) => {
    stop();
    throw e;
  });
  return { display, stop };
}

/** The tab's toolbox, for code evaluated in the browser window (`gBrowser` is its tab strip). */
const TOOLBOX = `(() => {
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  return require('devtools/client/framework/devtools').gDevTools;
})()`;

export async function launchFirefoxToolbox(opts: ToolboxOptions = {}): Promise<FirefoxToolbox> {
  const width = opts.width ?? 1400;
  const height = opts.height ?? 900;
  const xvfb = await startXvfb(width, height);
  const rdpPort = 6_000 + Math.floor(Math.random() * 3_000);
  let browser: Browser | undefined;
  let rdp: Rdp | undefined;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefoxPath(),
      headless: false,
      args: ['--start-debugger-server', String(rdpPort)],
      env: { ...process.env, DISPLAY: xvfb.display },
      extraPrefsFirefox: {
        ...RDP_PREFS,
        'devtools.toolbox.host': 'bottom',
        'devtools.toolbox.footer.height': opts.toolboxHeight ?? 420,
        'devtools.theme': opts.theme ?? 'light',
        // The toolbox's own chrome (its tab strip) follows the system's colour scheme, not only devtools.theme.
        'ui.systemUsesDarkTheme': opts.theme === 'dark' ? 1 : 0,
      },
    });
    const addonId = await browser.installExtension(DIST_FIREFOX);
    rdp = await Rdp.open(rdpPort);
    const client = rdp;
    type Descriptor = { processDescriptor?: { actor: string } };
    const { processDescriptor } = (await client.request('root', 'getProcess', { id: 0 })) as Descriptor;
    if (!processDescriptor) throw new FirefoxToolboxError('the debugger server lists no parent process');
    type Target = { process?: { consoleActor?: string } };
    const { process: parent } = (await client.request(processDescriptor.actor, 'getTarget')) as Target;
    if (!parent?.consoleActor) throw new FirefoxToolboxError('the parent process target has no console');
    const chrome = (text: string) => client.evaluate(parent.consoleActor as string, text);
    // Without a window manager the window keeps Firefox's default size: give it the screen.
    await chrome(`(window.moveTo(0, 0), window.resizeTo(${width}, ${height}), 'ok')`);
    const page = (await browser.pages())[0] ?? (await browser.newPage());

    let panelConsole: string | undefined;
    const findPanelConsole = async (): Promise<string> => {
      type Addons = { addons: { id: string; actor: string }[] };
      const { addons } = (await client.request('root', 'listAddons')) as unknown as Addons;
      const addon = addons.find((a) => a.id === addonId);
      if (!addon) throw new FirefoxToolboxError(`add-on ${addonId} not listed`);
      const watcher = (await client.request(addon.actor, 'getWatcher')) as unknown as { actor: string };
      await client.request(watcher.actor, 'watchTargets', { targetType: 'frame' });
      const deadline = Date.now() + 15_000;
      for (;;) {
        const form = client
          .targetForms()
          .filter((t) => typeof t.url === 'string' && /^moz-extension:\/\/[^/]+\/panel\/index\.html/.test(t.url))
          .at(-1);
        if (typeof form?.consoleActor === 'string') return form.consoleActor;
        if (Date.now() > deadline) {
          const urls = client.targetForms().map((t) => String(t.url));
          throw new FirefoxToolboxError(`no panel/index.html among the add-on's documents (${urls.join(', ')})`);
        }
        await sleep(200);
      }
    };

    const launched = browser;
    return {
      browser: launched,
      page,
      async showPanel(title = 'Portscope') {
        // The add-on's devtools page adds the panel once the toolbox has loaded it: poll.
        const deadline = Date.now() + 20_000;
        let answer: { id?: string; have?: string[] } = {};
        while (!answer.id) {
          answer = JSON.parse(
            await chrome(`(async () => {
            const toolbox = await ${TOOLBOX}.showToolboxForTab(gBrowser.selectedTab, { hostType: 'bottom' });
            const tools = toolbox.getAdditionalTools();
            const tool = tools.find((t) => t.label === ${JSON.stringify(title)});
            if (!tool) return JSON.stringify({ have: tools.map((t) => t.label) });
            await toolbox.selectTool(tool.id);
            return JSON.stringify({ id: tool.id });
          })()`),
          ) as typeof answer;
          if (answer.id) break;
          if (Date.now() > deadline) {
            const have = answer.have?.join(', ') || 'none';
            throw new FirefoxToolboxError(`no tool labelled ${title} in 20 s (have ${have})`);
          }
          await sleep(200);
        }
        const id = answer.id;
        panelConsole = await findPanelConsole();
        return id;
      },
      inPanel(text) {
        if (!panelConsole) throw new FirefoxToolboxError('inPanel before showPanel');
        return client.evaluate(panelConsole, text);
      },
      inToolbox(text) {
        return chrome(`(async () => {
          const toolbox = ${TOOLBOX}.getToolboxForTab(gBrowser.selectedTab);
          if (!toolbox) return 'no toolbox on the selected tab';
          return ${text};
        })()`);
      },
      async screenshot(path) {
        await run('import', ['-display', xvfb.display, '-window', 'root', path]).catch((e: NodeJS.ErrnoException) => {
          const missing = e.code === 'ENOENT';
          const why = missing ? 'import not found: run scripts/setup.sh (imagemagick)' : `import: ${e.message}`;
          throw new FirefoxToolboxError(why);
        });
      },
      async close() {
        client.close();
        await launched.close().catch(() => {});
        xvfb.stop();
      },
    };
  } catch (e) {
    rdp?.close();
    await browser?.close().catch(() => {});
    xvfb.stop();
    throw e;
  }
}
