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
const server = createServer((_req, res) => {
  const body =
    `<!doctype html><meta charset="utf-8"><script>${source.replace(/<\/script/gi, '<\\/script')}\n//# load ${++served}</script>` +
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

const runs = [];
for (let i = 0; i < loads; i++) runs.push(await profileOnce(i));
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
