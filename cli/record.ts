/** `portscope record <url> --out trace.json`: opens the page, records every frame for a while, writes the trace. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PREVIEW_FULL } from '../protocol/facts.ts';
import type { RuntimeConfig } from '../protocol/handshake.ts';
import { serializeTraceChunks, type Trace } from '../protocol/trace.ts';
import { runtimeBundle } from './artefacts.ts';
import type { BrowserName } from './browsers.ts';
import { PortscopeCliError } from './errors.ts';
import { plural } from './plural.ts';
import { Recording } from './recording.ts';
import type { WorkerAccount } from './workers.ts';

export interface RecordOptions {
  url: string;
  out: string;
  durationMs: number;
  browser: BrowserName;
  workers: boolean;
  headed: boolean;
  /** `full`: the runtime records every node of each message, up to PREVIEW_FULL (default: PREVIEW_BOUNDS). */
  preview?: 'default' | 'full';
  /** Writes a progress line (elapsed, facts so far) while recording; off in CI and when not a TTY. */
  progress?: (line: string) => void;
}

export interface RecordResult {
  trace: Trace;
  recording: Recording;
  line: string;
  /** Workers that could not be seen from inside, when there were any (Chromium), for a note. */
  workersNote?: string;
}

export async function record(opts: RecordOptions): Promise<RecordResult> {
  checkUrl(opts.url);
  const recording = new Recording();
  const bundle = runtimeBundle();
  // Loaded on demand: `summary` and `convert` should not pay for loading browser drivers.
  // Chromium instruments every worker from its first line through the DevTools protocol
  // (cli/workers.ts); `--workers` (the blob bootstrap) applies to Firefox only.
  const drive = await driverFor(opts.browser);
  const driver = await drive({
    runtimeBundle: bundle,
    config: runtimeConfig(opts),
    headed: opts.headed,
    loadTimeoutMs: 30_000,
    onBatch: (m) => recording.receive(m),
  });
  const started = Date.now();
  const ticker =
    opts.progress &&
    setInterval(() => {
      opts.progress!(
        `recording ${((Date.now() - started) / 1000).toFixed(1)} s / ${(opts.durationMs / 1000).toFixed(1)} s · ${recording.factCount()} facts`,
      );
    }, 250);
  try {
    await Promise.race([driver.open(opts.url), driver.crashed]);
    await Promise.race([new Promise((r) => setTimeout(r, opts.durationMs)), driver.crashed]);
    await Promise.race([recording.settle(), driver.crashed]);
  } finally {
    if (ticker) clearInterval(ticker);
    await driver.close();
  }
  const trace = recording.toTrace({ browser: driver.browserVersion, url: opts.url });
  await writeTrace(trace, opts.out);
  const workers = 'workers' in driver ? (driver as { workers: WorkerAccount }).workers : undefined;
  return { trace, recording, line: recordedLine(recording, opts.out), workersNote: workers && workersNote(workers) };
}

/** The runtime's config for the recorder's options; undefined keeps the runtime's defaults. */
export function runtimeConfig(opts: RecordOptions): RuntimeConfig | undefined {
  const inWorker = opts.workers && opts.browser === 'firefox';
  const full = opts.preview === 'full';
  if (!inWorker && !full) return undefined;
  return { captureStacks: false, inWorker, ...(full ? { preview: PREVIEW_FULL } : {}) };
}

/** Said when a worker ran without the runtime, or with an id its creator did not give: nothing is left out silently. */
export function workersNote(account: WorkerAccount): string | undefined {
  const parts: string[] = [];
  if (account.failed)
    parts.push(`${account.failed} worker(s) ran without the runtime (first: ${account.firstFailure})`);
  if (account.unmatched)
    parts.push(
      `${account.unmatched} dedicated worker(s) were seen from inside but could not be tied to the context that created them`,
    );
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * The driver's automation library is a peer dependency of the package (playwright-core, and
 * puppeteer-core for Firefox): when the project lacks it, say which one to install.
 */
async function driverFor(browser: BrowserName) {
  const library = browser === 'firefox' ? 'puppeteer-core' : 'playwright-core';
  try {
    return browser === 'firefox'
      ? (await import('./drive-firefox.ts')).driveFirefox
      : (await import('./drive-chromium-pipe.ts')).driveChromiumOverPipe;
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String((err as Error).message).includes(`'${library}'`)
    ) {
      throw new PortscopeCliError(
        `record --browser ${browser} needs ${library} in your project: npm install -D ${library}`,
      );
    }
    throw err;
  }
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PortscopeCliError(`not a URL: ${JSON.stringify(url)} (expected e.g. http://localhost:8080/)`);
  }
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol))
    throw new PortscopeCliError(`cannot record a ${parsed.protocol} URL: use http, https or file`);
}

export async function writeTrace(trace: Trace, path: string): Promise<void> {
  const out = createWriteStream(path);
  const failed = once(out, 'error').then(([err]) => {
    throw new PortscopeCliError(`cannot write ${path}: ${(err as Error).message}`);
  });
  failed.catch(() => {});
  for (const chunk of serializeTraceChunks(trace)) {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}

function recordedLine(recording: Recording, out: string): string {
  const s = recording.model.summary();
  const dropped = Object.values(recording.toTrace({ browser: '', url: '' }).meta.dropped).reduce((a, b) => a + b, 0);
  return [
    `recorded ${plural(recording.factCount(), 'fact')} from ${plural(s.contexts.length, 'context')}:`,
    `${plural(s.channels, 'channel')}, ${plural(s.ports.length, 'port')}, ${plural(s.messages.posted, 'message')} (${s.messages.queued} still queued),`,
    `${plural(s.diagnostics.length, 'diagnostic')}${dropped ? `, ${plural(dropped, 'fact')} dropped` : ''} → ${out}`,
  ].join(' ');
}
