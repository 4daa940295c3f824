// Bytes per fact on the wire: the facts a real page's runtime recorded (the bench workloads, in
// the recording page, read back from the test build's background), cut into batches of 500 as the
// runtime sends them, and written both ways — as plain JSON (the wire before the compact one) and
// as the compact wire (injected/batch-json.ts) — with the relay's runtime.Port message around
// each text, which Chrome serializes as JSON again (the text's quotes escaped).
//
//   node bench/wire-bytes.mjs [--dist DIR] [--src SRC]…
//
// DIR (default .tmp/dist-bench) is a build with the test build inside (`node bench/run.mjs`
// makes one there, or `PORTSCOPE_DIST=DIR node scripts/build.mjs`). Each --src is another
// checkout's encoder (`git archive <commit> injected protocol | tar -x -C SRC`), written beside
// this one's for the same facts: a before/after of the wire itself.
import { resolve } from 'node:path';
import { bundleForNode, loadFrom } from './bundle.mjs';
import { addPanelConnectionPage, launchBenchChromium } from './chromium.mjs';
import { openModePages } from './pages.mjs';
import { serveBench } from './server.mjs';

const distArg = process.argv.indexOf('--dist');
const dist = resolve(distArg > 0 ? process.argv[distArg + 1] : '.tmp/dist-bench');
const BATCH = 500;

const srcs = process.argv.flatMap((a, i) => (a === '--src' ? [resolve(process.argv[i + 1])] : []));
/** [label, encodeBatch] per encoder: this checkout's first. */
const encoders = [];
for (const [i, src] of [resolve('.'), ...srcs].entries()) {
  const out = resolve(`.tmp/wire-bytes-bundle-${i}`);
  await bundleForNode(out, { batch: resolve(src, 'injected/batch-json.ts') });
  encoders.push([i === 0 ? 'this checkout' : src.replace(/.*\//, ''), (await loadFrom(out)('batch')).encodeBatch]);
}

const WORKLOADS = [
  ['tiny messages', false, () => globalThis.benchWorkloads.channelThroughput('tiny', 2_000)],
  ['1 KB objects', false, () => globalThis.benchWorkloads.channelThroughput('1kb', 500)],
  ['worker round trips', false, () => globalThis.benchWorkloads.workerEcho(300, 0)],
  ['200-port fan-out', false, () => globalThis.benchWorkloads.fanOut(200, 1_000)],
  ['tiny messages, call sites captured', true, () => globalThis.benchWorkloads.channelThroughput('tiny', 2_000)],
];

const distChrome = resolve(dist, 'test/chrome');
await addPanelConnectionPage(distChrome);
const server = await serveBench({ dist });
const bench = await launchBenchChromium(distChrome);
const rows = [];
try {
  const pages = await openModePages(bench, server.origin);
  const tabId = pages.tabId('recording');
  for (const [name, stacks, workload] of WORKLOADS) {
    // The panel's own config message (protocol/messages.ts), on a connection of the panel page.
    await pages.panel.page.evaluate(
      ([tab, captureStacks]) => {
        const port = chrome.runtime.connect({ name: 'portscope-panel' });
        port.postMessage({ type: 'subscribe', tabId: tab });
        port.postMessage({ type: 'config', config: { captureStacks, inWorker: false } });
        setTimeout(() => port.disconnect(), 500);
      },
      [tabId, stacks],
    );
    await new Promise((ok) => setTimeout(ok, 700));
    const page = await pages.goto('recording', '/index.html');
    await bench.serviceWorker.evaluate(() => globalThis.portscopeDebug.clear());
    await page.evaluate(workload);
    await new Promise((ok) => setTimeout(ok, 1_500));
    const facts = await bench.serviceWorker.evaluate((tab) => globalThis.portscopeDebug.facts(tab), tabId);
    const sum = {
      facts: facts.length,
      plain: 0,
      plainMessage: 0,
      compact: encoders.map(() => 0),
      message: encoders.map(() => 0),
    };
    const message = (json, count) =>
      Buffer.byteLength(JSON.stringify({ type: 'json-batch', seq: 1, json: [{ json, count }] }), 'utf8');
    for (let i = 0; i < facts.length; i += BATCH) {
      const batch = facts.slice(i, i + BATCH);
      const plain = JSON.stringify(batch);
      sum.plain += plain.length;
      sum.plainMessage += message(plain, batch.length);
      encoders.forEach(([, encodeBatch], e) => {
        const compact = encodeBatch(batch).json;
        sum.compact[e] += compact.length;
        sum.message[e] += message(compact, batch.length);
      });
    }
    rows.push({ name, ...sum });
  }
} finally {
  await bench.close();
  await server.close();
}
const per = (x, n) => (x / Math.max(1, n)).toFixed(1);
const names = encoders.map(([label]) => label);
console.log(
  `| workload | facts | plain JSON, characters per fact | ${names.map((n) => `compact (${n}), characters per fact`).join(' | ')} | relay message, bytes per fact: plain → ${names.join(' → ')} |`,
);
console.log(`|---|---|---|${names.map(() => '---|').join('')}---|`);
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.facts.toLocaleString('en')} | ${per(r.plain, r.facts)} | ${r.compact.map((c) => `${per(c, r.facts)} (${((100 * c) / r.plain).toFixed(0)} %)`).join(' | ')} | ${per(r.plainMessage, r.facts)} → ${r.message.map((m) => `${per(m, r.facts)} (${((100 * m) / r.plainMessage).toFixed(0)} %)`).join(' → ')} |`,
  );
