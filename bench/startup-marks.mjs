// Where the MAIN-world script's evaluation goes after its parse, part by part (issue 16, step 4):
// `performance.now()` marks written into a names-kept build (5 µs timers: the page is
// cross-origin isolated) at each module's top level and before the statements of `connect` and
// `install` named below, cold inline loads of two builds alternating in one browser; the
// interquartile mean of each part (from its mark to the next) per build. A part's time includes
// the lazy compilation of the functions it calls first.
//
//   PORTSCOPE_MINIFY=0 PORTSCOPE_DIST=.tmp/dist-names node node_modules/vite/bin/vite.js build --mode chrome
//   node bench/startup-marks.mjs <a/main.iife.js> <b/main.iife.js> [loads=40]
//
// A statement not found in a build is said so and not marked (its time goes to the part before).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const [pathA, pathB, loadsArg = '40'] = process.argv.slice(2);
const loads = Number(loadsArg);
if (!pathA || !pathB || !(loads > 0)) {
  console.error('usage: node bench/startup-marks.mjs <a/main.iife.js> <b/main.iife.js> [loads]');
  process.exit(2);
}

/** Statements marked (the part named starts there), in the order they run. */
const STATEMENTS = [
  ['\t\tawaitBridgeKey();', 'connect: up to install (its compilation included)'],
  ['\t\tforwardWorkerFactsTo(batchSink);', 'install: emitter, runtime'],
  ['\t\tconst contextFact = emitter.emit', 'install: context fact'],
  ['\t\tpatchToString();', 'patchToString'],
  ['\t\tpatchMessageChannel(rt);', 'patchMessageChannel'],
  ['\t\tpatchMessagePort(rt);', 'patchMessagePort'],
  ['\t\tif (global.EventTarget?.prototype) patchListeners', 'patchListeners'],
  ['\t\tpatchCarriers(rt, kind);', 'patchCarriers'],
  [
    '\t\tif (rt.config.inWorker) probeBlobWorkers(rt);\n\t\tapply(nativeAddEventListener, global',
    'install: error, pagehide listeners',
  ],
  ['\t\treturn {\n\t\t\tctx,\n\t\t\tconfigure', 'connect: after install'],
  ['\t\treturn new InstalledRuntime(rt);', 'connect: after install'],
  ['\t\tapply(nativeDispatchEvent, doc, [construct(NativeMessageEvent, [HANDSHAKE_OFFER', 'connect: the offer'],
];

function instrument(path) {
  let src = readFileSync(path, 'utf8');
  const found = new Set(STATEMENTS.filter(([s]) => src.includes(s)).map(([, l]) => l));
  const missing = [...new Set(STATEMENTS.map(([, l]) => l))].filter((l) => !found.has(l));
  const push = (label) => `__pm.push(performance.now(), ${JSON.stringify(label)}); `;
  for (const [statement, label] of STATEMENTS) {
    const at = src.indexOf(statement);
    if (at < 0) continue;
    src = src.slice(0, at) + push(label) + src.slice(at);
  }
  src = src.replace(/\n\t\/\/ ([\w./-]+\.ts)\n/g, (m, name) => `\n\t${push(`${name} (top level)`)}${m}`);
  src = src.replace('(function() {', '(function() {\n\tvar __pm = window.__pm = [performance.now(), "(start)"];');
  if (!src.includes('window.__pm')) throw new Error(`${path}: not a names-kept build (no IIFE opening found)`);
  src = src.replace(/\}\)\(\);\s*$/, `${push('(end)')}\n})();\n`);
  return { src, missing };
}

const builds = [instrument(pathA), instrument(pathB)];
let n = 0;
const server = createServer((req, res) => {
  const which = new URL(req.url, 'http://x').searchParams.get('b') === '1' ? 1 : 0;
  const body = `<!doctype html><script>${builds[which].src.replace(/<\/script/gi, '<\\/script')}\n//# load ${++n}</script>`;
  res
    .writeHead(200, {
      'content-type': 'text/html',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    })
    .end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
});
const page = await browser.newPage();
const parts = [new Map(), new Map()];
const totals = [[], []];
for (let i = 0; i < loads; i++) {
  for (const which of i % 2 ? [1, 0] : [0, 1]) {
    await page.goto(`http://127.0.0.1:${server.address().port}/?b=${which}&i=${i}`);
    const pm = await page.evaluate(() => window.__pm);
    for (let j = 2; j < pm.length; j += 2) {
      const label = pm[j - 1];
      const list = parts[which].get(label) ?? [];
      list.push(pm[j] - pm[j - 2]);
      parts[which].set(label, list);
    }
    totals[which].push(pm[pm.length - 2] - pm[0]);
  }
}
await browser.close();
server.close();

/** Mean of the middle half: steadier than a median at 5 µs resolution. */
const iqm = (values) => {
  const a = [...values].sort((x, y) => x - y);
  const mid = a.slice(Math.floor(a.length / 4), Math.ceil((a.length * 3) / 4));
  return mid.reduce((s, v) => s + v, 0) / mid.length;
};
const labels = [...new Set([...parts[0].keys(), ...parts[1].keys()])];
console.log(`${loads} cold loads each, alternating; ms, interquartile mean (a | b)`);
for (const label of labels) {
  const a = parts[0].get(label);
  const b = parts[1].get(label);
  const fa = a ? iqm(a) : undefined;
  const fb = b ? iqm(b) : undefined;
  if ((fa ?? 0) < 0.005 && (fb ?? 0) < 0.005) continue;
  console.log(`${(fa?.toFixed(3) ?? '–').padStart(7)} ${(fb?.toFixed(3) ?? '–').padStart(7)}  ${label}`);
}
console.log(
  `${iqm(totals[0]).toFixed(3).padStart(7)} ${iqm(totals[1]).toFixed(3).padStart(7)}  whole evaluation after the parse`,
);
for (const [i, path] of [pathA, pathB].entries())
  if (builds[i].missing.length) console.log(`${path}: not found, not marked: ${builds[i].missing.join('; ')}`);
