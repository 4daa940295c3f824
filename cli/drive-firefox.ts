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

type Batch = { type: 'batch'; seq: number; facts: Record<string, unknown>[] };

/** Facts held back per placeholder context before its facts are let through as they are. */
const HELD_PER_CONTEXT = 5_000;

/**
 * A BiDi preload script also runs in each frame's initial `about:blank`, and when the frame
 * navigates to its first real document the HTML Standard reuses that Window: the runtime goes
 * on in the real document under the same context id, after announcing `about:blank` and, at
 * the placeholder's `pagehide`, a `context-destroyed`. The runtime announces the context again
 * once its URL changes (injected/document-url.ts). Until then, a frame context announced as
 * `about:blank` is held here; on the new announcement its first `context` fact takes the real
 * URL, the placeholder's `context-destroyed` is dropped (the Window lived on) and the held facts
 * go through in order. A frame that stays `about:blank` is let through unchanged on close, or
 * as soon as it has more than HELD_PER_CONTEXT facts.
 */
class InitialDocuments {
  private readonly held = new Map<string, Record<string, unknown>[]>();

  constructor(private readonly forward: (message: unknown) => void) {}

  receive(message: unknown): void {
    let batch: Batch;
    try {
      batch = JSON.parse(String(message)) as Batch;
    } catch {
      this.forward(message);
      return;
    }
    if (batch?.type !== 'batch' || !Array.isArray(batch.facts)) {
      this.forward(message);
      return;
    }
    const out: Record<string, unknown>[] = [];
    for (const fact of batch.facts) {
      const ctx = typeof fact?.ctx === 'string' ? fact.ctx : undefined;
      const held = ctx === undefined ? undefined : this.held.get(ctx);
      if (ctx !== undefined && fact.kind === 'context' && held === undefined && (fact.url === 'about:blank' || fact.url === '') && fact.contextKind === 'iframe') {
        this.held.set(ctx, [fact]);
      } else if (held === undefined) {
        out.push(fact);
      } else if (fact.kind === 'context' && typeof fact.url === 'string' && fact.url !== 'about:blank' && fact.url !== '') {
        // The same Window now shows its real document: one context, with the real URL, never destroyed.
        held[0].url = fact.url;
        out.push(...held.filter((f) => !(f.kind === 'context-destroyed' && f.reason === 'unload')));
        this.held.delete(ctx!);
      } else {
        held.push(fact);
        if (held.length >= HELD_PER_CONTEXT) {
          out.push(...held);
          this.held.delete(ctx!);
        }
      }
    }
    if (out.length) this.forward(JSON.stringify({ ...batch, facts: out }));
  }

  /** Lets every context still held through unchanged (they stayed about:blank). */
  release(): void {
    const facts = [...this.held.values()].flat();
    this.held.clear();
    // The runtime's batches are numbered per context; the recorder does not read the number.
    for (let i = 0; i < facts.length; i += HELD_PER_CONTEXT) this.forward(JSON.stringify({ type: 'batch', seq: 1, facts: facts.slice(i, i + HELD_PER_CONTEXT) }));
  }
}

export async function driveFirefox(opts: DriverOptions): Promise<Driver> {
  const browser = await puppeteer
    .launch({ browser: 'firefox', executablePath: browserPath('firefox'), headless: !opts.headed })
    .catch((err: Error) => { throw new PortscopeCliError(`Firefox did not start: ${firstLine(err.message)}`); });
  try {
    const page = await browser.newPage();
    const initial = new InitialDocuments(opts.onBatch);
    await page.exposeFunction('__portscopeEmit', (json: unknown) => { initial.receive(json); });
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
      close: () => {
        initial.release();
        return browser.close().catch(() => {});
      },
    };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}
