// Cold evaluation of two builds of the extension's MAIN-world script, alternating in one browser
// (issue 16): on a loaded machine two separate bench runs differ by more than a small startup
// change, while loads alternating in one browser see the same load.
//
//   node bench/ab-eval.mjs <a.js> <b.js> [rounds=40]
//
// e.g. a.js from `git stash; npm run build; cp dist/chrome/injected/main.iife.js /tmp/a.js`.
// Each load inlines the script with a unique comment (V8's compilation cache never helps), between
// two performance.now() readings, as bench/server.mjs's eval.html does. Also times the isTrusted
// read per event both ways (injected/natives.ts eventIsTrusted).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
const [pathA, pathB, rounds = '40'] = process.argv.slice(2);
if (!pathA || !pathB || !(Number(rounds) > 0)) {
  console.error('usage: node bench/ab-eval.mjs <a.js> <b.js> [rounds]');
  process.exit(2);
}
const src = { before: readFileSync(pathA, 'utf8'), after: readFileSync(pathB, 'utf8') };
let n = 0;
const server = createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  const v = u.searchParams.get('v');
  if (!src[v]) return res.writeHead(404).end();
  const body = `<!doctype html><meta charset="utf-8"><script>window.__s = performance.now();</script><script>${src[v].replace(/<\/script/gi, '<\\/script')}\n//# load ${++n}</script><script>window.__ms = performance.now() - window.__s;</script>`;
  res
    .writeHead(200, {
      'content-type': 'text/html',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    })
    .end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
const page = await b.newPage();
const out = { before: [], after: [] };
const ROUNDS = Number(rounds);
for (let i = 0; i < ROUNDS; i++) {
  for (const v of i % 2 ? ['before', 'after'] : ['after', 'before']) {
    await page.goto(`${origin}/?v=${v}&i=${i}`);
    out[v].push(await page.evaluate(() => window.__ms));
  }
}
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * p)];
for (const v of ['before', 'after'])
  console.log(
    v === 'before' ? `a ${pathA}` : `b ${pathB}`,
    'median',
    med(out[v]).toFixed(2),
    'ms; p25',
    q(out[v], 0.25).toFixed(2),
    'p75',
    q(out[v], 0.75).toFixed(2),
    'n',
    out[v].length,
  );
// isTrusted: the descriptor read per event vs one cached getter, on a real trusted MessageEvent.
const t = await page.evaluate(async () => {
  const ev = await new Promise((r) => {
    const c = new MessageChannel();
    c.port2.onmessage = r;
    c.port1.postMessage(1);
  });
  const gopd = Reflect.getOwnPropertyDescriptor,
    apply = Reflect.apply;
  const viaDescriptor = (e) => {
    const d = gopd(e, 'isTrusted');
    return !!(d?.get && apply(d.get, e, []));
  };
  const cached = Function.prototype.call.bind(gopd(new MessageEvent(''), 'isTrusted').get);
  const viaCached = (e) => !!cached(e);
  const time = (f) => {
    let x = 0;
    const t0 = performance.now();
    for (let i = 0; i < 1e6; i++) if (f(ev)) x++;
    // Kept where the optimizer cannot prove it unused.
    globalThis.__sink = x;
    return ((performance.now() - t0) * 1000) / 1e6;
  };
  const r = { descriptor: [], cached: [] };
  for (let k = 0; k < 7; k++) {
    r.descriptor.push(time(viaDescriptor));
    r.cached.push(time(viaCached));
  }
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  return { descriptorNs: med(r.descriptor) * 1000, cachedNs: med(r.cached) * 1000 };
});
console.log('isTrusted per event (ns, median of 7 × 1e6):', t);
await b.close();
server.close();
