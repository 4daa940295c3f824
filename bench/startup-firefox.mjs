// The MAIN-world content script's cost in Firefox ESR, with the add-on really loaded (issue 16,
// startup). Firefox's own content-script path (its compiled-script cache included) is measured,
// not an inline copy: copies of the built add-on are loaded, one per Firefox, navigations
// alternating between them:
//   readable   the add-on as built (vite.config.ts: Firefox's MAIN-world script is not minified)
//   minified   the same, its MAIN-world script replaced by Chrome's minified one of the same build
//              (one nonce per `npm run build`, so it speaks the relay's handshake)
//   empty      the MAIN-world script replaced by nothing but the end mark below
// In every copy the relay's file ends by writing performance.now() into an attribute of the
// document element, and the MAIN-world file ends by writing it into another; the page's first
// script reads both. MAIN-world cost = end − relay's end (compile, run, and the relay's offer
// handler, which runs inside it); `empty` gives what is Firefox's own between two content scripts.
//
//   npm run build && node bench/startup-firefox.mjs [dist=dist] [rounds=15]
//
// Bench copies only (they write into the page's DOM); the browser tests never load them.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';

const [distArg = 'dist', roundsArg = '15'] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!(rounds > 0)) {
  console.error('usage: node bench/startup-firefox.mjs [dist] [rounds]');
  process.exit(2);
}
const dist = resolve(distArg);
const MAIN = 'injected/main.iife.js';
const RELAY = 'content/relay.iife.js';
const mark = (name) =>
  `\n;document.documentElement.setAttribute(${JSON.stringify(name)}, String(performance.now()));\n`;

const work = mkdtempSync(join(tmpdir(), 'ps-ff-startup-'));
function variant(name, main) {
  const dir = join(work, name);
  cpSync(join(dist, 'firefox'), dir, { recursive: true });
  appendFileSync(join(dir, RELAY), mark('data-ps-relay'));
  writeFileSync(join(dir, MAIN), (main ?? readFileSync(join(dir, MAIN), 'utf8')) + mark('data-ps-main'));
  return dir;
}
const variants = {
  readable: variant('readable'),
  minified: variant('minified', readFileSync(join(dist, 'chrome', MAIN), 'utf8')),
  empty: variant('empty', ''),
};

const page = `<!doctype html><meta charset="utf-8"><script>
  const e = document.documentElement;
  window.__r = { relay: +e.getAttribute('data-ps-relay'), main: +e.getAttribute('data-ps-main'), first: performance.now() };
</script>`;
const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browsers = {};
const out = {};
try {
  for (const [name, dir] of Object.entries(variants)) {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.PORTSCOPE_FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      // Microsecond readings; a throwaway profile.
      extraPrefsFirefox: { 'privacy.reduceTimerPrecision': false },
    });
    await browser.installExtension(dir);
    browsers[name] = { browser, page: await browser.newPage() };
    out[name] = [];
  }
  const names = Object.keys(variants);
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 ? names : names.slice().reverse()) {
      const { page: tab } = browsers[name];
      await tab.goto(`${origin}/?${name}&${i}`);
      const r = await tab.evaluate(() => window.__r);
      if (!(r.relay > 0 && r.main > 0))
        throw new Error(`${name}: a content script's mark is missing (${JSON.stringify(r)})`);
      out[name].push({ main: r.main - r.relay, first: r.first });
    }
  }
  const at = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];
  const show = (a) => `${at(a, 0.5).toFixed(2)} (${at(a, 0.25).toFixed(2)}–${at(a, 0.75).toFixed(2)})`;
  console.log(`Firefox ${await browsers.readable.browser.version()}, ${rounds} navigations each, median (p25–p75) ms`);
  for (const name of names) {
    const size = readFileSync(join(variants[name], MAIN)).length;
    console.log(
      `${name.padEnd(9)} MAIN-world script ${String(size).padStart(6)} bytes: relay's end → its end ${show(out[name].map((r) => r.main))}; first page script at ${show(out[name].map((r) => r.first))}`,
    );
  }
} finally {
  for (const { browser } of Object.values(browsers)) await browser.close().catch(() => {});
  server.close();
  rmSync(work, { recursive: true, force: true });
}
