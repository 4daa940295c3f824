// What the REAL Portscope panel, open in DevTools on the page, costs that page while it records
// (issue 16, step 4). `npm run bench` and bench/relay-profile.mjs record into a bench fixture that
// only counts what arrives; here the facts go to the panel people use (validation, model, store,
// React), which runs in the extension's process on the same cores the page needs.
//
//   node bench/real-panel-cost.mjs [--dist DIR]… [--workload tiny|1kb]… [--n N] [--runs R]
//                                  [--views channels,messages] [--no-profile] [--trace]
//                                  [--no-devtools-baseline]
//
// Per build (one headless Chromium each, several --dist run in turn within every round, for a
// paired before/after), three pages: `native` (an incognito context: no extension, no DevTools),
// `devtools` (another incognito page, with DevTools open on it: DevTools' own cost, no Portscope;
// left out with --no-devtools-baseline), and one tab with DevTools open (Page.openDevTools) and the Portscope panel shown, on its default
// view (`channels`) or on `messages` (the view is switched before the run's document loads). In
// every round each workload runs in every mode, the order of the modes rotating from round to
// round; every run is a freshly loaded document (the panel starts a new session on it) with one
// warm-up repetition first, as relay-profile does.
//
// Prints, never asserts: the workload's own time per message as the page measures it and its ratio
// to native (median over rounds); the CPU time per message of each process (/proc, user + system,
// 10 ms ticks, from before the run until nothing has changed in the panel for 500 ms): the page's
// renderers, the extension process (service worker, devtools page, the panel frame), the DevTools
// front-end's renderer, the browser process, the rest (GPU, utilities); then, unless --no-profile,
// one more run per view under the CDP Profiler of the panel target (self time per function;
// build with PORTSCOPE_MINIFY=0 to keep names).
//
// With --trace, one more run per view under a browser trace: the self time of each trace event
// on the extension process's main thread (the panel's), to split what the CPU profile files under
// "(program)" (style, layout, paint, the arriving messages' deserialization, …).
//
// The DevTools front-end's renderer is found by making it busy (a 300 ms loop evaluated in it) and
// reading which renderer's CPU time moved; the panel frame is checked the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { runnerImport } from 'vite';
import { ARGS, BenchSetupError, chromiumPath } from './chromium.mjs';
import { serveBench } from './server.mjs';
import { selfTimes } from './cases/profile.mjs';

class BenchArgumentError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchArgumentError';
  }
}

const VIEWS = ['channels', 'messages'];
/** `devtools`: an incognito page (no extension) with DevTools open: what DevTools itself costs the page. */
const BASELINES = ['native', 'devtools'];
const WORKLOADS = { tiny: 40_000, '1kb': 10_000 };
const TICKS_PER_SECOND = 100;
const ROLES = ['page renderers', 'extension process', 'devtools front-end', 'browser process', 'other processes'];
/** The extension process by thread: the panel's frame runs on its main thread (beside the idle devtools page). */
const EXTENSION_THREADS = ['ext. main thread (panel)', 'ext. service worker thread', 'ext. other threads'];
const SAMPLING_US = 100;
const QUIET_MS = 500;

function parseArgs(argv) {
  const opts = {
    dists: [],
    workloads: [],
    n: null,
    runs: 3,
    views: VIEWS,
    profile: true,
    trace: false,
    devtools: true,
  };
  const value = (i) => {
    if (i >= argv.length) throw new BenchArgumentError(`${argv[i - 1]}: a value is missing`);
    return argv[i];
  };
  const positive = (name, text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0)
      throw new BenchArgumentError(`${name}: expected a positive integer, got ${JSON.stringify(text)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') opts.dists.push(resolve(value(++i)));
    else if (a === '--workload') {
      const w = value(++i);
      if (!Object.hasOwn(WORKLOADS, w))
        throw new BenchArgumentError(`--workload: expected tiny or 1kb, got ${JSON.stringify(w)}`);
      opts.workloads.push(w);
    } else if (a === '--n') opts.n = positive(a, value(++i));
    else if (a === '--runs') opts.runs = positive(a, value(++i));
    else if (a === '--views') {
      const views = value(++i).split(',');
      const bad = views.find((v) => !VIEWS.includes(v));
      if (bad)
        throw new BenchArgumentError(`--views: unknown view ${JSON.stringify(bad)} (known: ${VIEWS.join(', ')})`);
      opts.views = views;
    } else if (a === '--no-profile') opts.profile = false;
    else if (a === '--trace') opts.trace = true;
    else if (a === '--no-devtools-baseline') opts.devtools = false;
    else
      throw new BenchArgumentError(
        `unknown argument ${JSON.stringify(a)} (known: --dist DIR, --workload tiny|1kb, --n N, --runs R, --views channels,messages, --no-profile, --trace, --no-devtools-baseline)`,
      );
  }
  if (!opts.dists.length) opts.dists.push(resolve('.tmp/dist-bench'));
  if (!opts.workloads.length) opts.workloads.push('tiny', '1kb');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// The tests' own way of showing the panel (the DevTools front-end's internals live there only).
const { module: devtoolsPanel } = await runnerImport(
  resolve(import.meta.dirname, '../tests/support/devtools-panel.ts'),
  { configFile: false, logLevel: 'warn' },
);

/** Every process of this browser: the browser itself and the ones started with its profile folder. */
function processes(browserPid) {
  // Chromium rewrites its children's argv as one line (the process title): split on spaces too.
  const cmdOf = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  const dataDir = cmdOf(browserPid).find((a) => a.startsWith('--user-data-dir='));
  if (!dataDir) throw new BenchSetupError('the browser process has no --user-data-dir');
  const out = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = cmdOf(pid);
      if (pid === String(browserPid) || cmd.includes(dataDir)) out.push({ pid, cmd });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

function cpuSeconds(pid, task = null) {
  try {
    const stat = task === null ? `/proc/${pid}/stat` : `/proc/${pid}/task/${task}/stat`;
    const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0; // Exited: its time is lost to the count.
  }
}

/** CPU seconds per role; `devtoolsPids` are the front-ends' renderers (found by `busiest`). */
function cpuByRole(build) {
  const out = {};
  for (const { pid, cmd } of processes(build.browserPid)) {
    const role =
      pid === String(build.browserPid)
        ? 'browser process'
        : !cmd.includes('--type=renderer')
          ? 'other processes'
          : cmd.includes('--extension-process')
            ? 'extension process'
            : build.devtoolsPids.has(pid)
              ? 'devtools front-end'
              : 'page renderers';
    out[role] = (out[role] ?? 0) + cpuSeconds(pid);
    if (role === 'extension process') {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        let name = '';
        try {
          name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
        } catch {
          continue;
        }
        const thread =
          task === pid
            ? EXTENSION_THREADS[0]
            : name.startsWith('ServiceWorker')
              ? EXTENSION_THREADS[1]
              : EXTENSION_THREADS[2];
        out[thread] = (out[thread] ?? 0) + cpuSeconds(pid, task);
      }
    }
  }
  return out;
}

/**
 * The renderer whose CPU time moved most while `busy` ran 300 ms loops in it (repeated, up to
 * 2 s, until that renderer's lead is clear: on a loaded machine a loop gets a fraction of a core).
 */
async function busiest(build, busy) {
  const renderers = processes(build.browserPid).filter((p) => p.cmd.includes('--type=renderer'));
  // First until no renderer of this browser is busy on its own (a front-end or a panel starting up).
  for (let end = Date.now() + 15_000; Date.now() < end; ) {
    const at = renderers.map((p) => cpuSeconds(p.pid));
    await sleep(500);
    if (renderers.every((p, i) => cpuSeconds(p.pid) - at[i] <= 0.05)) break;
  }
  const before = new Map(renderers.map((p) => [p.pid, cpuSeconds(p.pid)]));
  let ranked = [];
  for (let i = 0; i < 7; i++) {
    await busy(`(() => { const end = performance.now() + 300; while (performance.now() < end); })()`);
    ranked = renderers
      .map((p) => ({
        pid: p.pid,
        d: cpuSeconds(p.pid) - before.get(p.pid),
        extension: p.cmd.includes('--extension-process'),
      }))
      .sort((a, b) => b.d - a.d);
    if (ranked.length && ranked[0].d >= 0.15 && ranked[0].d > 2 * (ranked[1]?.d ?? 0)) return ranked[0];
  }
  throw new BenchSetupError(`no renderer was clearly the busy one during the loops: ${JSON.stringify(ranked)}`);
}

async function launch(dist, origin) {
  const chrome = resolve(dist, 'test/chrome');
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    pipe: true,
    enableExtensions: [chrome],
    handleDevToolsAsPage: true,
    args: ARGS,
  });
  try {
    const sw = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
      { timeout: 15_000 },
    );
    const extensionId = new URL(sw.url()).host;
    const incognito = await browser.createBrowserContext();
    const native = await incognito.newPage({ type: 'window' });
    const withDevtools = opts.devtools ? await incognito.newPage({ type: 'window' }) : null;
    const recording = await browser.newPage({ type: 'window' });
    for (const p of await browser.pages())
      if (![native, withDevtools, recording].includes(p) && p.url() === 'about:blank') await p.close();
    await recording.goto(`${origin}/index.html`);
    await native.goto(`${origin}/index.html`);
    const devtools = await recording.openDevTools();
    const panel = await devtoolsPanel.showPanel(devtools, extensionId);
    const build = {
      dist,
      browser,
      browserPid: browser.process().pid,
      extensionId,
      pages: { native, devtools: withDevtools, recording },
      panel,
      devtoolsPids: new Set(),
    };
    for (const [mode, page] of Object.entries(build.pages)) {
      if (!page) continue;
      if (page !== recording) await page.goto(`${origin}/index.html`);
      const v = await page.evaluate(() => document.visibilityState);
      if (v !== 'visible') throw new BenchSetupError(`the ${mode} page is ${v}: its timers would be throttled`);
    }
    build.devtoolsPids.add((await busiest(build, (js) => devtools.evaluate(js))).pid);
    if (withDevtools) {
      const other = await withDevtools.openDevTools();
      await sleep(1_500); // The new front-end (and the extension's devtools page in it) start up.
      build.devtoolsPids.add((await busiest(build, (js) => other.evaluate(js))).pid);
    }
    const panelProcess = await busiest(build, (js) => panel.evaluate(js));
    if (!panelProcess.extension)
      throw new BenchSetupError(`the panel frame runs in renderer ${panelProcess.pid}, not the extension process`);
    for (const page of [recording, withDevtools, native]) {
      if (!page) continue;
      const pageProcess = await busiest(build, (js) => page.evaluate(js));
      if (build.devtoolsPids.has(pageProcess.pid) || pageProcess.extension)
        throw new BenchSetupError('a page and a DevTools front-end (or the extension) share a renderer');
    }
    return build;
  } catch (e) {
    await browser.close().catch(() => {});
    throw e;
  }
}

/** What the panel's status bar and tab badge say. */
const panelCounts = (panel) => panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');
const messagesIn = (counts) => Number((/([\d,]+) messages?/.exec(counts)?.[1] ?? '0').replaceAll(',', ''));

/** Until the panel's counts have not changed for QUIET_MS (or 60 s passed). */
async function panelQuiet(panel) {
  const end = Date.now() + 60_000;
  let last = await panelCounts(panel);
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(100);
    const now = await panelCounts(panel);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= QUIET_MS) return now;
  }
  return last;
}

const runWorkload = (page, workload, n) =>
  page.evaluate(([w, count]) => globalThis.benchWorkloads.channelThroughput(w, count), [workload, n]);

/** A fresh document in the mode's page, the panel (if any) on `view` and caught up with it. */
async function freshDocument(build, mode, origin) {
  const panelShown = !BASELINES.includes(mode);
  if (panelShown) {
    await build.panel.$eval(`#tab-${mode}`, (el) => el.click());
    await build.panel.waitForSelector(`#tab-${mode}[aria-selected=true]`);
  }
  const page = panelShown ? build.pages.recording : build.pages[mode];
  await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
  // The runtime records once its relay's first config arrives (a background round trip).
  await sleep(150);
  if (panelShown) await panelQuiet(build.panel);
  return page;
}

/** One measured run: the workload's time, CPU per role, what the panel shows after it. */
async function measuredRun(build, mode, workload, n, origin) {
  const page = await freshDocument(build, mode, origin);
  await runWorkload(page, workload, n); // warm-up, in the same document
  const panelShown = !BASELINES.includes(mode);
  if (panelShown) await panelQuiet(build.panel);
  else await sleep(300);
  const before = cpuByRole(build);
  const result = await runWorkload(page, workload, n);
  await sleep(300);
  const shown = panelShown ? await panelQuiet(build.panel) : null;
  const after = cpuByRole(build);
  const cpu = {};
  for (const role of [...ROLES, ...EXTENSION_THREADS])
    cpu[role] = (((after[role] ?? 0) - (before[role] ?? 0)) * 1e6) / n;
  return { wallUs: (result.ms * 1000) / n, cpu, shown };
}

async function profiledRun(build, view, workload, n, origin) {
  const page = await freshDocument(build, view, origin);
  await runWorkload(page, workload, n);
  await panelQuiet(build.panel);
  const target = build.browser.targets().find((t) => t.url().endsWith('/panel/index.html'));
  if (!target) throw new BenchSetupError('no target for the panel frame to profile');
  const session = await target.createCDPSession();
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await session.send('Profiler.start');
  await runWorkload(page, workload, n);
  await sleep(300);
  await panelQuiet(build.panel);
  const { profile } = await session.send('Profiler.stop');
  await session.detach().catch(() => {});
  return { ...selfTimes(profile), inclusive: inclusiveTimes(profile) };
}

/** Time with a function on the stack (callees included), per function of the extension's scripts, most first. */
function inclusiveTimes(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n) => {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    if (!url.startsWith('chrome-extension://')) return null;
    return `${functionName || '(anonymous)'} ${url.replace(/^chrome-extension:\/\/[a-z]+\//, 'ext:/')}:${lineNumber + 1}:${columnNumber + 1}`;
  };
  const total = new Map();
  const dt = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const key = keyOf(byId.get(at));
      if (key !== null) seen.add(key);
    }
    for (const key of seen) total.set(key, (total.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  return [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
}

async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      recordMode: 'recordAsMuchAsPossible',
      includedCategories: ['toplevel', 'devtools.timeline', 'v8', 'blink', 'ipc', 'extensions', '__metadata'],
      excludedCategories: ['*'],
    },
  });
}

async function stopTrace(cdp) {
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  const parts = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    parts.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data);
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(parts.join(''));
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** Self time (ms) per trace event name on the main thread of process `pid`, most first. */
function traceSelfTimes(events, pid) {
  const main = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain',
  );
  if (!main) return null;
  const spans = events
    .filter((e) => e.pid === pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  const close = (until) => {
    while (stack.length && stack.at(-1).end <= until) stack.pop();
  };
  for (const e of spans) {
    close(e.ts);
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - Math.min(e.dur, parent.end - e.ts) / 1000);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur / 1000);
    stack.push({ name: e.name, end: e.ts + e.dur });
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]);
}

async function tracedRun(build, view, workload, n, origin) {
  const page = await freshDocument(build, view, origin);
  await runWorkload(page, workload, n);
  await panelQuiet(build.panel);
  const cdp = await build.browser.target().createCDPSession();
  await startTrace(cdp);
  await runWorkload(page, workload, n);
  await sleep(300);
  await panelQuiet(build.panel);
  const events = await stopTrace(cdp);
  await cdp.detach().catch(() => {});
  const extensionPid = Number(
    processes(build.browserPid).find((p) => p.cmd.includes('--extension-process'))?.pid ?? Number.NaN,
  );
  return traceSelfTimes(events, extensionPid);
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function main() {
  const builds = [];
  const modes = [...(opts.devtools ? BASELINES : ['native']), ...opts.views];
  try {
    for (const dist of opts.dists) {
      const server = await serveBench({ dist });
      try {
        builds.push({ ...(await launch(dist, server.origin)), server });
      } catch (e) {
        await server.close();
        throw e;
      }
    }
    const b0 = builds[0];
    console.log(
      `real-panel-cost: Chromium ${await b0.browser.version()}, ${opts.runs} rounds, builds ${builds.map((b) => b.dist.replace(/.*\//, '')).join(', ')}; ` +
        `load average at start ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    for (const workload of opts.workloads) {
      const n = opts.n ?? WORKLOADS[workload];
      const runs = new Map(); // `${dist}|${mode}` → results
      for (let r = 0; r < opts.runs; r++) {
        for (const build of r % 2 ? [...builds].reverse() : builds) {
          const order = modes.map((_, i) => modes[(i + r) % modes.length]);
          for (const mode of order) {
            const key = `${build.dist}|${mode}`;
            if (!runs.has(key)) runs.set(key, []);
            runs.get(key).push(await measuredRun(build, mode, workload, n, build.server.origin));
          }
        }
      }
      console.log(
        `\n${workload} messages, ${n.toLocaleString('en')} per run, ${opts.runs} rounds (load now ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}); µs per message, median (every run)\n`,
      );
      console.log(
        `| build | mode | wall | ratio | ${ROLES.join(' | ')} |\n|---|---|---|---|${ROLES.map(() => '---|').join('')}`,
      );
      for (const build of builds) {
        const nativeWall = median(runs.get(`${build.dist}|native`).map((x) => x.wallUs));
        for (const mode of modes) {
          const xs = runs.get(`${build.dist}|${mode}`);
          const walls = xs.map((x) => x.wallUs);
          const cell = (vals) => `${fmt(median(vals))} (${vals.map(fmt).join(' ')})`;
          console.log(
            `| ${build.dist.replace(/.*\//, '')} | ${mode === 'native' ? 'native' : mode === 'devtools' ? 'DevTools open, no Portscope' : `panel: ${mode}`} | ${cell(walls)} | ${(median(walls) / nativeWall).toFixed(2)}× | ${ROLES.map((role) => cell(xs.map((x) => x.cpu[role]))).join(' | ')} |`,
          );
        }
      }
      console.log(
        `\nThe extension process by thread (a thread that ended between the readings is not counted), µs per message, median (every run)\n`,
      );
      console.log(
        `| build | mode | ${EXTENSION_THREADS.join(' | ')} |\n|---|---|${EXTENSION_THREADS.map(() => '---|').join('')}`,
      );
      for (const build of builds)
        for (const mode of opts.views) {
          const xs = runs.get(`${build.dist}|${mode}`);
          const cell = (vals) => `${fmt(median(vals))} (${vals.map(fmt).join(' ')})`;
          console.log(
            `| ${build.dist.replace(/.*\//, '')} | panel: ${mode} | ${EXTENSION_THREADS.map((t) => cell(xs.map((x) => x.cpu[t]))).join(' | ')} |`,
          );
        }
      console.log(
        "\nMessages in the panel's status bar after each run (warm-up and measured run: 2 × n when nothing was dropped):",
      );
      for (const build of builds)
        for (const view of opts.views)
          console.log(
            `  ${build.dist.replace(/.*\//, '')}, ${view}: ${runs
              .get(`${build.dist}|${view}`)
              .map((x) => messagesIn(x.shown).toLocaleString('en'))
              .join('; ')}`,
          );
      if (opts.trace)
        for (const build of builds)
          for (const view of opts.views) {
            const rows = await tracedRun(build, view, workload, n, build.server.origin);
            console.log(
              `\ntrace, ${build.dist.replace(/.*\//, '')}, ${view}, ${workload} × ${n.toLocaleString('en')}: self time of trace events on the extension process's main thread (the panel's), most first:`,
            );
            if (!rows) console.log('  (no CrRendererMain thread of the extension process in the trace)');
            else for (const [name, ms] of rows.slice(0, 20)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
          }
      if (!opts.profile) continue;
      for (const build of builds)
        for (const view of opts.views) {
          const p = await profiledRun(build, view, workload, n, build.server.origin);
          console.log(
            `\npanel target, ${build.dist.replace(/.*\//, '')}, ${view}, ${workload} × ${n.toLocaleString('en')} (CDP Profiler, ${SAMPLING_US} µs): ${p.totalMs.toFixed(0)} ms sampled, ${p.portscopeMs.toFixed(0)} ms (${p.portscopePercent} %) in Portscope's code; self time, most first:`,
          );
          for (const row of p.top)
            console.log(`  ${row.ms.toFixed(1).padStart(8)} ms ${String(row.percent).padStart(5)} %  ${row.fn}`);
          console.log("  Portscope's own functions:");
          for (const row of p.topPortscope)
            console.log(`  ${row.ms.toFixed(1).padStart(8)} ms ${String(row.percent).padStart(5)} %  ${row.fn}`);
          console.log(
            "  The extension's functions by total time (callees included; React's are in the panel's bundle):",
          );
          for (const [fn, ms] of p.inclusive) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${fn}`);
        }
    }
  } finally {
    for (const b of builds) {
      await b.browser.close().catch(() => {});
      await b.server.close();
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
