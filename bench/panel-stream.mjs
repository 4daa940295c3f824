// Is the REAL DevTools panel responsive while a page streams 20,000 messages/s? (issue 5)
//
//   node bench/panel-stream.mjs [--rate N] [--seconds S] [--channels C] [--profile] [--no-trace]
//
// Opens headless Chromium with the extension and DevTools through the tests' own
// tests/support/devtools-panel.ts (loaded with Vite's module runner: Node 20 cannot import
// TypeScript), shows the Portscope panel on its
// Messages view, and has bench/fixtures/stream/ post `rate` messages/s for `seconds`.
// In the panel frame a PerformanceObserver({type: 'longtask', buffered: true}) collects long
// tasks (over 50 ms); a browser trace (category toplevel) gives every task of the panel's main
// thread, for the median and p95. Figures are printed, never asserted. With --profile, or when a
// task over 100 ms occurred, a second stream runs under the CDP Profiler of the panel target and
// the functions with the most self time are printed.
// The build is PORTSCOPE_DIST (default .tmp/dist-stream), built first when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runnerImport } from 'vite';
import { BenchSetupError, UNTHROTTLED } from './chromium.mjs';
import { serveBench } from './server.mjs';

class BenchArgumentError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchArgumentError';
  }
}

function parseArgs(argv) {
  const opts = { rate: 20_000, seconds: 5, channels: 4, profile: false, trace: true };
  const positive = (name, text) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0)
      throw new BenchArgumentError(`${name}: expected a positive number, got ${JSON.stringify(text)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rate') opts.rate = positive(a, argv[++i]);
    else if (a === '--seconds') opts.seconds = positive(a, argv[++i]);
    else if (a === '--channels') opts.channels = Math.round(positive(a, argv[++i]));
    else if (a === '--profile') opts.profile = true;
    else if (a === '--no-trace') opts.trace = false;
    else
      throw new BenchArgumentError(
        `unknown argument ${JSON.stringify(a)} (known: --rate N, --seconds S, --channels C, --profile, --no-trace)`,
      );
  }
  return opts;
}

const dist = resolve(process.env.PORTSCOPE_DIST ?? '.tmp/dist-stream');
// The support module reads PORTSCOPE_DIST when it is loaded.
process.env.PORTSCOPE_DIST = dist;
const { module: devtoolsPanel } = await runnerImport(
  resolve(import.meta.dirname, '../tests/support/devtools-panel.ts'),
  { configFile: false, logLevel: 'warn' },
);
const { DevToolsPanelError, launchWithDevTools, showPanel } = devtoolsPanel;

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Installs the long-task observer in the panel; tasks are kept in the panel frame's own global. */
function observeLongTasks(panel) {
  return panel.evaluate(() => {
    const seen = [];
    globalThis.portscopeBenchLongTasks = seen;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** What the panel shows: status-bar counts, losses, the number of message rows. */
function panelFigures(panel) {
  return panel.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent ?? '';
    const grid = document.querySelector('[role=grid]');
    return {
      counts: text('[data-testid=counts]'),
      losses: text('.statusbar .losses'),
      rows: grid ? Number(grid.getAttribute('aria-rowcount')) - 1 : null,
    };
  });
}

const messagesIn = (counts) => Number((/([\d,]+) messages?/.exec(counts)?.[1] ?? '0').replaceAll(',', ''));

/** Waits until the panel's message count has not moved for `quietMs` (or `maxMs` passed). */
async function panelCaughtUp(panel, quietMs = 1_500, maxMs = 60_000) {
  const end = Date.now() + maxMs;
  let last = await panelFigures(panel);
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(250);
    const now = await panelFigures(panel);
    if (now.counts !== last.counts || now.rows !== last.rows) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return { ...now, caughtUpAfterMs: since };
  }
  return { ...last, caughtUpAfterMs: null };
}

async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      recordMode: 'recordAsMuchAsPossible',
      includedCategories: ['toplevel', '__metadata'],
      excludedCategories: ['*'],
    },
  });
}

async function stopTrace(cdp) {
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/**
 * Every top-level task of the panel's main thread, in ms. The trace names processes by kind
 * only: the panel is the main thread of the one "Extension Renderer" (only Portscope is loaded),
 * which it shares with the extension's devtools page (idle once it has created the panel); the
 * background service worker has its own thread and is not counted.
 */
function panelTasks(events) {
  const pids = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'process_name' && e.args?.name === 'Extension Renderer')
      .map((e) => e.pid),
  );
  if (pids.size !== 1) return null;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && pids.has(e.pid))
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter(
      (e) =>
        e.ph === 'X' &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        mains.has(`${e.pid}:${e.tid}`) &&
        typeof e.dur === 'number',
    )
    .map((e) => e.dur / 1000);
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Self time per function over a CPU profile, most first. */
function hotSpots(profile, top = 15) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^chrome-extension:\/\/[^/]+\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms), share: total ? `${((100 * ms) / total).toFixed(1)}%` : '' }));
}

async function clickTab(panel, name) {
  await panel.$eval(`#tab-${name}`, (el) => el.click());
}

async function clearPanel(panel) {
  await panel.$$eval('button', (els) => els.find((el) => el.textContent?.includes('Clear'))?.click());
  const end = Date.now() + 10_000;
  while (Date.now() < end && !(await panelFigures(panel)).counts.startsWith('0 channels')) await sleep(100);
}

/** One stream: the page posts, the panel draws; returns the figures. */
async function streamOnce({ page, panel, cdp, opts, trace }) {
  await observeLongTasks(panel);
  const panelStart = await panel.evaluate(() => performance.now());
  if (trace) await startTrace(cdp);
  const wall = Date.now();
  const sent = await page.evaluate((o) => globalThis.portscopeStream.run(o), {
    rate: opts.rate,
    seconds: opts.seconds,
    channels: opts.channels,
  });
  const shown = await panelCaughtUp(panel);
  const events = trace ? await stopTrace(cdp) : null;
  const longTasks = (await panel.evaluate(() => globalThis.portscopeBenchLongTasks)).filter(
    (t) => t.start >= panelStart,
  );
  const tasks = events ? panelTasks(events) : null;
  const sorted = tasks ? [...tasks].sort((a, b) => a - b) : null;
  return {
    sent,
    shown,
    caughtUpMs: shown.caughtUpAfterMs === null ? null : shown.caughtUpAfterMs - wall,
    longTasks: {
      count: longTasks.length,
      over100: longTasks.filter((t) => t.duration > 100).length,
      longestMs: longTasks.length ? Math.max(...longTasks.map((t) => t.duration)) : 0,
      totalMs: longTasks.reduce((a, t) => a + t.duration, 0),
    },
    tasks: sorted && {
      count: sorted.length,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? null,
      busyMs: sorted.reduce((a, b) => a + b, 0),
    },
    traceFoundPanel: events ? tasks !== null : null,
  };
}

async function profiledStream(ctx) {
  const target = ctx.browser.targets().find((t) => t.url().endsWith('/panel/index.html'));
  if (!target) throw new DevToolsPanelError('no target for the panel frame to profile');
  const session = await target.createCDPSession();
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  const figures = await streamOnce({ ...ctx, trace: false });
  const { profile } = await session.send('Profiler.stop');
  await session.detach().catch(() => {});
  return { figures, hot: hotSpots(profile) };
}

const ms = (x) => (x == null ? 'n/a' : `${x.toFixed(1)} ms`);

function print(label, r, opts) {
  const lines = [
    `${label}: ${r.sent.posted.toLocaleString('en-US')} messages posted in ${(r.sent.ms / 1000).toFixed(2)} s (${Math.round(r.sent.posted / (r.sent.ms / 1000)).toLocaleString('en-US')}/s, target ${opts.rate.toLocaleString('en-US')}/s), ${r.sent.received.toLocaleString('en-US')} received by the page ${Math.round(r.sent.drainMs)} ms after the last post`,
    `  panel shows: ${r.shown.counts} · ${r.shown.rows?.toLocaleString('en-US') ?? 'no'} message rows${r.caughtUpMs == null ? ' (still changing after 60 s)' : `, caught up ${(r.caughtUpMs / 1000).toFixed(1)} s after the stream began`}`,
    `  losses shown: ${r.shown.losses || 'none'} · messages in the status bar vs posted: ${messagesIn(r.shown.counts).toLocaleString('en-US')} / ${r.sent.posted.toLocaleString('en-US')}`,
    `  long tasks (PerformanceObserver in the panel frame): ${r.longTasks.count}, over 100 ms: ${r.longTasks.over100}, longest ${ms(r.longTasks.longestMs)}, total ${ms(r.longTasks.totalMs)}`,
  ];
  if (r.tasks)
    lines.push(
      `  extension renderer main-thread tasks (trace; the panel and the idle devtools page): ${r.tasks.count.toLocaleString('en-US')}, p50 ${ms(r.tasks.p50Ms)}, p95 ${ms(r.tasks.p95Ms)}, p99 ${ms(r.tasks.p99Ms)}, max ${ms(r.tasks.maxMs)}, busy ${ms(r.tasks.busyMs)}`,
    );
  else if (r.traceFoundPanel === false)
    lines.push(
      '  panel main-thread tasks: the trace did not show exactly one "Extension Renderer" process (no p50/p95)',
    );
  console.log(lines.join('\n'));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(resolve(dist, 'chrome/manifest.json'))) {
    console.log(`building into ${dist}`);
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], {
      stdio: 'inherit',
      env: { ...process.env, PORTSCOPE_DIST: dist },
    });
    if (built.status !== 0) throw new BenchSetupError(`the build into ${dist} failed (exit ${built.status})`);
  }
  const server = await serveBench({ dist });
  const session = await launchWithDevTools({ args: UNTHROTTLED });
  const { browser, extensionId, page } = session;
  try {
    const panel = await showPanel(session.devtools, extensionId);
    await page.goto(`${server.origin}/stream/index.html`);
    await clickTab(panel, 'messages');
    const cdp = await browser.target().createCDPSession();
    const ctx = { browser, page, panel, cdp, opts, extensionId };
    console.log(
      `panel-stream: Chromium ${await browser.version()}, ${opts.rate.toLocaleString('en-US')} messages/s for ${opts.seconds} s on ${opts.channels} channels, panel on its Messages view`,
    );
    const first = await streamOnce({ ...ctx, trace: opts.trace });
    print('stream', first, opts);
    if (opts.profile || first.longTasks.over100 > 0) {
      await clearPanel(panel);
      await page.reload();
      const { figures, hot } = await profiledStream(ctx);
      print('stream under the CDP Profiler (panel target)', figures, opts);
      console.log('  panel self time, most first:');
      for (const h of hot) console.log(`    ${String(h.ms).padStart(6)} ms  ${h.share.padStart(6)}  ${h.fn}`);
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
