// What the background's tab log costs per fact it holds: the router (the test build's, for its
// status reader) fed relay batches of the runtime's wire texts until its log is past its default
// bounds, then the V8 heap after a full GC against the heap before, per fact held. Prints only.
//
//   node bench/tab-log-heap.mjs [--src DIR]… [--n N]
//
// Each --src is a checkout (a `git archive` of another commit, node_modules linked) whose
// extension/debug-hook.ts and injected/batch-json.ts are bundled (bench/bundle.mjs) and measured
// in a child process of their own (`node --expose-gc`), one per workload, so one heap never holds
// another's leftovers. Also the process's CPU time (process.cpuUsage, the collector's threads
// included) over the router's handling of each batch (not the encoding), per fact offered: the router's whole ingest, eviction included, no
// panel subscribed. Workloads: tiny (a `port-posted` of a number and its `message-dispatched`)
// and 1 KB (the same with a ~1 KB record as the preview), in relay batches of 500 facts.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { bundleForNode, loadFrom, root } from './bundle.mjs';

const args = process.argv.slice(2);
const child = args.includes('--child');
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const WORKLOADS = ['tiny', '1kb'];

if (!child) {
  const srcs = [];
  for (let i = 0; i < args.length; i++) if (args[i] === '--src') srcs.push(resolve(args[++i]));
  if (!srcs.length) srcs.push(root);
  const n = Number(arg('--n', 120_000));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n: expected a positive integer, got ${arg('--n')}`);
  console.log(
    `tab log heap, ${n.toLocaleString('en-US')} facts offered per workload, default bounds; node ${process.version}`,
  );
  console.log(
    'source | workload | facts held | evicted | heap held (MB) | bytes per fact held | CPU µs per fact offered',
  );
  for (const [i, src] of srcs.entries()) {
    const out = resolve(root, `.tmp/bench-tab-log-heap/${i}`);
    await bundleForNode(out, {
      router: resolve(src, 'extension/debug-hook.ts'),
      batch: resolve(src, 'injected/batch-json.ts'),
    });
    for (const workload of WORKLOADS) {
      const r = spawnSync(
        process.execPath,
        ['--expose-gc', import.meta.filename, '--child', '--out', out, '--workload', workload, '--n', String(n)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 },
      );
      if (r.status !== 0) {
        console.log(
          `${src} | ${workload} | failed: ${r.status ?? r.signal}\n${r.stderr.split('\n').slice(-10).join('\n')}`,
        );
        continue;
      }
      console.log(`${src} | ${workload} | ${r.stdout.trim()}`);
    }
  }
  process.exit(0);
}

const load = loadFrom(arg('--out'));
const n = Number(arg('--n'));
const workload = arg('--workload');
const { DebugRouter } = await load('router');
const { encodeBatch } = await load('batch');

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

const record = () => ({
  id: 12345,
  name: 'a record with a name',
  tags: ['alpha', 'beta', 'gamma'],
  nested: { a: 1, b: 2, c: 'three', d: [1, 2, 3, 4] },
  text: 'x'.repeat(600),
  more: Array.from({ length: 5 }, (_, i) => ({ k: i, v: `value ${i}` })),
});
// The preview the runtime makes of that record at its default bounds, written by hand once: the
// same shape every time, so every message costs the same.
const node = (v) =>
  typeof v === 'number'
    ? { t: 'number', v }
    : typeof v === 'string'
      ? { t: 'string', v, len: v.length }
      : Array.isArray(v)
        ? { t: 'array', len: v.length, items: v.map(node) }
        : { t: 'object', entries: Object.entries(v).map(([k, x]) => [k, node(x)]), keys: Object.keys(v).length };
const preview = workload === '1kb' ? node(record()) : { t: 'number', v: 7 };

let seq = 0;
const T0 = 1765090000000;
const posted = (i) => ({
  kind: 'port-posted',
  seq: ++seq,
  time: T0 + seq / 10,
  ctx: 'ctx-0123456789abcdef',
  port: 1,
  msg: i + 1,
  preview,
  bytes: 8,
  fingerprint: `f${i}`,
  transfer: [],
  outcome: 'sent',
});
const dispatched = (i) => ({
  kind: 'message-dispatched',
  seq: ++seq,
  time: T0 + seq / 10,
  ctx: 'ctx-0123456789abcdef',
  port: 2,
  fingerprint: `f${i}`,
  preview,
  ports: [],
  handlers: 1,
  duration: 0.01,
});

const router = new DebugRouter({
  extensionOrigin: 'chrome-extension://bench/',
  statusIntervalMs: 0,
  resync() {},
  persist() {},
});
let listener;
const relay = {
  name: 'portscope-content',
  sender: { tab: { id: 1 }, frameId: 0, url: 'https://a.test/' },
  postMessage() {},
  disconnect() {},
  onMessage: { addListener: (l) => (listener = l) },
  onDisconnect: { addListener() {} },
};
router.connectContent(relay);
listener({ type: 'hello', relay: 'r', session: null, url: 'https://a.test/', top: true, lastSeq: 0, firstRetained: 1 });
let batchSeq = 0;
const before = heap();
let cpuUs = 0;
for (let i = 0; i < n / 2; i += 250) {
  const facts = [];
  for (let j = i; j < i + 250; j++) facts.push(posted(j), dispatched(j));
  const { json } = encodeBatch(facts);
  const cpu = process.cpuUsage();
  listener({ type: 'json-batch', seq: ++batchSeq, json: [{ json, count: facts.length }] });
  const used = process.cpuUsage(cpu);
  cpuUs += used.user + used.system;
}
const after = heap();
const status = router.tabStatus(1);
const evicted = Object.values(status.evicted).reduce((a, b) => a + b, 0);
if (status.rejected) throw new Error(`rejected ${status.rejected}: ${status.lastError}`);
console.log(
  `${status.buffered} | ${evicted} | ${((after - before) / 2 ** 20).toFixed(1)} | ${Math.round((after - before) / status.buffered)} | ${(cpuUs / n).toFixed(2)}`,
);
