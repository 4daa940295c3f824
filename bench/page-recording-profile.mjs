// The page's own cost per recorded message, by who spends it: a CPU profile (CDP Profiler, 50 µs
// sampling) and a sampled allocation profile (CDP HeapProfiler, every allocation, kept or
// collected) of the recording page's main thread while it runs a workload of
// bench/fixtures/workload.js, beside the native page (no extension) running the same.
//
//   PORTSCOPE_MINIFY=0 PORTSCOPE_DIST=.tmp/dist-x node scripts/build.mjs   (names kept)
//   node bench/page-recording-profile.mjs --dist .tmp/dist-x [--dist .tmp/dist-y] [--kind tiny|1kb|fanout] [--n 5000] [--runs 3]
//
// Each run profiles the CPU, then runs the workload again under the allocation sampler (which
// slows the page: its CPU figures are not kept). Several builds are interleaved run by run.
//
// Self time and allocated bytes of each function, grouped by where the function lives:
// - runtime: the MAIN-world script (injected/, its file in the build: injected/main.iife.js);
// - relay: the isolated-world content script (content/, content/relay.iife.js);
// - Chrome's own: a function with no script (a native: postMessage, structured clone, a DOM
//   getter) is charged by name, and "(program)" and "(garbage collector)" as they are;
// - the page: the workload's own functions.
// Self time per function is the leaf of each sample only: nothing is charged to a caller, so a
// native the runtime calls (JSON.stringify in the encoder, the relay's runtime.Port send) shows
// under its own name; the callers column says which of ours called it.
// Profile samples are spaced in wall time (a thread waiting for a core is charged to what it
// was doing), so the main thread's own CPU time (/proc) is printed beside them. Prints only.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addPanelConnectionPage, launchBenchChromium } from './chromium.mjs';
import { openModePages } from './pages.mjs';
import { serveBench } from './server.mjs';

function parseArgs(argv) {
  const opts = { kind: '1kb', n: 5_000, runs: 3, dists: [], top: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kind') opts.kind = argv[++i];
    else if (a === '--n') opts.n = Number(argv[++i]);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--dist') opts.dists.push(resolve(argv[++i]));
    else if (a === '--top') opts.top = Number(argv[++i]);
    else
      throw new Error(
        `unknown argument ${JSON.stringify(a)} (known: --kind tiny|1kb|fanout, --n N, --runs R, --dist DIR, --top K)`,
      );
  }
  if (!['1kb', 'tiny', 'fanout'].includes(opts.kind)) throw new Error(`--kind: tiny, 1kb or fanout, got ${opts.kind}`);
  for (const [name, v] of [
    ['--n', opts.n],
    ['--runs', opts.runs],
    ['--top', opts.top],
  ])
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name}: a positive integer, got ${v}`);
  if (!opts.dists.length) throw new Error('--dist DIR: at least one build (PORTSCOPE_MINIFY=0, for names)');
  return opts;
}

/** Which part of the page's thread a call frame belongs to. */
function groupOf(frame) {
  const url = frame.url;
  if (url.startsWith('chrome-extension://')) {
    if (url.includes('/content/')) return 'relay (content/)';
    if (url.includes('/injected/')) return 'runtime (injected/)';
    return 'extension, other';
  }
  if (!url) {
    const name = frame.functionName;
    if (name === '(garbage collector)') return 'Chrome: garbage collector';
    if (name === '(program)') return 'Chrome: (program)';
    if (name === '(idle)' || name === '(root)') return name;
    return 'Chrome: natives';
  }
  return 'the page';
}

function add(map, key, v) {
  map.set(key, (map.get(key) ?? 0) + v);
}

function emptySums() {
  return {
    busyUs: 0,
    threadUs: 0,
    bytes: 0,
    selfByGroup: new Map(),
    selfByFn: new Map(),
    bytesByGroup: new Map(),
    bytesByFn: new Map(),
    // For a native: which of our functions called it (the nearest caller with a script), in µs.
    nativeCallers: new Map(),
  };
}

const label = (frame) => `${frame.functionName || '(anonymous)'} [${groupOf(frame)}]`;

/** Self time per leaf: function and group; natives also by their nearest scripted caller. */
function addCpu(profile, into) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = profile.timeDeltas ?? [];
  for (let i = 0; i < profile.samples.length; i++) {
    const us = dt[i + 1] ?? dt[i] ?? 0;
    const leaf = byId.get(profile.samples[i]);
    if (!leaf) continue;
    const group = groupOf(leaf.callFrame);
    if (group === '(idle)' || group === '(root)') continue;
    into.busyUs += us;
    add(into.selfByGroup, group, us);
    add(into.selfByFn, label(leaf.callFrame), us);
    if (group === 'Chrome: natives') {
      let id = parent.get(leaf.id);
      while (id !== undefined && !byId.get(id).callFrame.url) id = parent.get(id);
      const caller = id === undefined ? '(none)' : label(byId.get(id).callFrame);
      const k = `${leaf.callFrame.functionName} ← ${caller}`;
      add(into.nativeCallers, k, us);
    }
  }
}

/** Sampled allocations (bytes) per allocating function. */
function addHeap(profile, into) {
  const walk = (node) => {
    const bytes = node.selfSize;
    if (bytes) {
      into.bytes += bytes;
      add(into.bytesByGroup, groupOf(node.callFrame), bytes);
      add(into.bytesByFn, label(node.callFrame), bytes);
    }
    for (const c of node.children ?? []) walk(c);
  };
  walk(profile.head);
}

function workloadOf(page, opts) {
  return () =>
    page.evaluate(
      ([k, n]) =>
        k === 'fanout' ? globalThis.benchWorkloads.fanOut(200, n) : globalThis.benchWorkloads.channelThroughput(k, n),
      [opts.kind, opts.n],
    );
}

/** CPU seconds of the main thread (tid = pid) of each renderer of the browser that loaded `distChrome`. */
function rendererMainThreads(distChrome) {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const cmdOf = (pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };
  const browser = procs
    .map((pid) => cmdOf(pid).split('\0'))
    .find((cmd) => !cmd.some((a) => a.startsWith('--type=')) && cmd.includes(`--load-extension=${distChrome}`));
  const dataDir = browser?.find((a) => a.startsWith('--user-data-dir='));
  const out = new Map();
  if (!dataDir) return out;
  for (const pid of procs) {
    const cmd = cmdOf(pid);
    if (!cmd.includes('--type=renderer') || cmd.includes('--extension-process') || !cmd.includes(dataDir)) continue;
    try {
      const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * One run: the workload once under the CPU profiler (with the main thread's CPU from /proc),
 * then once more under the allocation sampler, each after a warm-up in a fresh document.
 */
async function profileRun(b, mode, opts) {
  let page = await b.pages.goto(mode, '/index.html');
  let run = workloadOf(page, opts);
  // A warm-up, so what is profiled is optimised code.
  await run();
  const cpu = await b.pages.withCdp(mode, async (cdp) => {
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
    let seconds = 0;
    for (const [pid, s] of after) seconds = Math.max(seconds, s - (before.get(pid) ?? s));
    return { profile, threadUs: seconds * 1e6 };
  });
  if (mode === 'recording') await b.pages.panel.reset();
  page = await b.pages.goto(mode, '/index.html');
  run = workloadOf(page, opts);
  await run();
  const heap = await b.pages.withCdp(mode, async (cdp) => {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.startSampling', {
      samplingInterval: 256,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await run();
    await page.waitForTimeout(150);
    const { profile } = await cdp.send('HeapProfiler.stopSampling');
    await cdp.send('HeapProfiler.disable');
    return profile;
  });
  return { ...cpu, heap };
}

function table(title, header, rows) {
  console.log(`\n${title}\n`);
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---|').join('')}`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const benches = [];
  for (const dist of opts.dists) {
    await addPanelConnectionPage(resolve(dist, 'test/chrome'));
    const server = await serveBench({ dist });
    const bench = await launchBenchChromium(resolve(dist, 'test/chrome'));
    benches.push({
      name: dist.replace(/.*\//, ''),
      chrome: resolve(dist, 'test/chrome'),
      server,
      bench,
      pages: await openModePages(bench, server.origin),
      rec: emptySums(),
      native: emptySums(),
    });
  }
  try {
    for (let r = 0; r < opts.runs; r++)
      for (const b of r % 2 ? [...benches].reverse() : benches)
        for (const [mode, into] of [
          ['native', b.native],
          ['recording', b.rec],
        ]) {
          const { profile, heap, threadUs } = await profileRun(b, mode, opts);
          addCpu(profile, into);
          addHeap(heap, into);
          into.threadUs += threadUs;
          if (mode === 'recording') await b.pages.panel.reset();
        }
    const messages = opts.runs * opts.n;
    const us = (v) => (v / messages).toFixed(2);
    const kb = (v) => (v / messages).toFixed(0);
    const what = opts.kind === 'fanout' ? 'fan-out requests (200 ports; request and reply)' : `${opts.kind} messages`;
    console.log(`${opts.runs} runs × ${opts.n} ${what}; per message, the recording page beside the native one`);
    const cols = benches.flatMap((b) => [`${b.name}: native`, `${b.name}: recording`]);
    const groups = new Set();
    for (const b of benches) for (const s of [b.native, b.rec]) for (const g of s.selfByGroup.keys()) groups.add(g);
    table(
      "CPU of the page's main thread, self time by group (profile samples that are not idle), µs per message",
      ['group', ...cols],
      [
        ...[...groups]
          .sort()
          .map((g) => [
            g,
            ...benches.flatMap((b) => [us(b.native.selfByGroup.get(g) ?? 0), us(b.rec.selfByGroup.get(g) ?? 0)]),
          ]),
        ['**all (profile)**', ...benches.flatMap((b) => [`**${us(b.native.busyUs)}**`, `**${us(b.rec.busyUs)}**`])],
        [
          'main thread CPU (/proc, 10 ms ticks)',
          ...benches.flatMap((b) => [us(b.native.threadUs), us(b.rec.threadUs)]),
        ],
      ],
    );
    const bgroups = new Set();
    for (const b of benches) for (const s of [b.native, b.rec]) for (const g of s.bytesByGroup.keys()) bgroups.add(g);
    table(
      "Allocated on the page's heap, by the group of the allocating function (sampled every 256 bytes, collected objects included), bytes per message",
      ['group', ...cols],
      [
        ...[...bgroups]
          .sort()
          .map((g) => [
            g,
            ...benches.flatMap((b) => [kb(b.native.bytesByGroup.get(g) ?? 0), kb(b.rec.bytesByGroup.get(g) ?? 0)]),
          ]),
        ['**all**', ...benches.flatMap((b) => [`**${kb(b.native.bytes)}**`, `**${kb(b.rec.bytes)}**`])],
      ],
    );
    for (const b of benches) {
      const ours = (k) => !k.endsWith('[the page]');
      table(
        `${b.name}, recording: self time per function (top ${opts.top}), µs per message`,
        ['function [group]', 'µs'],
        [...b.rec.selfByFn]
          .filter(([k]) => ours(k))
          .sort((x, y) => y[1] - x[1])
          .slice(0, opts.top)
          .map(([k, v]) => [`\`${k}\``, us(v)]),
      );
      table(
        `${b.name}, recording: natives by their nearest scripted caller (top ${opts.top}), µs per message`,
        ['native ← caller', 'µs'],
        [...b.rec.nativeCallers]
          .sort((x, y) => y[1] - x[1])
          .slice(0, opts.top)
          .map(([k, v]) => [`\`${k}\``, us(v)]),
      );
      table(
        `${b.name}, recording: allocation per function (top ${opts.top}), bytes per message`,
        ['function [group]', 'bytes'],
        [...b.rec.bytesByFn]
          .sort((x, y) => y[1] - x[1])
          .slice(0, opts.top)
          .map(([k, v]) => [`\`${k}\``, kb(v)]),
      );
    }
  } finally {
    for (const b of benches) {
      await b.bench.close();
      await b.server.close?.();
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
