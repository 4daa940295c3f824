// Where a recorded fact's cost goes on its way to a panel connection: CPU profiles (CDP Profiler,
// 100 µs sampling) of the three threads it crosses during one burst of tiny messages — the page
// (runtime, batch text, private port, the relay's outbox and runtime.Port send: the relay is a
// content script, on the page's thread), the extension's service worker (decode, validation, tab
// log, the send to the panel) and the panel connection's page (receiving) — self time per function.
//
//   node bench/relay-profile.mjs [--dist DIR] [--rate N] [--seconds S]
//
// Uses an existing build (DIR, default .tmp/dist-bench: `node bench/run.mjs` builds it there, or
// `PORTSCOPE_DIST=DIR node scripts/build.mjs`); `PORTSCOPE_MINIFY=0` at build time keeps names.
import { resolve } from 'node:path';
import { addPanelConnectionPage, launchBenchChromium, serviceWorkerSession } from './chromium.mjs';
import { openModePages } from './pages.mjs';
import { serveBench } from './server.mjs';
import { selfTimes } from './cases/profile.mjs';

class RelayProfileError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RelayProfileError';
  }
}

function option(name, fallback, parse) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = parse(process.argv[i + 1]);
  if (v === undefined || Number.isNaN(v)) throw new RelayProfileError(`${name}: bad value ${process.argv[i + 1]}`);
  return v;
}
const dist = resolve(option('--dist', '.tmp/dist-bench', (s) => s));
const rate = option('--rate', 100_000, Number);
const seconds = option('--seconds', 2, Number);
const SAMPLING_US = 100;

const distChrome = resolve(dist, 'test/chrome');
addPanelConnectionPage(distChrome);
const server = await serveBench({ dist });
const bench = await launchBenchChromium(distChrome);
try {
  const pages = await openModePages(bench, server.origin);
  const page = await pages.goto('recording', '/index.html');
  await new Promise((ok) => setTimeout(ok, 300));
  await pages.panel.reset();
  const sw = await serviceWorkerSession(bench.browser);
  const pageCdp = await page.context().newCDPSession(page);
  const panelCdp = await pages.panel.page.context().newCDPSession(pages.panel.page);
  const sessions = { page: pageCdp, 'service worker': sw, 'panel connection': panelCdp };
  for (const s of Object.values(sessions)) {
    await s.send('Profiler.enable');
    await s.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await s.send('Profiler.start');
  }
  const sent = await page.evaluate(([r, s]) => globalThis.benchWorkloads.burst(r, s), [rate, seconds]);
  // Until the facts stop coming.
  let last = -1;
  let report = await pages.panel.report();
  while (report.facts !== last) {
    last = report.facts;
    await new Promise((ok) => setTimeout(ok, 1_000));
    report = await pages.panel.report();
  }
  const profiles = {};
  for (const [name, s] of Object.entries(sessions)) {
    const { profile } = await s.send('Profiler.stop');
    profiles[name] = selfTimes(profile);
  }
  await sw.detach();
  const k = (n) => Math.round(n).toLocaleString('en');
  console.log(
    `burst: ${k(sent.sent)} messages at ${k(rate)}/s offered, ${k(sent.achievedPerSecond)}/s achieved; ` +
      `panel connection: ${k(report.facts)} facts, ${k(report.factsPerSecond ?? 0)} facts/s, ` +
      `lag p50 ${report.lagP50?.toFixed(1)} ms, p95 ${report.lagP95?.toFixed(1)} ms; ` +
      `background status: dropped ${JSON.stringify(report.status?.dropped ?? {})}, rejected ${report.status?.rejected ?? 0}`,
  );
  for (const [name, p] of Object.entries(profiles)) {
    console.log(
      `\n${name}: ${p.totalMs.toFixed(0)} ms sampled, ${p.portscopeMs.toFixed(1)} ms (${p.portscopePercent} %) in Portscope's code`,
    );
    for (const row of p.top.slice(0, 12))
      console.log(`  ${row.ms.toFixed(1).padStart(7)} ms ${String(row.percent).padStart(5)} %  ${row.fn}`);
  }
} finally {
  await bench.close();
  await server.close();
}
