// The 16 MB transfers and the garbage collector (issue 16, step 4): how many of V8's full
// (mark-compact) collections fall inside each loop of 50 round trips of a 16 MB ArrayBuffer to a
// worker (bench/fixtures/workload.js bigTransfer, 100 transfers), and how long the page's main
// thread spends in them, in a page with no extension and in pages with builds A and B (nobody
// watching the tab). Each buffer that arrives brings 16 MB of external memory, which counts
// against V8's global allocation limit until a full collection sweeps its detached predecessor,
// so collections start every few transfers, natively too; a loop's time then depends on how many
// start inside it, and the heap each one marks includes the runtime's and the relay's objects.
// From a Chromium trace (CDP Tracing: `v8`, `devtools.timeline`, `blink.user_timing`), the loops
// delimited by performance marks (the collector's main-thread work counted: full collections'
// pauses, incremental marking's start and steps, young-generation collections); rounds rotate the order of the three browsers, a fresh
// document each round, `loops` loops per round after one warm-up loop.
//
//   node bench/idle-gc.mjs <distA> <distB> [rounds=5] [loops=6]
import { resolve } from 'node:path';
import { launchWithPage } from './chromium.mjs';
import { serveBench } from './server.mjs';

const [distA, distB, roundsArg = '5', loopsArg = '6'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const loops = Number(loopsArg);
if (!distA || !distB || !(rounds > 0) || !(loops > 0)) {
  console.error('usage: node bench/idle-gc.mjs <distA> <distB> [rounds=5] [loops=6]');
  process.exit(2);
}
const server = await serveBench({ dist: resolve(distA) });

/** In the page: `n` loops of bigTransfer's timed part, each between two performance marks; the loops' times. */
async function transferLoops(n) {
  const times = [];
  for (let r = 0; r < n; r++) {
    const worker = new Worker('echo-worker.js');
    const { port1: port, port2 } = new MessageChannel();
    worker.postMessage('connect', [port2]);
    await new Promise((ok) => {
      port.onmessage = ok;
    });
    let buffer = new ArrayBuffer(16 * 1024 * 1024);
    let back;
    port.onmessage = (e) => back(e.data);
    performance.mark('portscope-gc-loop-start');
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) {
      const sent = buffer;
      buffer = await new Promise((ok) => {
        back = ok;
        port.postMessage(sent, [sent]);
      });
    }
    times.push(performance.now() - t0);
    performance.mark('portscope-gc-loop-end');
    worker.terminate();
  }
  return times;
}

/**
 * The main thread's collector work, each piece once: a full collection's atomic pause (`MajorGC`),
 * the start of incremental marking and its steps (run between tasks, before the pause), and the
 * young generation's collections.
 */
const GC_STEPS = new Set(['MajorGC', 'V8.GCIncrementalMarkingStart', 'V8.GCIncrementalMarking', 'MinorGC']);

/** Per loop: its time (page clock), the full collections inside it and the main thread's time in them and in all collector work. */
async function traced(browser) {
  const cdp = await browser.context.newCDPSession(browser.page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => {
    for (const event of e.value) events.push(event);
  });
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['v8', 'devtools.timeline', 'blink.user_timing'] },
    transferMode: 'ReportEvents',
  });
  const times = await browser.page.evaluate(transferLoops, loops);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const marks = events
    .filter((e) => e.name === 'portscope-gc-loop-start' || e.name === 'portscope-gc-loop-end')
    .sort((a, b) => a.ts - b.ts);
  const main = marks[0] && `${marks[0].pid}:${marks[0].tid}`;
  const out = [];
  for (let i = 0; i + 1 < marks.length; i += 2) {
    const [from, to] = [marks[i].ts, marks[i + 1].ts];
    let count = 0;
    let us = 0;
    let all = 0;
    for (const e of events) {
      if (e.ph !== 'X' || !GC_STEPS.has(e.name) || `${e.pid}:${e.tid}` !== main) continue;
      if (e.ts < from || e.ts > to) continue;
      all += e.dur ?? 0;
      if (e.name !== 'MajorGC') continue;
      count++;
      us += e.dur ?? 0;
    }
    out.push({ ms: times[i / 2], gcs: count, gcMs: us / 1000, allGcMs: all / 1000 });
  }
  return out;
}

const launch = (dist) => launchWithPage(dist && resolve(dist, 'test/chrome'), { prefix: 'ps-idle-gc-' });
const modes = { native: await launch(undefined), A: await launch(distA), B: await launch(distB) };
const results = { native: [], A: [], B: [] };
const order = Object.keys(modes);
for (let round = 0; round < rounds; round++) {
  for (let j = 0; j < order.length; j++) {
    const mode = order[(round + j) % order.length];
    const browser = modes[mode];
    await browser.page.goto(`${server.origin}/index.html?gc=${round}`);
    await browser.page.waitForTimeout(300);
    await browser.page.evaluate(transferLoops, 1);
    for (const loop of await traced(browser)) results[mode].push(loop);
  }
}

const sorted = (xs) => xs.slice().sort((x, y) => x - y);
const median = (xs) => (xs.length ? sorted(xs)[xs.length >> 1] : NaN);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
console.log(`A = ${distA}, B = ${distB}; ${rounds} rounds × ${loops} loops of 100 transfers of 16 MB`);
console.log(
  '| page | loops | loop ms, median (min–max) | full GCs per loop, median (min–max) | main-thread ms per full GC | collector ms per loop, median | loop ms less its collector ms, median | loops with no full GC: count, median ms |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [mode, loopsOf] of Object.entries(results)) {
  const ms = loopsOf.map((l) => l.ms);
  const gcs = loopsOf.map((l) => l.gcs);
  const free = loopsOf.filter((l) => l.gcs === 0).map((l) => l.ms);
  console.log(
    `| ${mode} | ${loopsOf.length} | ${f(median(ms))} (${f(sorted(ms)[0])}–${f(sorted(ms).at(-1))}) | ${median(gcs)} (${sorted(gcs)[0]}–${sorted(gcs).at(-1)}) | ${f(sum(loopsOf.map((l) => l.gcMs)) / Math.max(1, sum(gcs)))} | ${f(median(loopsOf.map((l) => l.allGcMs)))} | ${f(median(loopsOf.map((l) => l.ms - l.allGcMs)))} | ${free.length}, ${f(median(free))} |`,
  );
}
for (const m of Object.values(modes)) await m.close();
await server.close();
