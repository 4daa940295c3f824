// What the MAIN-world script's cold evaluation parses and compiles, function by function (issue 16).
// The CPU profiler files V8's compilation under "(program)" and the trace names no function, so
// this reads V8's own function events (`--log-function-events`): for every function of the
// script, its pre-parse, its full parse and its bytecode compilation, with V8's timings.
//
//   PORTSCOPE_MINIFY=0 PORTSCOPE_DIST=.tmp/dist-names node node_modules/vite/bin/vite.js build --mode chrome
//   node bench/startup-profile.mjs .tmp/dist-names/chrome/injected/main.iife.js [loads=5]
//
// With a build that keeps names (PORTSCOPE_MINIFY=0), every function is attributed to its
// module by the `// injected/…` markers the bundler writes; a minified build gives positions and
// mangled names only. Each load inlines the script with a unique comment (V8's compilation cache
// never helps), as bench/ab-eval.mjs does; the page's next script calls a marker function whose
// compilation is the end of the evaluation: what V8 compiled before it ran at document_start,
// the rest (the first flush's encoder, ...) later. V8's timings include the cost of logging
// them: compare them with each other, not with bench/ab-eval.mjs.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const [path, loadsArg = '5'] = process.argv.slice(2);
const loads = Number(loadsArg);
if (!path || !(loads > 0)) {
  console.error('usage: node bench/startup-profile.mjs <main.iife.js> [loads]');
  process.exit(2);
}
const source = readFileSync(path, 'utf8');
const END = 'portscopeProfileEnd';

/** Module of each byte offset: the bundler's `// injected/x.ts` lines (non-minified builds only). */
const modules = [...source.matchAll(/\n\t\/\/ ([\w./-]+\.ts)\n/g)].map((m) => ({ at: m.index, name: m[1] }));
const moduleAt = (offset) => {
  let name = modules.length ? '(bundle prologue)' : '(minified: no module markers)';
  for (const m of modules) if (m.at <= offset) name = m.name;
  return name;
};

let served = 0;
const server = createServer((req, res) => {
  // `/?warm`: the same text at the same address every time, so V8's in-memory cache answers (nothing compiled).
  const comment = req.url.includes('warm') ? 'warm' : `load ${++served}`;
  const body =
    `<!doctype html><meta charset="utf-8"><script>${source.replace(/<\/script/gi, '<\\/script')}\n//# ${comment}</script>` +
    `<script>function ${END}() { return 1; } ${END}();</script>`;
  res.writeHead(200, { 'content-type': 'text/html' }).end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

/** One cold load in a fresh browser, its function events parsed. */
async function profileOnce(i) {
  const dir = mkdtempSync(join(tmpdir(), 'ps-fn-'));
  const log = join(dir, 'v8.log');
  const browser = await chromium.launch({
    executablePath: process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // One process, no sandbox: the renderer's V8 writes the log file itself.
    args: [
      '--no-sandbox',
      '--single-process',
      `--js-flags=--log-function-events --logfile=${log} --no-logfile-per-isolate`,
    ],
  });
  const page = await browser.newPage();
  await page.goto(`${origin}/?load=${i}`);
  await browser.close();
  const lines = readFileSync(log, 'utf8').split('\n');
  rmSync(dir, { recursive: true, force: true });
  return parseLog(lines);
}

function parseLog(lines) {
  // function,<event>,<script>,<start>,<end>,<ms>,<timestamp µs>,<name>
  const rows = [];
  for (const line of lines) {
    if (!line.startsWith('function,')) continue;
    const p = line.split(',');
    rows.push({ event: p[1], script: p[2], start: +p[3], end: +p[4], ms: +p[5], ts: +p[6], name: p[7] ?? '' });
  }
  const endMark = rows.find((r) => r.event === 'interpreter' && r.name === END);
  // The script: the one whose outermost function spans the source (+ the unique comment).
  const extent = new Map();
  for (const r of rows) extent.set(r.script, Math.max(extent.get(r.script) ?? 0, r.end));
  const script = [...extent].find(([, end]) => end >= source.length && end < source.length + 40)?.[0];
  if (!script || !endMark) throw new Error('the script or its end marker is missing from the V8 log');
  const fns = new Map();
  let parseScript = 0;
  let preparse = 0;
  for (const r of rows) {
    if (r.script !== script) continue;
    if (r.event === 'parse-script') parseScript += r.ms;
    if (r.event.startsWith('preparse')) preparse += r.ms;
    if (r.end - r.start >= source.length - 40) continue; // the script's own top level
    const key = `${r.start}:${r.end}`;
    const f = fns.get(key) ?? { start: r.start, end: r.end, name: r.name, parse: 0, compile: 0, compiledAt: undefined };
    if (r.event === 'full-parse' || r.event === 'parse-function') f.parse += r.ms;
    if (r.event === 'interpreter') {
      f.compile += r.ms;
      f.compiledAt ??= r.ts;
    }
    fns.set(key, f);
  }
  const compiled = [...fns.values()].filter((f) => f.compiledAt !== undefined && f.compiledAt < endMark.ts);
  return { parseScript, preparse, compiled, functions: fns.size };
}

/**
 * The same cold loads without V8's log, in one browser, alternating with loads of the same text
 * at the same address (V8's in-memory cache answers: nothing is compiled, only run): Chromium's
 * trace of the script (its evaluation, the top-level compile, and the run with the lazy
 * compilations inside it, which the trace does not name), so cold − cached is what compiling
 * costs. Then the CPU profiler at 20 µs over cached loads: self time of the script's functions
 * as they run (the natives they call are not shown; in a cold load a lazy compilation would be
 * filed under its caller).
 */
async function traceAndSample() {
  const browser = await chromium.launch({ executablePath: process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium' });
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  const phases = [];
  const warmPhases = [];
  await page.goto(`${origin}/?warm`);
  for (let i = 0; i < 2 * loads; i++) {
    const warm = i % 2 === 1;
    const events = [];
    const collect = (e) => events.push(...e.value);
    cdp.on('Tracing.dataCollected', collect);
    const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
    await cdp.send('Tracing.start', {
      // Without disabled-by-default-v8.compile: it names the lazy compilations but inflates them severalfold.
      traceConfig: { includedCategories: ['devtools.timeline', 'v8'] },
      transferMode: 'ReportEvents',
    });
    await page.goto(warm ? `${origin}/?warm` : `${origin}/?trace=${i}`);
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', collect);
    // The script: the longest EvaluateScript of the page (the marker script after it is tiny).
    const evaluate = events.filter((e) => e.name === 'EvaluateScript' && e.ph === 'X').sort((a, b) => b.dur - a.dur)[0];
    if (!evaluate) continue;
    const inside = (e) =>
      e.ph === 'X' && e.tid === evaluate.tid && e.ts >= evaluate.ts && e.ts + e.dur <= evaluate.ts + evaluate.dur;
    const sum = (name) => events.filter((e) => e.name === name && inside(e)).reduce((t, e) => t + e.dur / 1000, 0);
    (warm ? warmPhases : phases).push({
      evaluate: evaluate.dur / 1000,
      compile: sum('v8.compile'),
      run: sum('v8.run'),
    });
  }
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 20 });
  const self = new Map();
  for (let i = 0; i < loads; i++) {
    await page.goto('about:blank');
    await cdp.send('Profiler.start');
    await page.goto(`${origin}/?warm`);
    const { profile } = await cdp.send('Profiler.stop');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (let k = 0; k < profile.samples.length; k++) {
      const f = byId.get(profile.samples[k]).callFrame;
      if (f.functionName === '(idle)') continue;
      if (!f.url.startsWith(origin)) continue;
      const key =
        f.lineNumber >= 0
          ? `${f.functionName || '(anonymous)'} ${moduleAt(lineOffsets[f.lineNumber] + f.columnNumber)}`
          : f.functionName || '(the script, outside any function)';
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k + 1] ?? 0) / 1000);
    }
  }
  await browser.close();
  return { phases, warmPhases, self };
}

/** Offset of each line's start, to place a profile's (line, column) in the bundle. */
const lineOffsets = [0];
for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineOffsets.push(i + 1);

const runs = [];
for (let i = 0; i < loads; i++) runs.push(await profileOnce(i));
const sampled = await traceAndSample();
server.close();

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const ms = (x) => x.toFixed(3);
console.log(`${path}: ${source.length} bytes, ${runs[0].functions} functions; ${loads} cold loads, V8 function events`);
console.log(
  `top-level parse (pre-parse of every function included): median ${ms(median(runs.map((r) => r.parseScript)))} ms,` +
    ` of which pre-parse ${ms(median(runs.map((r) => r.preparse)))} ms`,
);
console.log(
  `compiled during the evaluation: median ${median(runs.map((r) => r.compiled.length))} functions,` +
    ` ${median(runs.map((r) => r.compiled.reduce((s, f) => s + f.end - f.start, 0)))} bytes,` +
    ` parse + compile ${ms(median(runs.map((r) => r.compiled.reduce((s, f) => s + f.parse + f.compile, 0))))} ms`,
);

const { phases, warmPhases, self } = sampled;
const phase = (key, of = phases) => ms(median(of.map((p) => p[key])));
console.log(
  `\ntrace (no V8 log; ${phases.length} cold loads, median): EvaluateScript ${phase('evaluate')} ms,` +
    ` top-level compile (v8.compile) ${phase('compile')} ms, running with its lazy compilation (v8.run) ${phase('run')} ms;` +
    `\n  the same text again (V8's in-memory cache: nothing compiled; alternating with the cold loads):` +
    ` EvaluateScript ${phase('evaluate', warmPhases)} ms, v8.compile ${phase('compile', warmPhases)} ms, v8.run ${phase('run', warmPhases)} ms`,
);
console.log(
  `CPU profile at 20 µs of the same text again (running only, nothing compiled), self time per load of the script's own functions (${loads} loads):`,
);
for (const [key, total] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`${ms(total / loads).padStart(7)} ms  ${key}`);

// Per function, the median over the loads (a load's single timing can hold a GC pause or the
// log's own write); compiled at document_start in at least half of them.
const perFunction = new Map();
for (const run of runs)
  for (const f of run.compiled) {
    const key = `${f.start}:${f.end}`;
    if (!perFunction.has(key)) perFunction.set(key, { start: f.start, end: f.end, name: f.name, ms: [] });
    perFunction.get(key).ms.push(f.parse + f.compile);
  }
const atStart = [...perFunction.values()]
  .filter((f) => f.ms.length * 2 >= loads)
  .map((f) => ({ ...f, median: median(f.ms) }));

const byModule = new Map();
const entry = (name) => {
  if (!byModule.has(name)) byModule.set(name, { bytes: 0, fns: 0, fnBytes: 0, ms: 0 });
  return byModule.get(name);
};
for (let k = 0; k < modules.length; k++)
  entry(modules[k].name).bytes += (modules[k + 1]?.at ?? source.length) - modules[k].at;
for (const f of atStart) {
  const m = entry(moduleAt(f.start));
  m.fns++;
  m.fnBytes += f.end - f.start;
  m.ms += f.median;
}
console.log(
  '\nper module: bundle bytes | functions compiled at document_start | their bytes | parse + compile ms (medians)',
);
for (const [name, m] of [...byModule].sort((a, b) => b[1].bytes - a[1].bytes))
  console.log(
    `${String(m.bytes).padStart(7)} ${String(m.fns).padStart(4)} ${String(m.fnBytes).padStart(7)} ${ms(m.ms).padStart(7)}  ${name}`,
  );

console.log('\nfunctions compiled at document_start (median parse + compile over the loads):');
for (const f of atStart.sort((a, b) => b.median - a.median))
  console.log(
    `${ms(f.median).padStart(7)} ms ${String(f.end - f.start).padStart(6)} bytes  ${f.name || '(anonymous)'}  ${moduleAt(f.start)}:${f.start}`,
  );
