// What a transfer list costs a page in Firefox ESR, native and with builds of the add-on really
// loaded (the test build of each: the same runtime, plus the background's debug hook that lets
// this script turn on "Record while DevTools is closed"). One Firefox per build and one with no
// add-on, the same page in each, rounds rotating their order, a fresh document each round:
//
//   post               port.postMessage({id, method, args}), no transfer list (the control)
//   post + buffer      port.postMessage(buffer, [buffer]) of a fresh 8-byte ArrayBuffer
//   post + port        port.postMessage(0, [port2]) of a fresh MessageChannel's port2 (the channel's
//                      creation is counted in every build alike)
//   post + 16 MB       port.postMessage(buffer, [buffer]) of a fresh 16 MiB ArrayBuffer
//
// The port's peer is in a dedicated worker that drops what comes (and closes the ports it gets).
// Firefox gives a client no page-thread CPU clock, so the page's thread is read from Linux: the
// CPU time (ns, /proc/<pid>/task/<pid>/schedstat) of the main thread of each of that Firefox's
// content processes around a part's loop and the drain that follows it (so a flush the runtime
// defers is counted), the busiest process being the page's; the wall clock of the loop alone
// (performance.now(), timer precision not reduced) is shown beside it. 3 repetitions after a
// warm-up, the round's figure their median; cells are the median over rounds of µs per post, with
// the min–max spread, and the median of the per-round difference to native. First with nobody
// watching (the runtime counts), then with recording on in every build (every message recorded).
//
//   npm run build && node bench/transfer-firefox.mjs <dist>… [--rounds=9] [--part=…] [--idle-only]
//   (one to three builds, named A, B, C in the output; `--part=a,b`: only the parts whose name contains one of them)
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { runnerImport } from 'vite';
import puppeteer from 'puppeteer-core';

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const idleOnly = args.includes('--idle-only');
const dists = args.filter((a) => !a.startsWith('--'));
const rounds = Number(option('rounds', '9'));
const only = option('part', '');
if (dists.length < 1 || dists.length > 3 || !(rounds > 0)) {
  console.error('usage: node bench/transfer-firefox.mjs <dist>… [--rounds=9] [--part=…] [--idle-only]');
  process.exit(2);
}
const { module: support } = await runnerImport(resolve(import.meta.dirname, '../tests/support/firefox.ts'), {
  configFile: false,
  logLevel: 'warn',
});
const { Rdp, RDP_PREFS } = support;

const worker = `onmessage = (e) => {
  if (e.data === 'hello') { postMessage('ready'); return; }
  const [port] = e.ports;
  port.onmessage = (m) => { for (const p of m.ports) p.close(); };
  postMessage('ready');
};`;
const page = `<!doctype html><meta charset="utf-8"><title>transfer bench</title><script>
globalThis.transferBench = {
  async setUp() {
    const w = new Worker('/worker.js');
    const channel = new MessageChannel();
    w.postMessage('serve', [channel.port2]);
    await new Promise((ok) => { w.onmessage = ok; });
    this.port = channel.port1;
    this.worker = w;
  },
  // The worker's queue is drained between repetitions, so no run pays for the one before.
  drain() {
    return new Promise((ok) => { this.worker.onmessage = ok; this.worker.postMessage('hello'); });
  },
  run(part, n) {
    const port = this.port;
    const t0 = performance.now();
    if (part === 'post') for (let i = 0; i < n; i++) port.postMessage({ id: i, method: 'add', args: [i, 1] });
    else if (part === 'post + buffer') for (let i = 0; i < n; i++) { const b = new ArrayBuffer(8); port.postMessage(b, [b]); }
    else if (part === 'post + port') for (let i = 0; i < n; i++) { const c = new MessageChannel(); port.postMessage(0, [c.port2]); }
    else if (part === 'post + 16 MB') for (let i = 0; i < n; i++) { const b = new ArrayBuffer(16 << 20); port.postMessage(b, [b]); }
    return (performance.now() - t0) * 1000 / n;
  },
};
</script>`;
const server = createServer((req, res) => {
  const js = req.url === '/worker.js';
  res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' });
  res.end(js ? worker : page);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const PARTS = [
  ['post', 5_000],
  ['post + buffer', 5_000],
  ['post + port', 2_000],
  ['post + 16 MB', 10],
].filter(([name]) => only.split(',').some((o) => name.includes(o)));

async function launch(dist) {
  const rdpPort = 6_000 + Math.floor(Math.random() * 3_000);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.PORTSCOPE_FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    args: ['--start-debugger-server', String(rdpPort)],
    extraPrefsFirefox: { ...RDP_PREFS, 'privacy.reduceTimerPrecision': false },
  });
  let background;
  let rdp;
  if (dist) {
    const addonId = await browser.installExtension(resolve(dist, 'test/firefox'));
    rdp = await Rdp.open(rdpPort);
    const consoleActor = await rdp.addonConsole(addonId);
    background = (text) => rdp.evaluate(consoleActor, text);
  }
  const tab = await browser.newPage();
  const pid = browser.process().pid;
  return {
    tab,
    /** CPU ns of the main thread of each process under this Firefox (content processes come from its fork server). */
    cpu() {
      const parent = new Map();
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
        } catch {
          // A process that ended meanwhile.
        }
      }
      const out = new Map();
      for (const id of parent.keys()) {
        let up = parent.get(id);
        while (up !== undefined && up !== pid) up = parent.get(up);
        if (up !== pid) continue;
        try {
          out.set(id, Number(readFileSync(`/proc/${id}/task/${id}/schedstat`, 'utf8').split(' ')[0]));
        } catch {
          // Ended meanwhile.
        }
      }
      return out;
    },
    async record(on) {
      if (!background) return;
      await background(`browser.storage.local.set({ 'portscope.recordWhileClosed': ${on} }).then(() => 'ok')`);
      for (const end = Date.now() + 10_000; ; ) {
        if ((await background('String(globalThis.portscopeDebug.recordWhileClosed())')) === String(on)) return;
        if (Date.now() > end) throw new Error(`${dist}: the background did not apply recordWhileClosed=${on}`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
    },
    close: async () => {
      rdp?.close();
      await browser.close().catch(() => {});
    },
  };
}

const median = (a) => {
  const s = a.slice().sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

const LABELS = ['A', 'B', 'C'];
const browsers = { native: undefined };
try {
  browsers.native = await launch(undefined);
  for (let i = 0; i < dists.length; i++) browsers[LABELS[i]] = await launch(dists[i]);
  const names = Object.keys(browsers);
  const version = await browsers.native.tab.browser().version();
  const modes = idleOnly ? ['idle'] : ['idle', 'recording'];
  for (const mode of modes) {
    for (const name of names) await browsers[name].record(mode === 'recording');
    const fresh = () => Object.fromEntries(names.map((n) => [n, Object.fromEntries(PARTS.map(([p]) => [p, []]))]));
    const out = { wall: fresh(), cpu: fresh() };
    for (let r = 0; r < rounds; r++) {
      const order = names.slice(r % names.length).concat(names.slice(0, r % names.length));
      for (const name of order) {
        const { tab, cpu } = browsers[name];
        await tab.goto(`${origin}/?${name}&${mode}&${r}`);
        await tab.evaluate(() => globalThis.transferBench.setUp());
        for (const [part, n] of PARTS) {
          await tab.evaluate((p, k) => globalThis.transferBench.run(p, k), part, Math.max(1, n >> 3));
          await tab.evaluate(() => globalThis.transferBench.drain());
          const wall = [];
          const busy = [];
          for (let k = 0; k < 3; k++) {
            const before = cpu();
            wall.push(await tab.evaluate((p, k) => globalThis.transferBench.run(p, k), part, n));
            await tab.evaluate(() => globalThis.transferBench.drain());
            let most = 0;
            for (const [id, ns] of cpu()) most = Math.max(most, ns - (before.get(id) ?? ns));
            busy.push(most / 1000 / n);
          }
          out.wall[name][part].push(median(wall));
          out.cpu[name][part].push(median(busy));
        }
      }
    }
    console.log(
      `Firefox ${version}, ${mode === 'idle' ? 'nobody watching (the builds count)' : 'recording while DevTools is closed (the builds record)'}; ${rounds} rounds; µs per post: median (min–max) over rounds; Δ: median of the per-round difference to native`,
    );
    console.log(
      `  ${names
        .slice(1)
        .map((n, i) => `${n} = ${dists[i]}`)
        .join(', ')}`,
    );
    for (const clock of ['cpu', 'wall']) {
      console.log(clock === 'cpu' ? '  page thread CPU (loop + drain):' : '  wall clock (loop alone):');
      for (const [part, n] of PARTS) {
        const cells = names.map((name) => {
          const a = out[clock][name][part];
          const cell = `${name} ${f(median(a))} (${f(Math.min(...a))}–${f(Math.max(...a))})`;
          if (name === 'native') return cell;
          return `${cell} Δ ${f(median(a.map((x, i) => x - out[clock].native[part][i])))}`;
        });
        console.log(`    ${part.padEnd(13)} ×${String(n).padEnd(5)} ${cells.join('   ')}`);
      }
      for (let j = 2; j < names.length; j++) {
        const diff = (part) => {
          const a = out[clock][names[j - 1]][part];
          const d = out[clock][names[j]][part].map((x, i) => x - a[i]);
          return `${part} ${f(median(d))} (${f(Math.min(...d))}–${f(Math.max(...d))})`;
        };
        console.log(
          `    per-round ${names[j]} − ${names[j - 1]}, median (min–max) µs: ${PARTS.map(([p]) => diff(p)).join('; ')}`,
        );
      }
    }
  }
} finally {
  for (const b of Object.values(browsers)) await b?.close();
  server.close();
}
