// What carrying a chunk's wire text from the extension's service worker to an extension page costs
// the browser, by the way the background sends chunks to a panel today (runtime.Port: Chrome
// serializes the message) and by a MessagePort the page hands the service worker (structured
// clone). The text is the runtime's encoding of bench/fact-batches.mjs's tiny facts, cut to the
// size of a relay batch's chunk (74,000 characters, ≈ 1,850 tiny facts); the page only counts
// what arrives. CPU time of the extension's renderer (the service worker and the page) and of the
// browser process, from /proc (10 ms ticks), per fact, in rounds alternating the two ways.
//
//   node bench/transport-cost.mjs [--dist DIR [--src SRC]] [--n MESSAGES] [--rounds R]
//
// DIR is a build (default .tmp/dist-bench; `PORTSCOPE_DIST=DIR node scripts/build.mjs`), SRC the
// checkout it was built from (its encoder and the panel connection page's validator; default this one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleForNode, loadFrom } from './bundle.mjs';
import { addPanelConnectionPage, launchBenchChromium } from './chromium.mjs';
import { batch } from './fact-batches.mjs';
import { cpuByRole, processes } from './process-cpu.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const dist = resolve(arg('--dist', '.tmp/dist-bench'));
const src = resolve(arg('--src', '.'));
const n = Number(arg('--n', 1000));
const rounds = Number(arg('--rounds', 3));
const CHARS = 74_000;
const FACTS_PER_CHUNK = 1_850;

const out = mkdtempSync(join(tmpdir(), 'portscope-transport-'));
await bundleForNode(out, { batch: join(src, 'injected/batch-json.ts'), preview: join(src, 'injected/preview.ts') });
const { encodeBatch } = await loadFrom(out)('batch');
const preview = await loadFrom(out)('preview');
const one = encodeBatch(batch(preview, 'tiny')).json;
const text = one.repeat(Math.ceil(CHARS / one.length)).slice(0, CHARS);
rmSync(out, { recursive: true, force: true });

const distChrome = join(dist, 'test/chrome');

/** CPU seconds of this browser's extension renderer and browser process. */
function cpu() {
  const byRole = cpuByRole(processes(distChrome));
  return { extension: byRole['extension renderer'] ?? 0, browser: byRole['browser process'] ?? 0 };
}

await addPanelConnectionPage(distChrome, src);
const bench = await launchBenchChromium(distChrome);
try {
  const page = await bench.context.newPage();
  await page.goto(`chrome-extension://${bench.extensionId}/bench-panel/bench-panel.html`);
  // The service worker keeps the two ends it is given; the background's own listener ignores a
  // panel connection that never subscribes.
  await bench.serviceWorker.evaluate(() => {
    chrome.runtime.onConnect.addListener((p) => {
      if (p.name === 'portscope-panel') globalThis.benchTransportPort = p;
    });
    self.addEventListener('message', (e) => {
      if (e.ports[0]) globalThis.benchMessagePort = e.ports[0];
    });
  });
  await page.evaluate(async () => {
    globalThis.benchArrived = 0;
    const count = (m) => {
      if (m.json[0].json.length > 0) globalThis.benchArrived++;
    };
    const port = chrome.runtime.connect({ name: 'portscope-panel' });
    port.onMessage.addListener(count);
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => count(e.data);
    (await navigator.serviceWorker.ready).active.postMessage('port', [channel.port2]);
    globalThis.benchTransportKeep = [port, channel];
  });
  await bench.serviceWorker.evaluate(async () => {
    for (let i = 0; i < 50 && !(globalThis.benchTransportPort && globalThis.benchMessagePort); i++)
      await new Promise((ok) => setTimeout(ok, 20));
    if (!globalThis.benchTransportPort || !globalThis.benchMessagePort) throw new Error('the two ends never arrived');
  });
  console.log(
    `${n} messages of ${CHARS.toLocaleString('en')} characters (≈ ${FACTS_PER_CHUNK.toLocaleString('en')} tiny facts) a round; ` +
      'CPU µs per fact: extension renderer | browser process\n',
  );
  for (let round = 0; round < rounds; round++)
    for (const way of round % 2 ? ['MessagePort', 'runtime.Port'] : ['runtime.Port', 'MessagePort']) {
      await page.evaluate(() => {
        globalThis.benchArrived = 0;
      });
      const before = cpu();
      await bench.serviceWorker.evaluate(
        ([way, text, n, count]) => {
          const m = { type: 'facts-text', tabId: 1, session: 's', source: 'r', seq: 1, json: [{ json: text, count }] };
          const to = way === 'runtime.Port' ? globalThis.benchTransportPort : globalThis.benchMessagePort;
          for (let i = 0; i < n; i++) to.postMessage(m);
        },
        [way, text, n, FACTS_PER_CHUNK],
      );
      await page.waitForFunction((n) => globalThis.benchArrived >= n, n, { timeout: 300_000 });
      const after = cpu();
      const per = (role) => (((after[role] - before[role]) * 1e6) / (n * FACTS_PER_CHUNK)).toFixed(3);
      console.log(`round ${round + 1}, ${way.padEnd(12)} ${per('extension')} | ${per('browser')}`);
    }
} finally {
  await bench.close();
}
