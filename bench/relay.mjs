// Relay throughput and lag: facts/s carried from a page to a panel connection, and the delay
// from emission in the page (fact.time) to arrival at the panel, p50/p95.
//
//   PORTSCOPE_DIST=<build folder> node bench/relay.mjs [--seconds N]
//
// Uses an existing build (npm run build, or PORTSCOPE_DIST=... npm run build). One headless
// Chromium with the extension; the "panel" is an extension page connected exactly as the panel
// connects (runtime.connect 'portscope-panel', subscribe with a cursor).
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addPanelConnectionPage } from './chromium.mjs';

class RelayBenchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RelayBenchError';
  }
}

const dist = resolve(process.env.PORTSCOPE_DIST ?? 'dist', 'test/chrome'); // the test build: it has the debug hook
if (!existsSync(join(dist, 'manifest.json')))
  throw new RelayBenchError(`${dist}/manifest.json is missing: build first (PORTSCOPE_DIST=... npm run build)`);
// The panel's reader beside the build (bench-panel/), from this checkout.
await addPanelConnectionPage(dist);
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 4;
if (!(SECONDS > 0))
  throw new RelayBenchError(`--seconds: expected a positive number, got ${process.argv[secondsArg + 1]}`);
const executablePath = [process.env.PORTSCOPE_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(
  (p) => p && existsSync(p),
);
if (!executablePath)
  throw new RelayBenchError('Chromium not found: apt-get install -y chromium or set PORTSCOPE_CHROMIUM');

const root = resolve('tests/fixtures/relay');
const server = createServer(async (req, res) => {
  try {
    const body = await readFile(
      join(root, new URL(req.url, 'http://x').pathname.replace(/^\/+/, '').replace(/\.\./g, '')),
    );
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const userDataDir = mkdtempSync(join(tmpdir(), 'portscope-relay-bench-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    `--disable-extensions-except=${dist}`,
    `--load-extension=${dist}`,
  ],
});
const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionId = new URL(sw.url()).host;

async function until(read, ok, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new RelayBenchError(`timed out: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(label, rate, seconds) {
  const page = await context.newPage();
  const url = `${origin}/plain.html?${label}`;
  await page.goto(url);
  const tabs = await until(
    () => sw.evaluate(() => globalThis.portscopeDebug.tabs()),
    (t) => t.some((x) => x.url === url),
  );
  const tabId = tabs.find((x) => x.url === url).tabId;
  const panel = await context.newPage();
  // The bench's panel connection page: it carries the panel's reader (bench/chromium.mjs).
  await panel.goto(`chrome-extension://${extensionId}/bench-panel/bench-panel.html`);
  await panel.evaluate((tab) => {
    const cursor = {};
    const r = (window.bench = {
      posted: 0,
      lags: [],
      first: 0,
      last: 0,
      dropped: {},
      runtimeDropped: 0,
      rejected: 0,
      lastError: '',
      refused: 0,
      firstRefused: '',
    });
    const port = chrome.runtime.connect({ name: 'portscope-panel' });
    port.onMessage.addListener((raw) => {
      // Decoded and checked as the panel does (a chunk comes as wire text); a refusal is counted.
      let m;
      try {
        m = globalThis.portscopeProtocol.receiveBackgroundToPanel(raw, 'background message');
      } catch (e) {
        r.refused++;
        r.firstRefused ||= String(e?.message ?? e);
        return;
      }
      if (m.type === 'status')
        Object.assign(r, { dropped: m.dropped, rejected: m.rejected, lastError: m.lastError ?? '' });
      if (m.type !== 'facts' || (cursor[m.source] ?? 0) >= m.seq) return;
      cursor[m.source] = m.seq;
      const now = performance.timeOrigin + performance.now();
      for (const f of m.facts) {
        if (f.kind === 'facts-dropped') r.runtimeDropped += f.counts['port-posted'] ?? 0;
        if (f.kind !== 'port-posted') continue;
        if (!r.first) r.first = now;
        r.last = now;
        r.posted++;
        r.lags.push(now - f.time);
      }
    });
    port.postMessage({ type: 'subscribe', tabId: tab, cursor });
  }, tabId);
  const total = rate === Infinity ? 100_000 : Math.round(rate * seconds);
  const started = Date.now();
  const emitted = await page.evaluate(
    ({ total, rate }) =>
      new Promise((done) => {
        const c = new MessageChannel();
        let sent = 0;
        if (rate === null) {
          for (; sent < total; sent++) c.port1.postMessage(sent);
          done(sent);
          return;
        }
        const t0 = performance.now();
        const tick = () => {
          const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
          for (; sent < due; sent++) c.port1.postMessage(sent);
          if (sent < total) setTimeout(tick, 5);
          else done(sent);
        };
        tick();
      }),
    { total, rate: rate === Infinity ? null : rate },
  );
  const r = await until(
    () =>
      panel.evaluate(() => ({
        posted: window.bench.posted,
        dropped: window.bench.dropped['port-posted'] ?? 0,
        runtimeDropped: window.bench.runtimeDropped,
      })),
    (x) => x.posted + x.dropped + x.runtimeDropped >= emitted,
    120_000,
  );
  const stats = await panel.evaluate(() => {
    const s = window.bench.lags.sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
    return {
      p50: q(0.5),
      p95: q(0.95),
      spanMs: window.bench.last - window.bench.first,
      rejected: window.bench.rejected,
      lastError: window.bench.lastError,
      refused: window.bench.refused,
      firstRefused: window.bench.firstRefused,
    };
  });
  const wall = Date.now() - started;
  await panel.close();
  await page.close();
  return {
    label,
    offeredPerSec: rate === Infinity ? 'burst' : rate,
    emitted,
    delivered: r.posted,
    relayDropped: r.dropped,
    runtimeDropped: r.runtimeDropped,
    deliveredPerSec: Math.round(r.posted / (Math.max(stats.spanMs, 1) / 1000)),
    lagP50Ms: +stats.p50.toFixed(1),
    lagP95Ms: +stats.p95.toFixed(1),
    rejected: stats.rejected,
    wallMs: wall,
    ...(stats.lastError ? { lastError: stats.lastError } : {}),
    // Messages the panel would have refused: any makes the run's figures suspect.
    refused: stats.refused,
    ...(stats.firstRefused ? { firstRefused: stats.firstRefused } : {}),
  };
}

const results = [];
try {
  for (const rate of [2_000, 10_000, 40_000]) results.push(await run(`rate-${rate}`, rate, SECONDS));
  results.push(await run('burst-100k', Infinity, 0));
} finally {
  await context.close().catch(() => {});
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.table(results);
if (results.some((r) => r.refused)) {
  console.error('bench/relay.mjs: the panel connection refused messages (see refused, firstRefused)');
  process.exitCode = 1;
}
console.log(JSON.stringify({ relay: results }));
