// The idle path of two extension builds against native, interleaved in one run (issue 16): on a
// loaded machine two separate `bench/run.mjs` runs differ by more than the change, while rounds
// that alternate native, A and B see the same load. Three browsers: native (no extension), A and
// B (each build's test extension, nobody watching the tab: the runtime counts). Each round loads
// a fresh page in each, in a rotating order, and keeps the best of 3 repetitions per workload
// (bench/fixtures/workload.js); cells are the median over rounds of the per-round ratio to the
// native run of that same round, with the min–max spread.
//
//   node bench/ab-idle.mjs <distA> <distB> [rounds=9]      (dist folders from PORTSCOPE_DIST builds)
//
// Checks at the end that both instrumented tabs counted (messages-counted) and recorded no plain
// post (port-posted without a transfer), through each build's debug hook.
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveBench } from './server.mjs';

const [distA, distB, roundsArg = '9'] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!distA || !distB || !(rounds > 0)) {
  console.error('usage: node bench/ab-idle.mjs <distA> <distB> [rounds]');
  process.exit(2);
}
const executablePath = process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-timer-throttling'];
const server = await serveBench({ dist: resolve(distA) });

async function withExtension(dist) {
  const ext = resolve(dist, 'test/chrome');
  const userDataDir = mkdtempSync(join(tmpdir(), 'ps-ab-idle-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...ARGS, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const page = await context.newPage();
  return {
    page,
    worker,
    close: () => context.close().then(() => rmSync(userDataDir, { recursive: true, force: true })),
  };
}

const nativeBrowser = await chromium.launch({ executablePath, headless: true, args: ARGS });
const modes = {
  native: { page: await nativeBrowser.newPage(), close: () => nativeBrowser.close() },
  A: await withExtension(distA),
  B: await withExtension(distB),
};

const WORKLOADS = {
  'tiny messages (5,000), µs each': async (page) =>
    (await page.evaluate(() => globalThis.benchWorkloads.channelThroughput('tiny', 5000))).ms / 5,
  '1 KB objects (500), µs each': async (page) =>
    (await page.evaluate(() => globalThis.benchWorkloads.channelThroughput('1kb', 500))).ms * 2,
  '200-port fan-out (2,000 requests), µs each': async (page) =>
    (await page.evaluate(() => globalThis.benchWorkloads.fanOut(200, 2000))).ms / 2,
  'worker round trip p50 (300), µs': async (page) =>
    (await page.evaluate(() => globalThis.benchWorkloads.workerEcho(300, 50))).p50 * 1000,
};

const results = {};
for (const w of Object.keys(WORKLOADS)) results[w] = { native: [], A: [], B: [] };
const order = Object.keys(modes);
for (let round = 0; round < rounds; round++) {
  for (let j = 0; j < order.length; j++) {
    const mode = order[(round + j) % order.length];
    const { page } = modes[mode];
    await page.goto(`${server.origin}/index.html?r=${round}`);
    // The relay's config (nobody watches: count) reaches the runtime shortly after load.
    await page.waitForTimeout(300);
    for (const [w, run] of Object.entries(WORKLOADS)) {
      let best = Infinity;
      for (let k = 0; k < 3; k++) best = Math.min(best, await run(page));
      results[w][mode].push(best);
    }
  }
}

const sorted = (xs) => xs.slice().sort((x, y) => x - y);
const median = (xs) => sorted(xs)[xs.length >> 1];
const cell = (xs) => `${median(xs).toFixed(2)} (${sorted(xs)[0].toFixed(2)}–${sorted(xs).at(-1).toFixed(2)})`;
console.log(`A = ${distA}, B = ${distB}; ${rounds} rounds; median (min–max)`);
console.log('| workload | native | A | B | A / native | B / native |');
console.log('|---|---|---|---|---|---|');
for (const [w, r] of Object.entries(results)) {
  const ratio = (m) => r[m].map((x, i) => x / r.native[i]);
  console.log(
    `| ${w} | ${cell(r.native)} | ${cell(r.A)} | ${cell(r.B)} | ${cell(ratio('A'))}× | ${cell(ratio('B'))}× |`,
  );
}
for (const m of ['A', 'B']) {
  const kinds = await modes[m].worker.evaluate(() => {
    const out = { counted: 0, plainPosts: 0 };
    for (const f of globalThis.portscopeDebug.facts()) {
      if (f.kind === 'messages-counted') out.counted += f.posted;
      if (f.kind === 'port-posted' && f.transfer.length === 0) out.plainPosts++;
    }
    return out;
  });
  console.log(`${m}: ${kinds.counted} posts counted, ${kinds.plainPosts} plain posts recorded (idle: most counted)`);
}
for (const m of Object.values(modes)) await m.close();
await server.close();
