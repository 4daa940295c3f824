// `npm run bench`: Portscope's cost against native, measured in one run (see BENCHMARKS.md).
//
//   node bench/run.mjs [--rounds N] [--quick] [--only id,id] [--no-build] [--no-others] [--no-write] [--preview full]
//
// Builds the extension into its own folder, opens one headless Chromium with it, and runs every
// case in three pages of that browser — native (incognito: no extension), idle (extension, no
// panel) and recording (a panel connection subscribed) — interleaved round by round so drifting
// machine load hits all three alike. Then, unless --no-others or --only, the other engineers'
// benchmarks (bench/model.mjs, bench/relay.mjs, bench/panel.mjs, bench/panel-stream.mjs) run as they are, and their
// output is kept with ours. --no-write prints the table without touching bench/results.json
// and BENCHMARKS.md (for experiments). --preview full records with "capture full data" (the
// recording page's runtime gets PREVIEW_FULL), for that mode's own cost; it implies --no-write.
import { execFileSync, spawnSync } from 'node:child_process';
import { runnerImport } from 'vite';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BenchSetupError, addPanelConnectionPage, launchBenchChromium } from './chromium.mjs';
import { MODES, openModePages } from './pages.mjs';
import { serveBench } from './server.mjs';
import { profileText, summarize, table, writeBenchmarksMd } from './report.mjs';
import throughput from './cases/throughput.mjs';
import workerEcho from './cases/worker-echo.mjs';
import bigTransfer from './cases/big-transfer.mjs';
import fanOut from './cases/fan-out.mjs';
import pageLoad from './cases/page-load.mjs';
import relayBurst from './cases/relay-burst.mjs';
import memory from './cases/memory.mjs';
import profile from './cases/profile.mjs';

const CASES = [throughput, workerEcho, bigTransfer, fanOut, pageLoad, relayBurst, memory];
/** The whole run must stay under 10 minutes on 2 cores; cases not started by then are skipped. */
const BUDGET_MS = 9 * 60_000;
const HARD_LIMIT_MS = 10 * 60_000;

class BenchArgumentError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchArgumentError';
  }
}

function parseArgs(argv) {
  const opts = { rounds: 7, quick: false, only: null, build: true, others: true, write: true, preview: 'default' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--no-build') opts.build = false;
    else if (a === '--no-others') opts.others = false;
    else if (a === '--no-write') opts.write = false;
    else if (a === '--preview') {
      opts.preview = argv[++i];
      if (opts.preview !== 'default' && opts.preview !== 'full')
        throw new BenchArgumentError(`--preview: expected default or full, got ${JSON.stringify(opts.preview)}`);
      if (opts.preview === 'full') opts.write = false;
    } else if (a === '--rounds') {
      opts.rounds = Number(argv[++i]);
      if (!Number.isInteger(opts.rounds) || opts.rounds < 1)
        throw new BenchArgumentError(`--rounds: expected a positive integer, got ${JSON.stringify(argv[i])}`);
    } else if (a === '--only') {
      opts.only = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = opts.only.filter((id) => !CASES.some((c) => c.id === id) && id !== 'profile');
      if (unknown.length)
        throw new BenchArgumentError(
          `--only: unknown case ${unknown.join(', ')} (known: ${[...CASES.map((c) => c.id), 'profile'].join(', ')})`,
        );
    } else
      throw new BenchArgumentError(
        `unknown argument ${JSON.stringify(a)} (known: --rounds N, --quick, --only id,id, --no-build, --no-others, --no-write, --preview full)`,
      );
  }
  if (opts.quick && !argv.includes('--rounds')) opts.rounds = 2;
  return opts;
}

function git(...args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Runs `run(mode, round)` for every mode, one warm-up round then `rounds` rounds, rotating the order. */
function interleaver(defaultRounds) {
  return async (run, { rounds = defaultRounds, warmup = true } = {}) => {
    const out = Object.fromEntries(MODES.map((m) => [m, []]));
    for (let round = warmup ? -1 : 0; round < rounds; round++) {
      const shift = Math.max(0, round) % MODES.length;
      for (const mode of [...MODES.slice(shift), ...MODES.slice(0, shift)]) {
        const value = await run(mode, round);
        if (round >= 0) out[mode].push(value);
      }
    }
    return out;
  };
}

/**
 * The best of `k` runs of `run` in the same page, by `key`. Other work on the machine can only
 * slow a run down; every run pays the full instrumentation cost, so the best of a few keeps the
 * cost and sheds the interference.
 */
async function bestOf(k, run, key, better) {
  let best = null;
  for (let i = 0; i < k; i++) {
    const r = await run();
    if (!best || (better === 'higher' ? r[key] > best[key] : r[key] < best[key])) best = r;
  }
  return best;
}

/**
 * Picks a workload size so that one run in the slowest mode (recording) takes about `targetMs`:
 * large enough to measure, small enough that the whole bench stays under its time limit however
 * slow the instrumentation is today. Every mode then runs the same size.
 */
function calibrator(pages, quick) {
  return async ({ min, max, targetMs = 150 }, runMs) => {
    if (quick) return min;
    await pages.goto('recording', '/index.html');
    const ms = await runMs(min);
    await pages.panel.reset();
    const n = Math.round((min * targetMs) / Math.max(ms, 0.001));
    const clamped = Math.max(min, Math.min(max, n));
    return Math.round(clamped / min) * min;
  };
}

/**
 * The other benchmarks of the repository: [file, node arguments, script arguments, options].
 * `long`: a run of several minutes with its own timeout, outside the 10-minute limit of the rest
 * (it runs last, after the browser is closed, so it measures nothing else).
 */
const OTHERS = [
  ['bench/model.mjs', ['--expose-gc'], []],
  ['bench/relay.mjs', [], ['--seconds', '2']],
  ['bench/panel.mjs', ['--expose-gc'], ['100000']],
  ['bench/panel-stream.mjs', [], []],
  ['bench/bounds.mjs', [], ['--n', '1000000'], { long: true, timeoutMs: 900_000 }],
];
const OTHER_TIMEOUT_MS = 120_000;

function runOthers(dist, started) {
  const out = [];
  for (const [file, nodeArgs, args, options = {}] of OTHERS) {
    if (!existsSync(file)) {
      out.push({ file, status: 'absent' });
      continue;
    }
    const timeout = options.timeoutMs ?? OTHER_TIMEOUT_MS;
    if (!options.long && Date.now() - started + timeout > HARD_LIMIT_MS) {
      out.push({ file, status: 'skipped: time budget spent' });
      continue;
    }
    const t0 = Date.now();
    process.stdout.write(`${file} … `);
    const r = spawnSync(process.execPath, [...nodeArgs, file, ...args], {
      encoding: 'utf8',
      timeout,
      env: { ...process.env, PORTSCOPE_DIST: dist },
      maxBuffer: 16 * 1024 * 1024,
    });
    const seconds = (Date.now() - t0) / 1000;
    console.log(`${seconds.toFixed(1)} s`);
    const tail = (text) =>
      (text ?? '')
        .split('\n')
        .filter(Boolean)
        .slice(-40)
        .map((l) => (l.length > 400 ? `${l.slice(0, 400)} …` : l));
    out.push({
      file,
      command: `node ${[...nodeArgs, file, ...args].join(' ')}`,
      status: r.error ? `failed: ${r.error.message}` : r.status === 0 ? 'ok' : `exit ${r.status}`,
      seconds,
      stdout: tail(r.stdout),
      stderr: r.status === 0 ? [] : tail(r.stderr),
    });
  }
  return out;
}

const field = (runs, key) =>
  Object.fromEntries(Object.entries(runs).map(([mode, list]) => [mode, list.map((r) => r?.[key])]));

/**
 * Is the runtime really observing, and does the relay deliver? And does each mode measure what
 * it says: the recording page (its panel connection subscribed, so watched) records every
 * message, the idle page (nobody watches it) only counts plain ones (`messages-counted`, no
 * `port-posted`). Facts at the panel connection and in the background's debug hook tell.
 */
async function probeInstrumentation(bench, pages) {
  await pages.panel.reset();
  const page = await pages.goto('recording', '/index.html');
  await page.evaluate(() => globalThis.benchWorkloads.channelThroughput('tiny', 100));
  await new Promise((ok) => setTimeout(ok, 1_500));
  const report = await pages.panel.report();
  await pages.panel.reset();
  const hook = await bench.serviceWorker
    .evaluate(() => (typeof globalThis.portscopeDebug === 'object' ? globalThis.portscopeDebug.facts().length : null))
    .catch(() => null);
  const recording = report.facts > 0 && (report.kinds['port-posted'] ?? 0) >= 100 && !report.kinds['messages-counted'];
  // A new document starts a new session, so the background then holds only this probe's facts for the tab.
  const idlePage = await pages.goto('idle', '/index.html');
  await idlePage.evaluate(() => globalThis.benchWorkloads.channelThroughput('tiny', 100));
  await new Promise((ok) => setTimeout(ok, 1_500));
  const idleKinds = await bench.serviceWorker
    .evaluate((tabId) => {
      if (typeof globalThis.portscopeDebug !== 'object') return null;
      const kinds = {};
      for (const f of globalThis.portscopeDebug.facts(tabId)) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
      return kinds;
    }, pages.tabId('idle'))
    .catch(() => null);
  const counting = idleKinds !== null && (idleKinds['messages-counted'] ?? 0) > 0 && !idleKinds['port-posted'];
  const live = recording && counting;
  const problems = [];
  if (report.facts === 0)
    problems.push(
      `a probe of 100 messages in the recording page delivered no facts to the panel connection${hook == null ? ' and the background has no debug hook' : ` (background debug hook holds ${hook} facts)`}: the runtime or the relay is not active in this build (stubs?), so "idle" and "recording" measure an installed extension that does nothing`,
    );
  else if (!recording)
    problems.push(
      `the recording page did not record every message (${JSON.stringify(report.kinds)}): it is not watched, or its runtime counts anyway`,
    );
  if (!counting)
    problems.push(
      `the idle page did not count its messages (background holds ${JSON.stringify(idleKinds)} for it): it is watched, or its runtime records anyway`,
    );
  const explanation = live
    ? `a probe of 100 messages delivered ${report.facts} facts to the panel connection of the recording page (${JSON.stringify(report.kinds)}); the same probe in the idle page was counted (${JSON.stringify(idleKinds)}).`
    : `${problems.join('; ')}.`;
  return { live, explanation, probe: { facts: report.facts, kinds: report.kinds, debugHookFacts: hook, idleKinds } };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadBefore = loadavg();
  // PORTSCOPE_BENCH_DIST lets several engineers bench their own builds side by side.
  const dist = resolve(process.env.PORTSCOPE_BENCH_DIST ?? '.tmp/dist-bench');
  if (opts.build) {
    console.log(`building into ${dist}`);
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], {
      stdio: 'inherit',
      env: { ...process.env, PORTSCOPE_DIST: dist },
    });
    if (built.status !== 0) throw new BenchSetupError(`the build into ${dist} failed (exit ${built.status})`);
  }
  await addPanelConnectionPage(resolve(dist, 'test/chrome'));

  const server = await serveBench({ dist });
  const bench = await launchBenchChromium(resolve(dist, 'test/chrome'));
  const hardStop = setTimeout(
    () => {
      console.error(`bench: over the ${HARD_LIMIT_MS / 60_000}-minute limit, stopping`);
      bench.close().finally(() => process.exit(2));
    },
    HARD_LIMIT_MS - (Date.now() - started),
  );
  hardStop.unref();

  const results = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    startedAt: new Date(started).toISOString(),
    rounds: opts.rounds,
    quick: opts.quick,
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGB: Math.round(totalmem() / 2 ** 30),
      freeGB: Math.round(freemem() / 2 ** 30),
      chromium: bench.version,
      node: process.version,
      commit: git('rev-parse', '--short', 'HEAD'),
      dirty: git('status', '--porcelain', '--', 'injected', 'content', 'extension', 'protocol') !== '',
      loadBefore,
      loadAfter: null,
    },
    instrumentation: null,
    rows: [],
    summaries: [],
    profile: null,
    others: [],
    skipped: [],
    errors: [],
  };
  try {
    const pages = await openModePages(bench, server.origin);
    if (opts.preview === 'full') {
      const { module: facts } = await runnerImport(resolve('protocol/facts.ts'), {
        configFile: false,
        logLevel: 'warn',
      });
      const config = { captureStacks: false, inWorker: false, preview: facts.PREVIEW_FULL };
      await pages.panel.page.evaluate((c) => globalThis.benchPanel.configure(c), config);
      console.log(`recording with "capture full data": ${JSON.stringify(config.preview)}`);
    }
    results.instrumentation = await probeInstrumentation(bench, pages);
    console.log(
      `instrumentation live: ${results.instrumentation.live ? 'yes' : 'NO'} — ${results.instrumentation.explanation}`,
    );
    const h = {
      bench,
      pages,
      origin: server.origin,
      distChrome: resolve(dist, 'test/chrome'),
      rounds: opts.rounds,
      size: (n) => (opts.quick ? Math.max(1, Math.round(n / 5)) : n),
      quick: opts.quick,
      interleave: interleaver(opts.rounds),
      repeats: opts.quick ? 1 : 3,
      bestOf,
      calibrate: calibrator(pages, opts.quick),
      field,
    };
    const selected = CASES.filter((c) => !opts.only || opts.only.includes(c.id));
    for (const c of selected) {
      if (Date.now() - started > BUDGET_MS) {
        results.skipped.push({ id: c.id, reason: 'time budget spent' });
        continue;
      }
      const t0 = Date.now();
      process.stdout.write(`${c.id}: ${c.title} … `);
      try {
        const rows = await c.run(h);
        for (const row of rows) results.rows.push({ case: c.id, ...row });
        console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (e) {
        console.log('failed');
        results.errors.push({ id: c.id, message: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      }
    }
    if (!opts.only || opts.only.includes('profile')) {
      try {
        results.profile = await profile.run(h);
      } catch (e) {
        results.errors.push({ id: 'profile', message: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      }
    }
  } finally {
    clearTimeout(hardStop);
    await bench.close();
    await server.close();
  }
  if (opts.others && !opts.only) results.others = runOthers(dist, started);
  results.machine.loadAfter = loadavg();
  results.finishedAt = new Date().toISOString();
  results.elapsedMs = Date.now() - started;
  results.summaries = results.rows.map(summarize);

  console.log(`\n${table(results.summaries)}\n`);
  if (results.profile) console.log(profileText(results.profile));
  for (const e of results.errors) console.error(`error in ${e.id}: ${e.message}`);
  if (opts.write) {
    mkdirSync('bench', { recursive: true });
    writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
    writeBenchmarksMd('BENCHMARKS.md', results);
    console.log(`wrote bench/results.json and BENCHMARKS.md in ${(results.elapsedMs / 1000).toFixed(0)} s`);
  } else {
    console.log(`done in ${(results.elapsedMs / 1000).toFixed(0)} s (--no-write: nothing written)`);
  }
  process.exitCode = results.errors.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
