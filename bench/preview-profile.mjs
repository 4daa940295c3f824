// Where a recorded message's time goes on the page's thread: CPU profiles (CDP Profiler, 50 µs
// sampling) of the recording page while it runs a workload of bench/fixtures/workload.js, and of
// the native page (no extension) running the same, as
// - stages: each sample charged to the innermost runtime or relay stage on its stack (the
//   preview, the encoder, the relay's runtime.Port send, …), native functions to the stage that
//   called them, in µs per message, beside the native page's CPU per message;
// - inclusive time per Portscope function (each sample counted once per name on its stack).
//
//   PORTSCOPE_MINIFY=0 PORTSCOPE_DIST=.tmp/dist-x node scripts/build.mjs   (names kept)
//   PORTSCOPE_BENCH_DIST=.tmp/dist-x node bench/preview-profile.mjs [--kind 1kb|tiny|fanout|worker] [--n 3000] [--runs 3]
//
// `--kind worker` is the worker round trip of the bench (workerEcho: a port transferred to a
// dedicated worker that echoes, one request in flight; the page's thread only). `--mode idle`
// profiles the instrumented page nobody watches (the runtime counts) instead of the recording one.
//
// `--trace`: no CPU profile; Chromium trace events (CDP Tracing: toplevel, blink,
// devtools.timeline) of the page's main thread during the workload, counted per message, with
// their thread time (CPU, not wall: a loaded machine stretches the wall time only): how many tasks
// run per message natively and recording, and what else (timers, microtask checkpoints, clones)
// each message adds.
//
// Several builds: `--dist A --dist B` profiles each in turn within every run (interleaved, one
// browser each), so a loaded machine slows them alike; the stage table then has a column per build.
// Figures are printed, never asserted. Stages need the function names of an unminified build.
// Profile samples are spaced in wall time, so a thread that waits for a core is charged to what it
// was doing then (often "(program)"): the main thread's own CPU time (/proc) is printed beside them.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addPanelConnectionPage, launchBenchChromium } from './chromium.mjs';
import { openModePages } from './pages.mjs';
import { serveBench } from './server.mjs';

function parseArgs(argv) {
  const opts = { kind: '1kb', n: 3_000, runs: 3, dists: [], mode: 'recording', trace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kind') opts.kind = argv[++i];
    else if (a === '--n') opts.n = Number(argv[++i]);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--dist') opts.dists.push(resolve(argv[++i]));
    else if (a === '--mode') opts.mode = argv[++i];
    else if (a === '--trace') opts.trace = true;
    else
      throw new Error(
        `unknown argument ${JSON.stringify(a)} (known: --kind 1kb|tiny|fanout|worker, --n N, --runs R, --dist DIR, --mode recording|idle, --trace)`,
      );
  }
  if (!['1kb', 'tiny', 'fanout', 'worker'].includes(opts.kind))
    throw new Error(`--kind: 1kb, tiny, fanout or worker, got ${opts.kind}`);
  if (!['recording', 'idle'].includes(opts.mode)) throw new Error(`--mode: recording or idle, got ${opts.mode}`);
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new Error('--n: a positive integer');
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs: a positive integer');
  if (!opts.dists.length) opts.dists.push(resolve(process.env.PORTSCOPE_BENCH_DIST ?? '.tmp/dist-bench'));
  return opts;
}

/**
 * Stages by the runtime's and the relay's function names, innermost first when nested: a sample
 * is charged to the first stage (in this order) found on its stack. Later entries are the outer
 * layers, which keep only what their inner stages do not claim.
 */
const STAGES = [
  ['relay: runtime.Port send', ['send']],
  ['relay: receive, outbox, seal', ['receive', 'pump', 'seal', 'addEncoded']],
  ['encoder (batch text)', ['encodeBatches', 'encodeBatch']],
  ['private port hand-over', ['deliver']],
  ['preview (describe)', ['describe']],
  ['fingerprint', ['fingerprint']],
  ['call site', ['callSite']],
  ['emitter (emit, take, flush)', ['emit', 'take', 'flush', 'schedule']],
  ['dispatch observer', ['observeDispatch', 'onMessage']],
  [
    'post hook (tracedPost, reportPost)',
    ['tracedPost', 'reportPost', 'sent', 'postArguments', 'recordOf', 'shipPorts'],
  ],
  ['wrappers (disguise, handler)', ['applyTrap', 'boundary', 'constructTrap']],
];
const STAGE_OF = new Map(STAGES.flatMap(([stage, names]) => names.map((n) => [n, stage])));
const RANK = new Map(STAGES.map(([stage], i) => [stage, i]));

function emptySums() {
  return { totalUs: 0, busyUs: 0, threadUs: 0, oursSelfUs: 0, byName: new Map(), stages: new Map() };
}

function add(map, key, us) {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** Adds one profile to `into`: stages, inclusive time per Portscope function, busy (non-idle) time. */
function accumulate(profile, into) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isOurs = (n) => n.callFrame.url.startsWith('chrome-extension://');
  into.threadUs += profile.threadUs ?? 0;
  const dt = profile.timeDeltas ?? [];
  for (let i = 0; i < profile.samples.length; i++) {
    const us = dt[i + 1] ?? dt[i] ?? 0;
    into.totalUs += us;
    let id = profile.samples[i];
    const leaf = byId.get(id);
    const leafName = leaf?.callFrame.functionName ?? '';
    if (leafName === '(idle)') continue;
    into.busyUs += us;
    if (leaf && isOurs(leaf)) into.oursSelfUs += us;
    const names = new Set();
    let stage;
    let wrapped = false;
    for (; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!isOurs(node)) continue;
      const name = node.callFrame.functionName || '(anonymous)';
      const s = STAGE_OF.get(name);
      if (s !== undefined && (stage === undefined || RANK.get(s) < RANK.get(stage))) stage = s;
      if (s !== undefined && stage === undefined) stage = s;
      wrapped = true;
      if (names.has(name)) continue;
      names.add(name);
      add(into.byName, name, us);
    }
    let key;
    if (leafName === '(garbage collector)' || leafName === '(program)') key = leafName;
    else if (!wrapped) key = "the page's own code and the browser's";
    else if (
      leafName === 'postMessage' &&
      !leaf.callFrame.url &&
      (stage === undefined || RANK.get(stage) >= RANK.get('post hook (tracedPost, reportPost)'))
    )
      key = "native postMessage (the page's own post)";
    else key = stage ?? 'other runtime code';
    add(into.stages, key, us);
  }
}

const TRACE_CATEGORIES = ['toplevel', 'blink', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

/** Trace events of the page's main thread during one run of the workload, by name: count and thread time (µs). */
async function traceRun(pages, mode, opts) {
  const page = await pages.goto(mode, '/index.html');
  const run = workloadOf(page, opts);
  await run();
  const url = page.url();
  return pages.withCdp(mode, async (cdp) => {
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => {
      for (const event of e.value) events.push(event);
    });
    const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
    await cdp.send('Tracing.start', {
      traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
      transferMode: 'ReportEvents',
    });
    await run();
    await page.waitForTimeout(150);
    await cdp.send('Tracing.end');
    await complete;
    // The page's renderer is the process of its frame; its main thread is CrRendererMain.
    const started = events.find((e) => e.name === 'TracingStartedInBrowser');
    const pid = started?.args?.data?.frames?.find((f) => f.url === url)?.processId;
    const tid = events.find((e) => e.pid === pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
    if (pid === undefined || tid === undefined) throw new Error(`no main thread found in the trace of ${url}`);
    const byName = new Map();
    for (const e of events) {
      if (e.pid !== pid || e.tid !== tid || !['X', 'B', 'I', 'i'].includes(e.ph)) continue;
      const c = byName.get(e.name) ?? { n: 0, tdur: 0 };
      c.n++;
      c.tdur += e.tdur ?? 0;
      byName.set(e.name, c);
    }
    return byName;
  });
}

function addTrace(into, byName) {
  for (const [name, c] of byName) {
    const t = into.get(name) ?? { n: 0, tdur: 0 };
    t.n += c.n;
    t.tdur += c.tdur;
    into.set(name, t);
  }
}

function workloadOf(page, opts) {
  return () =>
    page.evaluate(
      ([k, n]) =>
        k === 'fanout'
          ? globalThis.benchWorkloads.fanOut(200, n)
          : k === 'worker'
            ? globalThis.benchWorkloads.workerEcho(n, 0)
            : globalThis.benchWorkloads.channelThroughput(k, n),
      [opts.kind, opts.n],
    );
}

/**
 * CPU seconds (user + system, 10 ms ticks) of the main thread (tid = pid) of each renderer
 * process of the browser that loaded `distChrome`. The profile's samples are spaced in wall time,
 * so a thread that waits for a core is charged to whatever it was doing; this is what it ran.
 */
function rendererMainThreads(distChrome) {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer') || cmd.includes('--extension-process')) continue;
      const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, { cmd, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // Gone meanwhile.
    }
  }
  // This browser's renderers share its user-data dir with the browser process that loaded the build.
  const browser = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      } catch {
        return [];
      }
    })
    .find((cmd) => !cmd.some((a) => a.startsWith('--type=')) && cmd.includes(`--load-extension=${distChrome}`));
  const dataDir = browser?.find((a) => a.startsWith('--user-data-dir='));
  const mine = new Map();
  for (const [pid, { cmd, seconds }] of out) if (dataDir && cmd.includes(dataDir)) mine.set(pid, seconds);
  return mine;
}

async function profileRun(b, mode, opts) {
  const { pages } = b;
  const page = await pages.goto(mode, '/index.html');
  const run = workloadOf(page, opts);
  // A warm-up, so what is profiled is optimised code.
  await run();
  return pages.withCdp(mode, async (cdp) => {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    const before = rendererMainThreads(b.chrome);
    await cdp.send('Profiler.start');
    await run();
    // The emitter's last batch leaves on its 50 ms timer, the relay's on its 25 ms one.
    await page.waitForTimeout(150);
    const { profile } = await cdp.send('Profiler.stop');
    const after = rendererMainThreads(b.chrome);
    await cdp.send('Profiler.disable');
    // The page's renderer is the one whose main thread ran the workload: the largest change.
    let threadSeconds = 0;
    for (const [pid, s] of after) threadSeconds = Math.max(threadSeconds, s - (before.get(pid) ?? s));
    profile.threadUs = threadSeconds * 1e6;
    return profile;
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const benches = [];
  for (const dist of opts.dists) {
    await addPanelConnectionPage(resolve(dist, 'test/chrome'));
    const server = await serveBench({ dist });
    const bench = await launchBenchChromium(resolve(dist, 'test/chrome'));
    benches.push({
      dist,
      chrome: resolve(dist, 'test/chrome'),
      server,
      bench,
      pages: await openModePages(bench, server.origin),
      rec: emptySums(),
      native: emptySums(),
      traces: { native: new Map(), rec: new Map() },
    });
  }
  try {
    if (opts.trace) {
      for (let r = 0; r < opts.runs; r++)
        for (const b of r % 2 ? [...benches].reverse() : benches) {
          addTrace(b.traces.native, await traceRun(b.pages, 'native', opts));
          addTrace(b.traces.rec, await traceRun(b.pages, opts.mode, opts));
          await b.pages.panel.reset();
        }
      printTraces(benches, opts);
      return;
    }
    for (let r = 0; r < opts.runs; r++) {
      for (const b of r % 2 ? [...benches].reverse() : benches) {
        accumulate(await profileRun(b, 'native', opts), b.native);
        accumulate(await profileRun(b, opts.mode, opts), b.rec);
        await b.pages.panel.reset();
      }
    }
    const messages = opts.runs * opts.n;
    const per = (us) => (us / messages).toFixed(2);
    const what =
      opts.kind === 'fanout'
        ? 'fan-out requests (200 ports; the page posts each request and receives its reply)'
        : opts.kind === 'worker'
          ? 'worker round trips (the page posts each request and receives its echo)'
          : `${opts.kind} messages`;
    console.log(
      `${opts.runs} runs × ${opts.n} ${what}, the ${opts.mode} page beside the native one; ` +
        "CPU of the page's thread (profile samples that are not idle), µs per message:\n",
    );
    const names = benches.map((b) => b.dist.replace(/.*\//, ''));
    console.log(`| stage | ${names.join(' | ')} |\n|---|${names.map(() => '---|').join('')}`);
    const keys = new Set();
    for (const b of benches) for (const k of b.rec.stages.keys()) keys.add(k);
    const sorted = [...keys].sort((x, y) => (benches[0].rec.stages.get(y) ?? 0) - (benches[0].rec.stages.get(x) ?? 0));
    for (const k of sorted) console.log(`| ${k} | ${benches.map((b) => per(b.rec.stages.get(k) ?? 0)).join(' | ')} |`);
    console.log(`| **${opts.mode} page, all** | ${benches.map((b) => `**${per(b.rec.busyUs)}**`).join(' | ')} |`);
    for (const k of ['(program)', '(garbage collector)', "the page's own code and the browser's"])
      console.log(`| native page: ${k} | ${benches.map((b) => per(b.native.stages.get(k) ?? 0)).join(' | ')} |`);
    console.log(`| native page, all | ${benches.map((b) => per(b.native.busyUs)).join(' | ')} |`);
    console.log(
      `| CPU ratio ${opts.mode} / native | ${benches.map((b) => `${(b.rec.busyUs / b.native.busyUs).toFixed(2)}×`).join(' | ')} |`,
    );
    console.log(
      `| ${opts.mode} page: its main thread's CPU time (/proc, 10 ms ticks) | ${benches.map((b) => per(b.rec.threadUs)).join(' | ')} |`,
    );
    console.log(
      `| native page: its main thread's CPU time (/proc) | ${benches.map((b) => per(b.native.threadUs)).join(' | ')} |`,
    );
    console.log(
      `| main-thread CPU ratio ${opts.mode} / native | ${benches.map((b) => `${(b.rec.threadUs / b.native.threadUs).toFixed(2)}×`).join(' | ')} |`,
    );
    for (const b of benches) {
      console.log(
        `\n${b.dist}: inclusive time (the function and what it calls) of Portscope functions, top 25, µs per message:\n`,
      );
      console.log('| Inclusive | % of busy | Function |\n|---|---|---|');
      for (const [name, us] of [...b.rec.byName].sort((x, y) => y[1] - x[1]).slice(0, 25))
        console.log(`| ${per(us)} | ${((100 * us) / b.rec.busyUs).toFixed(1)} % | \`${name}\` |`);
    }
  } finally {
    for (const b of benches) {
      await b.bench.close();
      await b.server.close?.();
    }
  }
}

function printTraces(benches, opts) {
  const messages = opts.runs * opts.n;
  console.log(
    `${opts.runs} runs × ${opts.n} ${opts.kind} (messages or round trips): trace events on the page's main thread, ` +
      `per message: count, and thread time in µs (events nest: a task's time includes what runs in it)\n`,
  );
  for (const b of benches) {
    console.log(`${b.dist}:\n`);
    console.log(
      `| event | native: count | native: µs | ${opts.mode}: count | ${opts.mode}: µs |\n|---|---|---|---|---|`,
    );
    const names = new Set([...b.traces.native.keys(), ...b.traces.rec.keys()]);
    const rows = [...names]
      .map((name) => [
        name,
        b.traces.native.get(name) ?? { n: 0, tdur: 0 },
        b.traces.rec.get(name) ?? { n: 0, tdur: 0 },
      ])
      .filter(([, x, y]) => x.n + y.n >= messages / 1000)
      .sort((x, y) => y[2].n + y[1].n - x[2].n - x[1].n);
    for (const [name, x, y] of rows)
      console.log(
        `| ${name} | ${(x.n / messages).toFixed(3)} | ${(x.tdur / messages).toFixed(2)} | ${(y.n / messages).toFixed(3)} | ${(y.tdur / messages).toFixed(2)} |`,
      );
    console.log('');
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
