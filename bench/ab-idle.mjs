// The idle path of two extension builds against native, interleaved in one run (issue 16): on a
// loaded machine two separate `bench/run.mjs` runs differ by more than the change, while rounds
// that alternate native, A and B see the same load. Three browsers: native (no extension), A and
// B (each build's test extension, nobody watching the tab: the runtime counts). Each round loads
// a fresh page in each, in a rotating order, and keeps the best of 3 repetitions per workload
// (bench/fixtures/workload.js); cells are the median over rounds of the per-round ratio to the
// native run of that same round, with the min–max spread. Two measures: the page's own wall
// clock, and the CPU time the whole browser (every process of it: renderer, workers' threads,
// the extension's background, the browser process) spent during the three repetitions, from
// /proc: on a machine whose load exceeds its cores, wall time measures the neighbours while CPU
// time still measures the work (100 Hz ticks, hence workloads of a few hundred ms each). A third
// measure is the CPU time of the page's main thread alone (CDP Performance metrics, `ThreadTime`
// with thread ticks): the runtime, the relay and the page's own script all run there, and it is
// not coarsened to ticks; what the extension's other processes and the worker threads spend is
// only in the browser-wide one.
//
//   node bench/ab-idle.mjs <distA> <distB> [rounds=9] [workload]   (dist folders from PORTSCOPE_DIST
//   builds; `workload`: only the workloads whose name contains it, e.g. `tiny`, `fan-out`, `16 MB`, `worker`)
//
// Checks at the end that both instrumented tabs counted (messages-counted) and recorded no plain
// post (port-posted without a transfer), through each build's debug hook.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchWithPage } from './chromium.mjs';
import { serveBench } from './server.mjs';

const [distA, distB, roundsArg = '9', only = ''] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!distA || !distB || !(rounds > 0)) {
  console.error('usage: node bench/ab-idle.mjs <distA> <distB> [rounds]');
  process.exit(2);
}
const server = await serveBench({ dist: resolve(distA) });

/** CPU seconds used so far by the browser whose command line names `userDataDir`, and all its descendants. */
function browserCpu(userDataDir) {
  const stats = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      stats.set(pid, {
        ppid: f[1],
        ticks: Number(f[11]) + Number(f[12]),
        root: cmd.includes(userDataDir) && !cmd.includes('--type='),
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  const roots = [...stats].filter(([, s]) => s.root).map(([pid]) => pid);
  const inTree = (pid) => {
    for (let p = pid; p && p !== '0' && p !== '1'; p = stats.get(p)?.ppid) if (roots.includes(p)) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks;
  return ticks / 100;
}

async function launch(dist) {
  const b = await launchWithPage(dist && resolve(dist, 'test/chrome'), { prefix: 'ps-ab-idle-', threadTicks: true });
  return { ...b, cpu: () => browserCpu(b.userDataDir) };
}

const modes = { native: await launch(undefined), A: await launch(distA), B: await launch(distB) };

const ALL_WORKLOADS = [
  [
    'tiny messages (20,000)',
    20_000,
    async (page) => (await page.evaluate(() => globalThis.benchWorkloads.channelThroughput('tiny', 20_000))).ms / 20,
  ],
  [
    '1 KB objects (2,000)',
    2_000,
    async (page) => (await page.evaluate(() => globalThis.benchWorkloads.channelThroughput('1kb', 2_000))).ms / 2,
  ],
  [
    '200-port fan-out (4,000 requests)',
    4_000,
    async (page) => (await page.evaluate(() => globalThis.benchWorkloads.fanOut(200, 4_000))).ms / 4,
  ],
  [
    // What bench/run.mjs times of the fan-out: the requests alone, on 200 channels made and handed
    // to the worker before the measure (setup), so CPU too counts no channel made or closed.
    '200-port fan-out, requests only (4,000 requests)',
    4_000,
    async (page) =>
      page.evaluate(async () => {
        const { channels } = globalThis.fanOutRequestsState;
        const requests = 4_000;
        let sent = 0;
        let answered = 0;
        let wrong = 0;
        const t0 = performance.now();
        await new Promise((done) => {
          for (const { port1 } of channels) {
            port1.onmessage = (e) => {
              if (e.data.result !== e.data.id + 1) wrong++;
              if (++answered === requests) done();
              else if (sent < requests) port1.postMessage({ id: sent, method: 'add', args: [sent++, 1] });
            };
          }
          for (const { port1 } of channels)
            if (sent < requests) port1.postMessage({ id: sent, method: 'add', args: [sent++, 1] });
        });
        if (wrong) throw new Error(`${wrong} RPC replies were wrong`);
        return (performance.now() - t0) / 4;
      }),
    async (page) =>
      page.evaluate(async () => {
        const worker = new Worker('rpc-worker.js');
        const channels = Array.from({ length: 200 }, () => new MessageChannel());
        worker.postMessage(
          'serve',
          channels.map((c) => c.port2),
        );
        await new Promise((ok) => {
          worker.onmessage = ok;
        });
        globalThis.fanOutRequestsState = { worker, channels };
      }),
  ],
  [
    // Each transfer a task of its own (a round trip to the echo worker), so its CPU per unit includes
    // starting the worker (once a run): compare the columns, not the absolute figure.
    '16 MB transfers (100)',
    100,
    async (page) => (await page.evaluate(() => globalThis.benchWorkloads.bigTransfer(16, 50))).perTransfer * 1000,
  ],
  [
    'worker round trips (1,000; wall: p50)',
    1_050,
    async (page) => (await page.evaluate(() => globalThis.benchWorkloads.workerEcho(1_000, 50))).p50 * 1000,
  ],
];

const WORKLOADS = ALL_WORKLOADS.filter(([name]) => name.includes(only));
if (WORKLOADS.length === 0) {
  console.error(`no workload named like ${only}`);
  process.exit(2);
}
const results = {};
for (const [w] of WORKLOADS)
  results[w] = {
    wall: { native: [], A: [], B: [] },
    cpu: { native: [], A: [], B: [] },
    thread: { native: [], A: [], B: [] },
  };
const order = Object.keys(modes);
for (let round = 0; round < rounds; round++) {
  for (let j = 0; j < order.length; j++) {
    const mode = order[(round + j) % order.length];
    const { page, cpu, threadTime: thread } = modes[mode];
    await page.goto(`${server.origin}/index.html?r=${round}`);
    // The relay's config (nobody watches: count) reaches the runtime shortly after load.
    await page.waitForTimeout(300);
    for (const [w, units, run, setup] of WORKLOADS) {
      if (setup) await setup(page);
      let best = Infinity;
      const before = cpu();
      const threadBefore = await thread();
      for (let k = 0; k < 3; k++) best = Math.min(best, await run(page));
      results[w].thread[mode].push((((await thread()) - threadBefore) * 1e6) / (3 * units));
      results[w].cpu[mode].push(((cpu() - before) * 1e6) / (3 * units));
      results[w].wall[mode].push(best);
    }
  }
}

const sorted = (xs) => xs.slice().sort((x, y) => x - y);
const median = (xs) => sorted(xs)[xs.length >> 1];
const cell = (xs) => `${median(xs).toFixed(2)} (${sorted(xs)[0].toFixed(2)}–${sorted(xs).at(-1).toFixed(2)})`;
console.log(`A = ${distA}, B = ${distB}; ${rounds} rounds; µs per unit, median (min–max)`);
console.log('| workload | measure | native | A | B | A / native | B / native |');
console.log('|---|---|---|---|---|---|---|');
for (const [w, byMeasure] of Object.entries(results))
  for (const [measure, r] of Object.entries(byMeasure)) {
    const ratio = (m) => r[m].map((x, i) => x / r.native[i]);
    console.log(
      `| ${w} | ${{ cpu: 'browser CPU', thread: 'page thread CPU', wall: 'page wall' }[measure]} | ${cell(r.native)} | ${cell(r.A)} | ${cell(r.B)} | ${cell(ratio('A'))}× | ${cell(ratio('B'))}× |`,
    );
  }
// The last document's counts leave with its next batch, or alone within counted.ts COUNTS_ALONE_MS
// (1 s): let them reach the background.
await new Promise((r) => setTimeout(r, 2000));
for (const m of ['A', 'B']) {
  const kinds = await modes[m].serviceWorker.evaluate(() => {
    const out = { counted: 0, countFacts: 0, facts: 0, plainPosts: 0 };
    for (const f of globalThis.portscopeDebug.facts()) {
      out.facts++;
      if (f.kind === 'messages-counted') {
        out.counted += f.posted;
        out.countFacts++;
      }
      if (f.kind === 'port-posted' && f.transfer.length === 0) out.plainPosts++;
    }
    return out;
  });
  console.log(
    `${m}: ${kinds.counted} posts counted in ${kinds.countFacts} messages-counted facts (of ${kinds.facts} facts the background holds for the last document), ${kinds.plainPosts} plain posts recorded (idle: most counted)`,
  );
}
for (const m of Object.values(modes)) await m.close();
await server.close();
