// The relay's cost at document_start and in the page's heap (issue 16, step 5): the isolated-world
// content script (content/relay.iife.ts) of two extension builds, side by side. Prints only.
//
//   node bench/relay-startup.mjs <distA> <distB> [rounds=10] [--parts functions,trace,heap,profile]
//
// <dist> is a build's root (`PORTSCOPE_DIST=<dist> node scripts/build.mjs`); its `chrome/` is
// loaded. Build with PORTSCOPE_MINIFY=0 to read function names in the first part.
//
// 1. functions: what V8 compiles and runs of the relay, from V8's own function events
//    (`--log-function-events`, one browser per load, single process so the renderer writes the
//    log): the functions first run before the page's first script (a marker function it calls)
//    — the document_start part — and those first run later, up to 1 s after the load (the first
//    connection: hello, welcome, config). Bytes are the functions' source extents.
// 2. trace: real navigations to a new site each time (a fresh renderer: nothing cached in
//    memory), the builds alternating in two browsers; Chromium's trace of the relay's
//    `EvaluateScript`: wall time, the main thread's CPU time (`tdur`, which waiting for a busy
//    core does not inflate), the top-level compile (`v8.compile`) and the run (`v8.run`).
// 3. heap: the page's V8 heap (`Runtime.getHeapUsage` after two `HeapProfiler.collectGarbage`)
//    1 s after a new-site navigation, in a page with no extension, with each build, and with
//    each build whose relay file is emptied (the isolated world is still made; its script does
//    nothing, and the runtime finds no relay to take its port). The isolated world shares the
//    page's isolate, so build − build without its relay is what the relay's objects hold.
// 4. profile (not by default): CPU profiles (CDP Profiler, 25 µs) of `rounds` same-site
//    navigations per build (the renderer lives on, so the profiler does too; V8's in-memory cache
//    answers the compile, so this shows the run): time per navigation in the relay's functions and
//    what they call, inclusive, the relay's top level first. Names need PORTSCOPE_MINIFY=0.
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const partsAt = args.indexOf('--parts');
const parts = new Set(partsAt >= 0 ? args.splice(partsAt, 2)[1].split(',') : ['functions', 'trace', 'heap']);
const [distA, distB, roundsArg = '10'] = args;
const rounds = Number(roundsArg);
if (!distA || !distB || !(rounds > 0)) {
  console.error(
    'usage: node bench/relay-startup.mjs <distA> <distB> [rounds=10] [--parts functions,trace,heap,profile]',
  );
  process.exit(2);
}
const executablePath = process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const RELAY = 'content/relay.iife.js';
const END = 'portscopePageFirstScript';
const server = createServer((_req, res) =>
  res
    .writeHead(200, { 'content-type': 'text/html' })
    .end(`<!doctype html><title>r</title><script>function ${END}() { return 1; } ${END}();</script>`),
);
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const port = server.address().port;
const SITES = ['127.0.0.1', 'localhost', 'a.test', 'b.test'];
const siteUrl = (i) => `http://${SITES[i % SITES.length]}:${port}/r${i}`;

const temp = mkdtempSync(join(tmpdir(), 'ps-relay-startup-'));
const cleanups = [() => rmSync(temp, { recursive: true, force: true }), () => server.close()];
const extension = (dist) => resolve(dist, 'chrome');

async function launch(ext, extraArgs = []) {
  const userDataDir = mkdtempSync(join(temp, 'profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--host-resolver-rules=MAP *.test 127.0.0.1',
      ...extraArgs,
      ...(ext ? [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`] : []),
    ],
  });
  if (ext) context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return context;
}

const sorted = (xs) => xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
const q = (xs, p) => {
  const s = sorted(xs);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : Number.NaN;
};
const cell = (xs, d = 2) => `${q(xs, 0.5).toFixed(d)} (${q(xs, 0.25).toFixed(d)}–${q(xs, 0.75).toFixed(d)})`;

// ── 1. functions ──

/** One load with V8's function events: the relay's functions first run before the page's first script, and after. */
async function functionsOnce(dist, i) {
  const dir = mkdtempSync(join(temp, 'v8log-'));
  const log = join(dir, 'v8.log');
  const context = await launch(extension(dist), [
    '--single-process',
    `--js-flags=--log-function-events --logfile=${log} --no-logfile-per-isolate`,
  ]);
  const page = await context.newPage();
  await page.goto(siteUrl(i));
  await page.waitForTimeout(1_000);
  await context.close();
  const lines = readFileSync(log, 'utf8').split('\n');
  const source = readFileSync(join(extension(dist), RELAY), 'utf8');
  const scripts = new Set();
  for (const line of lines) {
    // script-details,<id>,<url>,…
    const p = line.split(',');
    if (p[0] === 'script-details' && p[2]?.endsWith(`/${RELAY}`)) scripts.add(p[1]);
  }
  // function,<event>,<script>,<start>,<end>,<ms>,<timestamp µs>,<name>
  const rows = [];
  for (const line of lines) {
    if (!line.startsWith('function,')) continue;
    const p = line.split(',');
    rows.push({ event: p[1], script: p[2], start: +p[3], end: +p[4], ms: +p[5], ts: +p[6], name: p[7] ?? '' });
  }
  // Compiled when the page's first script calls it (V8 logs no first run for it).
  const endMark = rows.find((r) => r.event === 'interpreter' && r.name === END);
  if (!scripts.size || !endMark) throw new Error(`${dist}: the relay or the page's marker is missing from V8's log`);
  const fns = new Map();
  let topLevelParse = 0;
  for (const r of rows) {
    if (!scripts.has(r.script)) continue;
    if (r.event === 'parse-script') topLevelParse += r.ms;
    if (r.end - r.start >= source.length - 2) continue; // the script's own top level
    const key = `${r.start}:${r.end}`;
    const f = fns.get(key) ?? { start: r.start, end: r.end, name: r.name, compileMs: 0, firstRun: undefined };
    if (r.event === 'full-parse' || r.event === 'parse-function' || r.event === 'interpreter') f.compileMs += r.ms;
    if (r.event.startsWith('first-execution')) f.firstRun ??= r.ts;
    if (r.name) f.name = r.name;
    fns.set(key, f);
  }
  const ran = [...fns.values()].filter((f) => f.firstRun !== undefined);
  const early = ran.filter((f) => f.firstRun < endMark.ts);
  const later = ran.filter((f) => f.firstRun >= endMark.ts);
  rmSync(dir, { recursive: true, force: true });
  return { bytes: source.length, topLevelParse, early, later };
}

async function functionsPart() {
  const loads = Math.max(3, Math.min(rounds, 5));
  for (const dist of [distA, distB]) {
    const runs = [];
    for (let i = 0; i < loads; i++) runs.push(await functionsOnce(dist, i));
    const size = (fs) => fs.reduce((s, f) => s + f.end - f.start, 0);
    const ms = (fs) => fs.reduce((s, f) => s + f.compileMs, 0);
    console.log(`\n${dist}: ${RELAY} ${runs[0].bytes} bytes; ${loads} loads, V8 function events (median)`);
    console.log(
      `  top-level parse ${q(
        runs.map((r) => r.topLevelParse),
        0.5,
      ).toFixed(3)} ms (V8's logged time, the log's own cost included)`,
    );
    console.log(
      `  run at document_start: ${q(
        runs.map((r) => r.early.length),
        0.5,
      )} functions, ${q(
        runs.map((r) => size(r.early)),
        0.5,
      )} bytes, parse + compile ${q(
        runs.map((r) => ms(r.early)),
        0.5,
      ).toFixed(3)} ms`,
    );
    console.log(
      `  first run later (≤ 1 s): ${q(
        runs.map((r) => r.later.length),
        0.5,
      )} functions, ${q(
        runs.map((r) => size(r.later)),
        0.5,
      )} bytes`,
    );
    const biggest = runs[0].early.sort((x, y) => y.end - y.start - (x.end - x.start)).slice(0, 12);
    console.log(
      `  largest at document_start (load 1): ${biggest.map((f) => `${f.name || '(anonymous)'} ${f.end - f.start}`).join(', ')}`,
    );
  }
}

// ── 2. trace ──

async function tracedNavigation(cdp, page, url) {
  const events = [];
  const collect = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'v8'] },
    transferMode: 'ReportEvents',
  });
  await page.goto(url);
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  const evaluate = events.find(
    (e) => e.name === 'EvaluateScript' && e.ph === 'X' && e.args?.data?.url?.endsWith(`/${RELAY}`),
  );
  if (!evaluate) return null;
  const inside = (name) =>
    events
      .filter(
        (e) =>
          e.name === name &&
          e.ph === 'X' &&
          e.tid === evaluate.tid &&
          e.ts >= evaluate.ts &&
          e.ts + e.dur <= evaluate.ts + evaluate.dur,
      )
      .reduce((t, e) => t + e.dur / 1000, 0);
  return { wall: evaluate.dur / 1000, cpu: evaluate.tdur / 1000, compile: inside('v8.compile'), run: inside('v8.run') };
}

async function tracePart() {
  const browsers = {};
  for (const dist of [distA, distB]) {
    const context = await launch(extension(dist));
    const page = await context.newPage();
    browsers[dist] = { context, page, cdp: await context.newCDPSession(page), rows: [] };
  }
  for (let i = 0; i < rounds; i++) {
    for (const dist of i % 2 ? [distA, distB] : [distB, distA]) {
      const b = browsers[dist];
      const row = await tracedNavigation(b.cdp, b.page, siteUrl(i));
      if (row) b.rows.push(row);
    }
  }
  console.log(`\nthe relay's EvaluateScript, new-site navigations, median (p25–p75) ms`);
  for (const [dist, b] of Object.entries(browsers)) {
    const r = b.rows;
    console.log(
      `  ${dist} n=${r.length}: CPU ${cell(r.map((x) => x.cpu))}, wall ${cell(r.map((x) => x.wall))},` +
        ` compile ${cell(r.map((x) => x.compile))}, run ${cell(r.map((x) => x.run))}`,
    );
    await b.context.close();
  }
}

// ── 3. heap ──

/** A copy of the build's chrome/ whose relay does nothing. */
function withoutRelay(dist) {
  const dir = mkdtempSync(join(temp, 'norelay-'));
  cpSync(extension(dist), dir, { recursive: true });
  writeFileSync(join(dir, RELAY), '"use strict";\n');
  return dir;
}

async function heapPart() {
  const variants = [
    ['no extension', undefined],
    [distA, extension(distA)],
    [`${distA} without its relay`, withoutRelay(distA)],
    [distB, extension(distB)],
    [`${distB} without its relay`, withoutRelay(distB)],
  ];
  const browsers = [];
  for (const [name, ext] of variants) {
    const context = await launch(ext);
    const page = await context.newPage();
    browsers.push({ name, context, page, cdp: await context.newCDPSession(page), kb: [] });
  }
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < browsers.length; j++) {
      const b = browsers[(i + j) % browsers.length];
      await b.page.goto(siteUrl(i));
      await b.page.waitForTimeout(1_000);
      await b.cdp.send('HeapProfiler.collectGarbage');
      await b.cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await b.cdp.send('Runtime.getHeapUsage');
      b.kb.push(usedSize / 1024);
    }
  }
  console.log(`\npage heap 1 s after a new-site navigation, after a forced collection, KB: median (p25–p75)`);
  for (const b of browsers) console.log(`  ${b.name}: ${cell(b.kb, 0)}`);
  const med = (k) => q(browsers[k].kb, 0.5);
  console.log(
    `  the relay's objects (build − build without its relay): A ${(med(1) - med(2)).toFixed(0)} KB, B ${(med(3) - med(4)).toFixed(0)} KB`,
  );
  for (const b of browsers) await b.context.close();
}

// ── 4. profile ──

async function profilePart() {
  for (const dist of [distA, distB]) {
    const context = await launch(extension(dist));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`http://127.0.0.1:${port}/warm`);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 25 });
    const inclusive = new Map();
    for (let i = 0; i < rounds; i++) {
      await cdp.send('Profiler.start');
      await page.goto(`http://127.0.0.1:${port}/p${i}`);
      const { profile } = await cdp.send('Profiler.stop');
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const parent = new Map();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      for (let k = 0; k < profile.samples.length; k++) {
        const chain = [];
        for (let id = profile.samples[k]; id !== undefined; id = parent.get(id)) chain.push(byId.get(id).callFrame);
        // The relay's frames and what they call, wherever they run (its listeners run inside the runtime's dispatch).
        const top = chain.findLastIndex((f) => f.url.endsWith(`/${RELAY}`));
        if (top < 0) continue;
        const seen = new Set();
        for (const f of chain.slice(0, top + 1)) {
          const where = f.url.endsWith(`/${RELAY}`) ? `:${f.lineNumber + 1}` : ' (native)';
          const key = `${f.functionName || '(top level)'}${where}`;
          if (seen.has(key)) continue;
          seen.add(key);
          inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[k + 1] ?? 0) / 1000);
        }
      }
    }
    await context.close();
    const rows = [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, 16);
    console.log(`\n${dist}: the relay's functions, inclusive ms per same-site navigation (${rounds}, CPU profile)`);
    for (const [key, ms] of rows) console.log(`  ${(ms / rounds).toFixed(3)}  ${key}`);
  }
}

try {
  console.log(`A = ${distA}, B = ${distB}; ${rounds} rounds; parts: ${[...parts].join(', ')}`);
  if (parts.has('functions')) await functionsPart();
  if (parts.has('trace')) await tracePart();
  if (parts.has('heap')) await heapPart();
  if (parts.has('profile')) await profilePart();
} finally {
  for (const c of cleanups) c();
}
