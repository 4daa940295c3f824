// Where a recorded message's time goes inside the runtime, by function *including* what it calls:
// a CPU profile (CDP Profiler, 50 µs sampling) of the recording page while it posts 1 KB objects
// (bench/fixtures/workload.js), summed per function over the samples whose stack holds it.
//
//   PORTSCOPE_MINIFY=0 PORTSCOPE_BENCH_DIST=.tmp/dist-x node scripts/build.mjs   (names kept)
//   PORTSCOPE_BENCH_DIST=.tmp/dist-x node bench/preview-profile.mjs [--kind 1kb|tiny] [--n 3000] [--runs 3]
//
// bench/cases/profile.mjs reports self time; this says what the preview costs as a whole
// (`describe` with everything under it) and which caller the shared helpers (`define`, the
// runtime's own-array writes) are charged to. Figures are printed, never asserted.
import { resolve } from 'node:path';
import { addPanelConnectionPage, launchBenchChromium } from './chromium.mjs';
import { openModePages } from './pages.mjs';
import { serveBench } from './server.mjs';

function parseArgs(argv) {
  const opts = { kind: '1kb', n: 3_000, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kind') opts.kind = argv[++i];
    else if (a === '--n') opts.n = Number(argv[++i]);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${JSON.stringify(a)} (known: --kind 1kb|tiny, --n N, --runs R)`);
  }
  if (opts.kind !== '1kb' && opts.kind !== 'tiny') throw new Error(`--kind: 1kb or tiny, got ${opts.kind}`);
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new Error('--n: a positive integer');
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs: a positive integer');
  return opts;
}

/** Inclusive time per function name (each sample counted once per name on its stack), and callers of `define`. */
function inclusive(profile, into) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isOurs = (n) => n.callFrame.url.startsWith('chrome-extension://');
  const dt = profile.timeDeltas ?? [];
  for (let i = 0; i < profile.samples.length; i++) {
    const us = dt[i + 1] ?? dt[i] ?? 0;
    into.totalUs += us;
    const names = new Set();
    let id = profile.samples[i];
    const leaf = byId.get(id);
    if (leaf && isOurs(leaf)) into.oursSelfUs += us;
    if (leaf?.callFrame.functionName === 'define') {
      let up = parent.get(id);
      while (up !== undefined && ['putIndex', 'append', 'putKey', ''].includes(byId.get(up).callFrame.functionName))
        up = parent.get(up);
      const caller = up === undefined ? '(root)' : byId.get(up).callFrame.functionName || '(anonymous)';
      into.defineBy.set(caller, (into.defineBy.get(caller) ?? 0) + us);
    }
    for (; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!isOurs(node)) continue;
      const name = node.callFrame.functionName || '(anonymous)';
      if (names.has(name)) continue;
      names.add(name);
      into.byName.set(name, (into.byName.get(name) ?? 0) + us);
    }
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dist = resolve(process.env.PORTSCOPE_BENCH_DIST ?? '.tmp/dist-bench');
  addPanelConnectionPage(resolve(dist, 'test/chrome'));
  const server = await serveBench({ dist });
  const bench = await launchBenchChromium(resolve(dist, 'test/chrome'));
  try {
    const pages = await openModePages(bench, server.origin);
    const sums = { totalUs: 0, oursSelfUs: 0, byName: new Map(), defineBy: new Map() };
    for (let run = 0; run < opts.runs; run++) {
      const page = await pages.goto('recording', '/index.html');
      // A warm-up, so what is profiled is optimised code.
      await page.evaluate(([k, c]) => globalThis.benchWorkloads.channelThroughput(k, c), [opts.kind, opts.n]);
      await pages.withCdp('recording', async (cdp) => {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
        await cdp.send('Profiler.start');
        await page.evaluate(([k, c]) => globalThis.benchWorkloads.channelThroughput(k, c), [opts.kind, opts.n]);
        const { profile } = await cdp.send('Profiler.stop');
        await cdp.send('Profiler.disable');
        inclusive(profile, sums);
      });
      await pages.panel.reset();
    }
    const ms = (us) => (us / 1000).toFixed(1);
    const pct = (us) => ((100 * us) / sums.totalUs).toFixed(1);
    console.log(
      `${opts.runs} × ${opts.n} ${opts.kind} messages, recording page: ${ms(sums.totalUs)} ms sampled, ` +
        `${ms(sums.oursSelfUs)} ms (${pct(sums.oursSelfUs)} %) self time in Portscope's scripts`,
    );
    console.log('\nInclusive time (the function and what it calls) of Portscope functions, top 25:\n');
    console.log('| Inclusive | % of page | Function |\n|---|---|---|');
    for (const [name, us] of [...sums.byName].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`| ${ms(us)} ms | ${pct(us)} % | \`${name}\` |`);
    console.log('\nSelf time of `define` (own-index.ts) by the function that asked for the write:\n');
    console.log('| Self time | % of page | Caller |\n|---|---|---|');
    for (const [name, us] of [...sums.defineBy].sort((a, b) => b[1] - a[1]))
      console.log(`| ${ms(us)} ms | ${pct(us)} % | \`${name}\` |`);
  } finally {
    await bench.close();
    server.close?.();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
