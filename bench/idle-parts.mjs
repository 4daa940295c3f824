// The idle path taken apart (issue 16, step 4): the page thread's CPU per post and per dispatch,
// with and without a transfer list, on ports whose peer is in a dedicated worker (as in the
// fan-out and the 16 MB transfers), in a page with no extension and in pages with builds A and B
// (nobody watching the tab: the runtime counts). Each part runs alone, so what a request or a
// round trip mixes (the post, the worker's answer, the dispatch, and for 16 MB buffers the
// garbage collections their external memory starts) is seen one piece at a time:
//
//   post               port.postMessage({id, method, args}) to the worker, N times in one loop
//   post + transfer    port.postMessage(buffer, [buffer]) of a fresh 8-byte ArrayBuffer
//   dispatch           N replies posted by the worker, each dispatched to the page's onmessage
//   dispatch + transfer  N 8-byte ArrayBuffers transferred by the worker, each dispatched
//   worker.postMessage   worker.postMessage('drop'), N times: the Worker object as the carrier
//   worker message event N replies posted by the worker's global, each dispatched to worker.onmessage
//
// The CPU time of the page's main thread (CDP Performance metrics, `ThreadTime`, thread ticks)
// across 3 repetitions after a warm-up, per unit; rounds rotate the order of the three browsers,
// a fresh document each round; cells are the median over rounds of the per-round ratio to that
// round's native run, with the min–max spread. A native "post" includes the page's own loop and
// the message's serialization, a "dispatch" the event's creation and the page's handler.
//
//   node bench/idle-parts.mjs <distA> <distB> [rounds=9] [part]   (`part`: only the parts whose name contains it)
import { resolve } from 'node:path';
import { launchWithPage } from './chromium.mjs';
import { partsSetUp } from './parts-worker.mjs';
import { serveBench } from './server.mjs';

const [distA, distB, roundsArg = '9', only = ''] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!distA || !distB || !(rounds > 0)) {
  console.error('usage: node bench/idle-parts.mjs <distA> <distB> [rounds=9] [part]');
  process.exit(2);
}
const server = await serveBench({ dist: resolve(distA) });

/** In the page, after partsSetUp: each part as a function of its count. */
function installParts() {
  const { answer, sink, worker } = globalThis.partsState;
  globalThis.idleParts = {
    workerPost(n) {
      for (let i = 0; i < n; i++) worker.postMessage('drop');
    },
    workerDispatch(n) {
      return new Promise((done) => {
        let got = 0;
        worker.onmessage = () => {
          if (++got === n) done();
        };
        worker.postMessage({ carrier: n });
      });
    },
    post(n) {
      const port = sink;
      for (let i = 0; i < n; i++) port.postMessage({ id: i, method: 'add', args: [i, 1] });
    },
    postTransfer(n) {
      const port = sink;
      for (let i = 0; i < n; i++) {
        const b = new ArrayBuffer(8);
        port.postMessage(b, [b]);
      }
    },
    dispatch(n, transfer) {
      const port = answer;
      return new Promise((done) => {
        let got = 0;
        port.onmessage = () => {
          if (++got === n) done();
        };
        port.postMessage({ n, transfer });
      });
    },
  };
}

const ALL_PARTS = [
  ['post', 20_000, (page) => page.evaluate(() => globalThis.idleParts.post(20_000))],
  ['post + transfer', 10_000, (page) => page.evaluate(() => globalThis.idleParts.postTransfer(10_000))],
  ['dispatch', 20_000, (page) => page.evaluate(() => globalThis.idleParts.dispatch(20_000, false))],
  ['dispatch + transfer', 10_000, (page) => page.evaluate(() => globalThis.idleParts.dispatch(10_000, true))],
  ['worker.postMessage', 10_000, (page) => page.evaluate(() => globalThis.idleParts.workerPost(10_000))],
  ['worker message event', 10_000, (page) => page.evaluate(() => globalThis.idleParts.workerDispatch(10_000))],
];
const PARTS = ALL_PARTS.filter(([name]) => name.includes(only));
if (PARTS.length === 0) {
  console.error(`no part named like ${only}`);
  process.exit(2);
}

const launch = (dist) =>
  launchWithPage(dist && resolve(dist, 'test/chrome'), { prefix: 'ps-idle-parts-', threadTicks: true });
const modes = { native: await launch(undefined), A: await launch(distA), B: await launch(distB) };
const results = Object.fromEntries(PARTS.map(([name]) => [name, { native: [], A: [], B: [] }]));
const order = Object.keys(modes);
for (let round = 0; round < rounds; round++) {
  for (let j = 0; j < order.length; j++) {
    const mode = order[(round + j) % order.length];
    const { page, threadTime: thread } = modes[mode];
    await page.goto(`${server.origin}/index.html?parts=${round}`);
    // The relay's config (nobody watches: count) reaches the runtime shortly after load.
    await page.waitForTimeout(300);
    await page.evaluate(partsSetUp);
    await page.evaluate(installParts);
    for (const [name, units, run] of PARTS) {
      await run(page);
      const before = await thread();
      for (let k = 0; k < 3; k++) await run(page);
      results[name][mode].push((((await thread()) - before) * 1e6) / (3 * units));
    }
  }
}

const sorted = (xs) => xs.slice().sort((x, y) => x - y);
const median = (xs) => sorted(xs)[xs.length >> 1];
const cell = (xs) => `${median(xs).toFixed(2)} (${sorted(xs)[0].toFixed(2)}–${sorted(xs).at(-1).toFixed(2)})`;
console.log(`A = ${distA}, B = ${distB}; ${rounds} rounds; page thread CPU, µs per unit, median (min–max)`);
console.log('| part | native | A | B | A − native | B − native | A / native | B / native |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  const ratio = (m) => r[m].map((x, i) => x / r.native[i]);
  const extra = (m) => r[m].map((x, i) => x - r.native[i]);
  console.log(
    `| ${name} | ${cell(r.native)} | ${cell(r.A)} | ${cell(r.B)} | ${cell(extra('A'))} | ${cell(extra('B'))} | ${cell(ratio('A'))}× | ${cell(ratio('B'))}× |`,
  );
}
for (const m of Object.values(modes)) await m.close();
await server.close();
