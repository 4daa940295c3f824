/**
 * Launches Debian's Firefox ESR through puppeteer-core (WebDriver BiDi), with or without the
 * built add-on, and reads the add-on's background through Firefox's own remote debugging
 * protocol (the one web-ext and about:debugging use): puppeteer's BiDi session shows no
 * extension realms, and a test cannot navigate to moz-extension:// pages.
 * One browser per mode per test file (Firefox is heavier than Chromium on two cores).
 */
import { connect, type Socket } from 'node:net';
import puppeteer, { type Browser } from 'puppeteer-core';
import { DIST_FIREFOX, firefoxPath } from './browsers.ts';
import { until } from './until.ts';

/** Prefs that let a local client attach to `--start-debugger-server` without a prompt. */
export const RDP_PREFS = {
  'devtools.debugger.remote-enabled': true,
  'devtools.chrome.enabled': true,
  'devtools.debugger.prompt-connection': false,
};

export class RdpError extends Error {
  override name = 'RdpError';
}

type Packet = Record<string, unknown> & { from?: string; type?: string };

/** A client of Firefox's remote debugging protocol (length-prefixed JSON packets over TCP). */
export class Rdp {
  private buffer = Buffer.alloc(0);
  /** Every packet received (the target list arrives as unsolicited packets). */
  private readonly events: Packet[] = [];
  private waiters: { match: (p: Packet) => boolean; resolve: (p: Packet) => void }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const colon = this.buffer.indexOf(58);
        if (colon < 0) return;
        const length = Number(this.buffer.subarray(0, colon).toString());
        if (this.buffer.length < colon + 1 + length) return;
        const packet = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString()) as Packet;
        this.buffer = this.buffer.subarray(colon + 1 + length);
        this.events.push(packet);
        const i = this.waiters.findIndex((w) => w.match(packet));
        if (i >= 0) this.waiters.splice(i, 1)[0].resolve(packet);
      }
    });
  }

  static async open(port: number, timeoutMs = 15_000): Promise<Rdp> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((ok, ko) => {
          const s = connect(port, '127.0.0.1', () => ok(s));
          s.once('error', ko);
        });
        const rdp = new Rdp(socket);
        await rdp.next((p) => p.from === 'root');
        return rdp;
      } catch (e) {
        if (Date.now() > end) throw new RdpError(`no Firefox debugger server on port ${port}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** The first packet from index `since` on that matches (already received or still to come). */
  private next(match: (p: Packet) => boolean, since = this.events.length, timeoutMs = 15_000): Promise<Packet> {
    const had = this.events.slice(since).find(match);
    if (had) return Promise.resolve(had);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new RdpError('no reply from the Firefox debugger server')), timeoutMs);
      this.waiters.push({ match, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  async request(to: string, type: string, extra: Record<string, unknown> = {}): Promise<Packet> {
    const body = Buffer.from(JSON.stringify({ to, type, ...extra }));
    // Replies carry no `type`; unsolicited packets (events) do.
    const reply = this.next((p) => p.from === to && p.type === undefined);
    this.socket.write(`${body.length}:`);
    this.socket.write(body);
    const p = await reply;
    if (p.error) throw new RdpError(`${type} → ${String(p.error)}: ${String(p.message ?? '')}`);
    return p;
  }

  /** The console actor of an add-on's background page (descriptor → watcher → frame targets). */
  async addonConsole(addonId: string): Promise<string> {
    const { addons } = (await this.request('root', 'listAddons')) as unknown as {
      addons: { id: string; actor: string }[];
    };
    const addon = addons.find((a) => a.id === addonId);
    if (!addon) throw new RdpError(`add-on ${addonId} not listed (have ${addons.map((a) => a.id).join(', ')})`);
    const watcher = (await this.request(addon.actor, 'getWatcher')) as unknown as { actor: string };
    await this.request(watcher.actor, 'watchTargets', { targetType: 'frame' });
    type Form = { url?: string; consoleActor?: string };
    const background = this.events
      .filter((p) => p.type === 'target-available-form')
      .map((p) => p.target as Form)
      .find((t) => t.url?.startsWith('moz-extension://') && t.consoleActor);
    if (!background?.consoleActor) throw new RdpError(`no background page target for ${addonId}`);
    return background.consoleActor;
  }

  /**
   * Evaluates an expression that yields a string (or a promise of one, awaited by the console).
   * Long strings come back as grips: they are fetched in full through their actor.
   */
  async evaluate(consoleActor: string, text: string): Promise<string> {
    const since = this.events.length;
    const { resultID } = (await this.request(consoleActor, 'evaluateJSAsync', { text, mapped: { await: true } })) as {
      resultID?: string;
    };
    const r = await this.next((p) => p.type === 'evaluationResult' && p.resultID === resultID, since, 60_000);
    if (r.exceptionMessage) throw new RdpError(`evaluation threw: ${String(r.exceptionMessage)}`);
    if (typeof r.result === 'string') return r.result;
    const grip = r.result as { type?: string; actor?: string; length?: number } | undefined;
    if (grip?.type === 'longString' && grip.actor && typeof grip.length === 'number') {
      const { substring } = (await this.request(grip.actor, 'substring', { start: 0, end: grip.length })) as {
        substring?: string;
      };
      if (typeof substring === 'string') return substring;
    }
    throw new RdpError(`expected a string result, got ${JSON.stringify(r.result).slice(0, 200)}`);
  }

  /** The targets announced so far by the watchers this client asked (`target-available-form`). */
  targetForms(): Record<string, unknown>[] {
    return this.events
      .filter((p) => p.type === 'target-available-form')
      .map((p) => p.target as Record<string, unknown>);
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface LaunchedFirefox {
  browser: Browser;
  /** The installed add-on's id (only with `extension: true`). */
  addonId?: string;
  /** Evaluates `text` in the add-on's background and returns its string result (only with `extension: true`). */
  background?: (text: string) => Promise<string>;
  close(): Promise<void>;
}

/** The id the add-on's background gave the tab showing `url`, once it knows that tab (`background`: LaunchedFirefox.background). */
export async function firefoxTabId(background: (text: string) => Promise<string>, url: string): Promise<number> {
  const tabs = await until(
    `the background to know ${url}`,
    async () =>
      JSON.parse(await background('JSON.stringify(globalThis.portscopeDebug.tabs())')) as {
        tabId: number;
        url: string;
      }[],
    (t) => t.some((x) => x.url === url),
  );
  return tabs.find((x) => x.url === url)!.tabId;
}

/**
 * Firefox ESR with or without the built add-on (DIST_FIREFOX). Both modes get the same prefs and
 * the same debugger server, so a native run and an instrumented run differ only by the add-on.
 */
export async function launchFirefox(opts: {
  extension: boolean;
  prefs?: Record<string, unknown>;
}): Promise<LaunchedFirefox> {
  const rdpPort = 6_000 + Math.floor(Math.random() * 3_000);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    args: ['--start-debugger-server', String(rdpPort)],
    extraPrefsFirefox: { ...RDP_PREFS, ...(opts.prefs ?? {}) },
  });
  if (!opts.extension) return { browser, close: () => browser.close().catch(() => {}) };
  let rdp: Rdp | undefined;
  try {
    const addonId = await browser.installExtension(DIST_FIREFOX);
    rdp = await Rdp.open(rdpPort);
    const consoleActor = await rdp.addonConsole(addonId);
    const client = rdp;
    return {
      browser,
      addonId,
      background: (text) => client.evaluate(consoleActor, text),
      async close() {
        client.close();
        await browser.close().catch(() => {});
      },
    };
  } catch (e) {
    rdp?.close();
    await browser.close().catch(() => {});
    throw e;
  }
}
