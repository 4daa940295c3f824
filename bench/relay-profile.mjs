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
//   node bench/relay-profile.mjs [--dist DIR [--src SRC]] [--rate N] [--seconds S] [--no-profile]
//   node bench/relay-profile.mjs --workload tiny|1kb|fanout|worker [--n N] [--runs R] [--dist DIR [--src SRC]]…
//     [--cpu-profile]
//
// The panel connection validates every message as the panel does, with protocol/validate.ts of
// SRC (the checkout DIR was built from; this one by default: bench/chromium.mjs), and counts
// the messages it would refuse; a run with any is flagged, and the script exits 1.
//
// With --workload, no burst: the throughput workload (or the 200-port fan-out) of
// bench/fixtures/workload.js, n messages (requests), in the native page and in the recording
// page alternately, R times each, and the page renderers' CPU time per message in each (from
// /proc, so a loaded machine changes it far less than wall time). Several --dist builds are run
// in turn within every round (one browser each), for a paired before/after. --cpu-profile adds,
// after the rounds, one more recording run per build with the service worker and the panel
// connection's page profiled (not counted in the figures above it): self time per function, in
// µs per fact delivered.
//
// Uses an existing build (DIR, default .tmp/dist-bench: `node bench/run.mjs` builds it there, or
// `PORTSCOPE_DIST=DIR node scripts/build.mjs`); `PORTSCOPE_MINIFY=0` at build time keeps names.
import { resolve } from 'node:path';
import { addPanelConnectionPage, launchBenchChromium, serviceWorkerSession } from './chromium.mjs';
import { openModePages } from './pages.mjs';
import { cpuByRole, processes } from './process-cpu.mjs';
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
/** Each --dist with the --src that follows it (before the next --dist), or undefined: this checkout. */
const builtFrom = (() => {
  const out = [];
  for (let i = 0; i < process.argv.length; i++) {
    if (process.argv[i] === '--dist') out.push({ dist: resolve(process.argv[i + 1]), src: undefined });
    else if (process.argv[i] === '--src') {
      if (!out.length) throw new RelayProfileError('--src: give it after the --dist it was built into');
      out[out.length - 1].src = resolve(process.argv[i + 1]);
    }
  }
  return out;
})();
const srcOf = (d) => builtFrom.find((b) => b.dist === d)?.src;
/** Messages the panel connection refused, across the whole run: any makes the figures suspect. */
const refused = [];
function noteRefused(label, report) {
  if (!report.invalid) return;
  refused.push(`${label}: ${report.invalid} of ${report.messages} messages (first: ${report.firstInvalid})`);
}
function sayRefused() {
  if (!refused.length) return;
  console.log(
    `\n!!! THE PANEL CONNECTION REFUSED MESSAGES: the panel would have shown less than was sent; these figures are not of a working build.\n${refused.map((r) => `!!!   ${r}`).join('\n')}`,
  );
  process.exitCode = 1;
}
const workload = option('--workload', undefined, (s) =>
  ['tiny', '1kb', 'fanout', 'worker'].includes(s) ? s : undefined,
);
const n = option('--n', 20_000, Number);
const runs = option('--runs', 5, Number);
const rate = option('--rate', 100_000, Number);
const seconds = option('--seconds', 2, Number);
const profiling = !process.argv.includes('--no-profile');
const profileWorkload = process.argv.includes('--cpu-profile');
const SAMPLING_US = 100;
const ROLES = ['page renderers', 'extension renderer', 'browser process', 'other processes'];
/** What reached the panel connection so far (its report() sorts every lag: too dear to poll inside a CPU window). */
const progress = (pages) => pages.panel.page.evaluate(() => globalThis.benchPanel.progress());

/** Page renderers' CPU per message of the throughput or fan-out workload, native and recording, per build. */
async function workloadCpu() {
  const dists = builtFrom.map((b) => b.dist);
  if (!dists.length) dists.push(dist);
  const builds = [];
  try {
    for (const d of dists) {
      const chrome = resolve(d, 'test/chrome');
      await addPanelConnectionPage(chrome, srcOf(d));
      const server = await serveBench({ dist: d });
      const b = await launchBenchChromium(chrome);
      builds.push({
        d,
        chrome,
        server,
        b,
        pages: await openModePages(b, server.origin),
        us: { native: [], recording: [] },
        wall: { native: [], recording: [] },
        roles: { native: {}, recording: {} },
      });
    }
    const run = (page) =>
      page.evaluate(
        ([w, count]) =>
          w === 'fanout'
            ? globalThis.benchWorkloads.fanOut(200, count)
            : w === 'worker'
              ? globalThis.benchWorkloads.workerEcho(count, 0)
              : globalThis.benchWorkloads.channelThroughput(w, count),
        [workload, n],
      );
    for (let r = 0; r < runs; r++) {
      for (const build of r % 2 ? [...builds].reverse() : builds) {
        for (const mode of r % 2 ? ['recording', 'native'] : ['native', 'recording']) {
          const page = await build.pages.goto(mode, '/index.html');
          await run(page); // warm-up, in the same document
          await new Promise((ok) => setTimeout(ok, 200));
          const procs = processes(build.chrome);
          const before = cpuByRole(procs);
          const result = await run(page);
          // The runtime's last batch leaves on its 50 ms timer, the relay's on its 25 ms one; then
          // wait until the panel connection stops receiving, so a lagging background's work is counted.
          await new Promise((ok) => setTimeout(ok, 300));
          if (mode === 'recording') {
            let facts = -1;
            for (let got = await progress(build.pages); got.facts !== facts; got = await progress(build.pages)) {
              facts = got.facts;
              await new Promise((ok) => setTimeout(ok, 300));
            }
          }
          const after = cpuByRole(procs);
          build.us[mode].push((((after['page renderers'] ?? 0) - (before['page renderers'] ?? 0)) * 1e6) / n);
          // The worker round trip's own figure is its p50; the others time the whole workload.
          build.wall[mode].push(workload === 'worker' ? result.p50 * 1000 : (result.ms * 1000) / n);
          for (const role of Object.keys(after)) {
            build.roles[mode][role] ??= [];
            build.roles[mode][role].push((((after[role] ?? 0) - (before[role] ?? 0)) * 1e6) / n);
          }
          if (mode === 'recording') {
            // What reached the panel connection, and what was counted as dropped: a build that loses facts shows here.
            const got = await build.pages.panel.report();
            build.delivered ??= [];
            build.delivered.push(
              `${got.facts} facts in ${got.batches} chunks, dropped ${JSON.stringify(got.status?.dropped ?? {})}${got.invalid ? `, ${got.invalid} messages REFUSED` : ''}`,
            );
            noteRefused(`${build.d.replace(/.*\//, '')}, run ${r + 1}`, got);
            await build.pages.panel.reset();
          }
        }
      }
    }
    if (profileWorkload) for (const build of builds) build.profiles = await profiledRun(build, run);
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    console.log(
      `${workload === 'fanout' ? 'fan-out requests (200 ports)' : workload === 'worker' ? 'worker round trips' : `${workload} messages`}, ${n.toLocaleString('en')} per run, ${runs} runs: ` +
        "page renderers' CPU time (/proc, 10 ms ticks) per message, µs, median (all runs)\n",
    );
    console.log('| build | native | recording | recording − native | ratio |\n|---|---|---|---|---|');
    for (const { d, us } of builds) {
      const [nat, rec] = [median(us.native), median(us.recording)];
      const all = (xs) => xs.map((x) => x.toFixed(1)).join(' ');
      console.log(
        `| ${d.replace(/.*\//, '')} | ${nat.toFixed(1)} (${all(us.native)}) | ${rec.toFixed(1)} (${all(us.recording)}) | ${(rec - nat).toFixed(1)} | ${(rec / nat).toFixed(2)}× |`,
      );
    }
    console.log(
      "\nThe same runs: the workload's own time (first post to last dispatch as the page measures it; for worker " +
        'round trips, their p50) and ' +
        'the CPU time of every process of the browser (from the start of the run to 300 ms after it, recording: until nothing more reaches the panel connection for 300 ms), µs per message, median:\n',
    );
    console.log(
      '| build | mode | wall | ' + ROLES.join(' | ') + ' |\n|---|---|---|' + ROLES.map(() => '---|').join(''),
    );
    for (const { d, wall, roles } of builds)
      for (const mode of ['native', 'recording'])
        console.log(
          `| ${d.replace(/.*\//, '')} | ${mode} | ${median(wall[mode]).toFixed(1)} | ${ROLES.map((r) => (roles[mode][r] ? median(roles[mode][r]).toFixed(1) : '–')).join(' | ')} |`,
        );
    console.log('\nEvery run (recording), µs per message: extension renderer | browser process');
    for (const { d, roles } of builds) {
      const all = (role) => (roles.recording[role] ?? []).map((x) => x.toFixed(1)).join(' ');
      console.log(`  ${d.replace(/.*\//, '')}: ${all('extension renderer')} | ${all('browser process')}`);
    }
    console.log(
      '\nAt the panel connection after each recording run (warm-up included), and what the background counted as dropped:',
    );
    for (const { d, delivered } of builds) console.log(`  ${d.replace(/.*\//, '')}: ${delivered.join('; ')}`);
    for (const { d, profiles } of builds) {
      if (!profiles) continue;
      for (const [name, p] of Object.entries(profiles.byTarget)) {
        const per = (ms) => ((ms * 1000) / Math.max(1, profiles.facts)).toFixed(3).padStart(7);
        console.log(
          `\n${d.replace(/.*\//, '')}, ${name}: ${p.totalMs.toFixed(0)} ms sampled for ${profiles.facts.toLocaleString('en')} facts ` +
            `(${per(p.totalMs).trim()} µs per fact; idle included), ${p.portscopeMs.toFixed(1)} ms in Portscope's code; µs per fact:`,
        );
        for (const row of p.top) console.log(`  ${per(row.ms)} ${String(row.percent).padStart(5)} %  ${row.fn}`);
        console.log("  Portscope's own functions:");
        for (const row of p.topPortscope)
          console.log(`  ${per(row.ms)} ${String(row.percent).padStart(5)} %  ${row.fn}`);
      }
    }
    sayRefused();
  } finally {
    for (const { b, server } of builds) {
      await b.close();
      await server.close();
    }
  }
}

/** One more recording run with the service worker and the panel connection's page profiled. */
async function profiledRun(build, run) {
  const page = await build.pages.goto('recording', '/index.html');
  await run(page);
  await new Promise((ok) => setTimeout(ok, 500));
  await build.pages.panel.reset();
  const sw = await serviceWorkerSession(build.b.browser);
  const panelCdp = await build.pages.panel.page.context().newCDPSession(build.pages.panel.page);
  const sessions = { 'service worker': sw, 'panel connection': panelCdp };
  for (const s of Object.values(sessions)) {
    await s.send('Profiler.enable');
    await s.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await s.send('Profiler.start');
  }
  await run(page);
  let facts = -1;
  for (let got = await progress(build.pages); got.facts !== facts; got = await progress(build.pages)) {
    facts = got.facts;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  const byTarget = {};
  for (const [name, s] of Object.entries(sessions)) {
    const { profile } = await s.send('Profiler.stop');
    await s.send('Profiler.disable');
    byTarget[name] = selfTimes(profile);
  }
  await sw.detach();
  await panelCdp.detach();
  const got = await build.pages.panel.report();
  noteRefused(`${build.d.replace(/.*\//, '')}, profiled run`, got);
  await build.pages.panel.reset();
  return { facts: got.facts, byTarget };
}

if (workload !== undefined) {
  await workloadCpu();
  process.exit();
}

const distChrome = resolve(dist, 'test/chrome');
await addPanelConnectionPage(distChrome, srcOf(dist));
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
  for (let got = await progress(pages); got.facts !== last; got = await progress(pages)) {
    last = got.facts;
    await new Promise((ok) => setTimeout(ok, 1_000));
  }
  const cpuAfter = cpuByRole(procs);
  const profiles = {};
  for (const [name, s] of Object.entries(sessions)) {
    const { profile } = await s.send('Profiler.stop');
    profiles[name] = selfTimes(profile);
  }
  const report = await pages.panel.report();
  await sw.detach();
  const k = (n) => Math.round(n).toLocaleString('en');
  console.log(
    `burst: ${k(sent.sent)} messages at ${k(rate)}/s offered, ${k(sent.achievedPerSecond)}/s achieved; ` +
      `panel connection: ${k(report.facts)} facts, ${k(report.factsPerSecond ?? 0)} facts/s, ` +
      `lag p50 ${report.lagP50?.toFixed(1)} ms, p95 ${report.lagP95?.toFixed(1)} ms; ` +
      `background status: dropped ${JSON.stringify(report.status?.dropped ?? {})}, rejected ${report.status?.rejected ?? 0}; ` +
      `refused by the panel connection: ${report.invalid} of ${report.messages} messages`,
  );
  noteRefused('burst', report);
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
  sayRefused();
} finally {
  await bench.close();
  await server.close();
}
