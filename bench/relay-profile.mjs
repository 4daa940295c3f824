// Where a recorded fact's cost goes on its way to a panel connection, during one burst of tiny
// messages:
// - CPU time per process, read from /proc (user + system, 10 ms ticks) before and after the burst:
//   the page's renderer (runtime, batch text, private port, the relay's outbox and runtime.Port
//   send: the relay is a content script, on the page's thread), the extension's renderer (its
//   service worker: decode, validation, tab log, the send to the panel; and the panel
//   connection's page), the browser process (it carries every extension message). CPU time, not
//   wall time, so a loaded machine slows the burst without changing the cost per fact much.
// - CPU profiles (CDP Profiler, 100 µs sampling) of the page, the service worker and the panel
//   connection's page: self time per function.
//
//   node bench/relay-profile.mjs [--dist DIR] [--rate N] [--seconds S] [--no-profile]
//
// Uses an existing build (DIR, default .tmp/dist-bench: `node bench/run.mjs` builds it there, or
// `PORTSCOPE_DIST=DIR node scripts/build.mjs`); `PORTSCOPE_MINIFY=0` at build time keeps names.
import { readdirSync, readFileSync } from 'node:fs';
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
const profiling = !process.argv.includes('--no-profile');
const SAMPLING_US = 100;
const TICKS_PER_SECOND = 100;

/** This browser's processes (the ones started with its user-data dir), by role. */
function processes(distChrome) {
  const all = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // Chromium rewrites its children's argv as one line (the process title): split on spaces too.
      all.push({ pid, cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/) });
    } catch {
      // Gone meanwhile.
    }
  }
  const browser = all.find(
    (p) => !p.cmd.some((a) => a.startsWith('--type=')) && p.cmd.includes(`--load-extension=${distChrome}`),
  );
  if (!browser) throw new RelayProfileError(`no browser process with --load-extension=${distChrome}`);
  const dataDir = browser.cmd.find((a) => a.startsWith('--user-data-dir='));
  const role = (p) => {
    if (p === browser) return 'browser process';
    if (!p.cmd.includes('--type=renderer')) return 'other processes';
    return p.cmd.includes('--extension-process') ? 'extension renderer' : 'page renderers';
  };
  return all.filter((p) => p === browser || p.cmd.includes(dataDir)).map((p) => ({ pid: p.pid, role: role(p) }));
}

/** CPU seconds per role (user + system). */
function cpuByRole(procs) {
  const out = {};
  for (const { pid, role } of procs) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out[role] = (out[role] ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // Exited: its time is lost to the count (the run says which roles it measured).
    }
  }
  return out;
}

const distChrome = resolve(dist, 'test/chrome');
addPanelConnectionPage(distChrome);
const server = await serveBench({ dist });
const bench = await launchBenchChromium(distChrome);
try {
  const pages = await openModePages(bench, server.origin);
  // The same burst without Portscope (the incognito page): what the page's renderer spends anyway.
  const nativePage = await pages.goto('native', '/index.html');
  const nativeProcs = processes(distChrome);
  const nativeBefore = cpuByRole(nativeProcs);
  const nativeSent = await nativePage.evaluate(([r, s]) => globalThis.benchWorkloads.burst(r, s), [rate, seconds]);
  const nativeAfter = cpuByRole(nativeProcs);
  const nativePageMs = ((nativeAfter['page renderers'] ?? 0) - (nativeBefore['page renderers'] ?? 0)) * 1000;
  const page = await pages.goto('recording', '/index.html');
  await new Promise((ok) => setTimeout(ok, 300));
  await pages.panel.reset();
  const sw = await serviceWorkerSession(bench.browser);
  const pageCdp = await page.context().newCDPSession(page);
  const panelCdp = await pages.panel.page.context().newCDPSession(pages.panel.page);
  const sessions = profiling ? { page: pageCdp, 'service worker': sw, 'panel connection': panelCdp } : {};
  for (const s of Object.values(sessions)) {
    await s.send('Profiler.enable');
    await s.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await s.send('Profiler.start');
  }
  const procs = processes(distChrome);
  const cpuBefore = cpuByRole(procs);
  const sent = await page.evaluate(([r, s]) => globalThis.benchWorkloads.burst(r, s), [rate, seconds]);
  // Until the facts stop coming.
  let last = -1;
  let report = await pages.panel.report();
  while (report.facts !== last) {
    last = report.facts;
    await new Promise((ok) => setTimeout(ok, 1_000));
    report = await pages.panel.report();
  }
  const cpuAfter = cpuByRole(procs);
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
  console.log(
    `\nCPU time during the burst and its settling (${profiling ? 'with' : 'without'} the profilers), per 1,000 facts delivered:`,
  );
  for (const role of Object.keys(cpuAfter).sort()) {
    const seconds = cpuAfter[role] - (cpuBefore[role] ?? 0);
    console.log(
      `  ${role.padEnd(20)} ${(seconds * 1000).toFixed(0).padStart(6)} ms   ${((seconds * 1e6) / Math.max(1, report.facts)).toFixed(1).padStart(6)} ms per 1,000 facts`,
    );
  }
  console.log(
    `  native page, the same burst: ${nativePageMs.toFixed(0)} ms of page renderers for ${k(nativeSent.sent)} messages ` +
      `(${k(nativeSent.achievedPerSecond)}/s): the recording page's renderers spent ` +
      `${((((cpuAfter['page renderers'] - cpuBefore['page renderers']) * 1000 - nativePageMs) * 1000) / Math.max(1, report.facts)).toFixed(1)} ms per 1,000 facts more`,
  );
  for (const [name, p] of Object.entries(profiles)) {
    console.log(
      `\n${name}: ${p.totalMs.toFixed(0)} ms sampled, ${p.portscopeMs.toFixed(1)} ms (${p.portscopePercent} %) in Portscope's code`,
    );
    const line = (row) =>
      console.log(`  ${row.ms.toFixed(1).padStart(7)} ms ${String(row.percent).padStart(5)} %  ${row.fn}`);
    for (const row of p.top.slice(0, 12)) line(row);
    console.log("  Portscope's own functions:");
    for (const row of p.topPortscope) line(row);
  }
} finally {
  await bench.close();
  await server.close();
}
