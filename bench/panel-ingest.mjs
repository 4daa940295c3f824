// The panel's own JavaScript per recorded message, without a browser: the store (panel/store.ts)
// and the model fed chunks of facts as the background sends them, publishing every 100 ms of
// facts as the panel does, for a page that posts tiny messages or ~1 KB records (the preview the
// runtime makes of bench/fixtures/workload.js's record at the default bounds: 9 keys, a 600-character
// string cut at 120). CPU time of this process (process.cpuUsage), best of R runs, so a loaded
// machine slows it less than wall time. The arrival of the messages and React are not in it
// (bench/real-panel-cost.mjs measures those in the real panel); the decoding and validation every
// arriving message goes through first (protocol/validate.ts, receiveBackgroundToPanel; before text
// chunks, validateBackgroundToPanel) is timed on its own, with the first --root's protocol/, for scale.
//
//   node bench/panel-ingest.mjs [--root DIR]… [--n N] [--runs R]
//
// Several --root (a checkout, e.g. .tmp/src-before from `git archive`) run in turn, for a paired
// before/after. Prints, never asserts.
import { resolve } from 'node:path';
import { runnerImport } from 'vite';

class BenchArgumentError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchArgumentError';
  }
}

function parseArgs(argv) {
  const opts = { roots: [], n: 20_000, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new BenchArgumentError(`${a}: a value is missing`);
      return argv[++i];
    };
    if (a === '--root') opts.roots.push(resolve(next()));
    else if (a === '--n' || a === '--runs') {
      const v = Number(next());
      if (!Number.isInteger(v) || v <= 0) throw new BenchArgumentError(`${a}: expected a positive integer`);
      opts[a.slice(2)] = v;
    } else throw new BenchArgumentError(`unknown argument ${JSON.stringify(a)} (known: --root DIR, --n N, --runs R)`);
  }
  if (!opts.roots.length) opts.roots.push(process.cwd());
  return opts;
}

const str = (v, cut = 120) => ({ t: 'string', v: v.slice(0, cut), len: v.length });
const num = (v) => ({ t: 'number', v });
/** The runtime's preview of workload.js's record(i) at the default bounds. */
const recordPreview = (i) => ({
  t: 'object',
  keys: 9,
  entries: [
    ['id', num(i)],
    ['type', str('row')],
    ['name', str(`item-${i}`)],
    ['tags', { t: 'array', len: 3, items: [str('alpha'), str('beta'), str('gamma')] }],
    ['values', { t: 'array', len: 6, items: [i, i + 1, i + 2, i + 3, i * 0.5, i * 0.25].map(num) }],
    ['body', str('lorem ipsum dolor sit amet '.repeat(24).slice(0, 600))],
    [
      'owner',
      {
        t: 'object',
        keys: 3,
        entries: [
          ['id', num(i % 97)],
          ['name', str('owner name')],
          ['email', str('owner@example.test')],
        ],
      },
    ],
    ['created', num(1700000000000 + i)],
    [
      'flags',
      {
        t: 'object',
        keys: 3,
        entries: [
          ['a', { t: 'boolean', v: true }],
          ['b', { t: 'boolean', v: false }],
          ['c', { t: 'null' }],
        ],
      },
    ],
  ],
});

/** A page that makes one channel and posts n messages port1 → port2, in chunks of 500 facts. */
function chunksFor(kind, n) {
  let seq = 0;
  let time = 1_700_000_000_000;
  const fact = (kind, body) => ({ kind, ctx: 'top', seq: ++seq, time: (time += 0.01), ...body });
  const facts = [
    fact('context', {
      contextKind: 'window',
      url: 'http://127.0.0.1/index.html',
      origin: 'http://127.0.0.1',
      framePath: 'top',
      observed: true,
      userAgent: 'bench',
    }),
    fact('channel-created', { channel: 1, port1: 1, port2: 2 }),
    fact('port-enabled', { port: 2, how: 'onmessage' }),
  ];
  for (let i = 0; i < n; i++) {
    const preview = kind === 'tiny' ? num(i) : recordPreview(i);
    const bytes = kind === 'tiny' ? 8 : 1000;
    facts.push(
      fact('port-posted', { port: 1, msg: i + 1, preview, bytes, fingerprint: `f${i}`, transfer: [], outcome: 'sent' }),
    );
    facts.push(
      fact('message-dispatched', { port: 2, fingerprint: `f${i}`, preview, ports: [], handlers: 1, duration: 0.01 }),
    );
  }
  const chunks = [];
  for (let i = 0; i < facts.length; i += 500) chunks.push(facts.slice(i, i + 500));
  return chunks;
}

async function loadStore(root) {
  const load = async (path) =>
    (await runnerImport(resolve(root, path), { configFile: false, logLevel: 'silent', root })).module;
  const { createPanelStore } = await load('panel/store.ts');
  const { createModel } = await load('panel/model/index.ts');
  return () => createPanelStore({ createModel, flushEvery: 0, settleAfter: 0 });
}

/**
 * CPU ms to read every chunk as the background sends it: a `facts-text` message (the texts made by
 * the runtime's encoder) through receiveBackgroundToPanel, or, in a checkout from before text
 * chunks, a `facts` message of objects through validateBackgroundToPanel.
 */
async function validation(root, chunks) {
  const load = async (path) =>
    (await runnerImport(resolve(root, path), { configFile: false, logLevel: 'silent', root })).module;
  const module = await load('protocol/validate.ts');
  const text = module.receiveBackgroundToPanel !== undefined;
  const { encodeBatch } = text ? await load('injected/batch-json.ts') : {};
  const messages = chunks.map((facts, i) => {
    const envelope = { tabId: 1, session: 's', source: 'r', seq: i + 1 };
    return text
      ? { type: 'facts-text', ...envelope, json: [{ json: encodeBatch(facts).json, count: facts.length }] }
      : { type: 'facts', ...envelope, facts };
  });
  const read = text ? module.receiveBackgroundToPanel : module.validateBackgroundToPanel;
  const start = process.cpuUsage();
  for (const m of messages) read(m, 'background message');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** CPU ms to ingest every chunk, publishing after every 4 chunks (the panel's 100 ms at ~20,000 facts/s). */
function run(makeStore, chunks) {
  const store = makeStore();
  const start = process.cpuUsage();
  let k = 0;
  for (const chunk of chunks) {
    store.getState().ingest(chunk);
    if (++k % 4 === 0) store.getState().flush();
  }
  store.getState().flush();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const opts = parseArgs(process.argv.slice(2));
const stores = [];
for (const root of opts.roots) stores.push({ root, make: await loadStore(root) });
console.log(
  `panel-ingest: ${opts.n.toLocaleString('en')} messages per run, best of ${opts.runs}, µs of CPU per message (every run)`,
);
for (const kind of ['tiny', '1kb']) {
  const chunks = chunksFor(kind, opts.n);
  const times = new Map(stores.map((s) => [s.root, []]));
  for (let r = 0; r < opts.runs; r++)
    for (const s of r % 2 ? [...stores].reverse() : stores) times.get(s.root).push(run(s.make, chunks));
  for (const s of stores) {
    const us = times.get(s.root).map((ms) => (ms * 1000) / opts.n);
    console.log(
      `  ${kind.padEnd(4)} ${s.root}: ${Math.min(...us).toFixed(2)} (${us.map((x) => x.toFixed(2)).join(' ')})`,
    );
  }
  const checks = [];
  for (let r = 0; r < opts.runs; r++) checks.push(((await validation(opts.roots[0], chunks)) * 1000) / opts.n);
  console.log(
    `  ${kind.padEnd(4)} reading the chunks as the panel does (protocol/ of ${opts.roots[0]}): ${Math.min(...checks).toFixed(2)} (${checks.map((x) => x.toFixed(2)).join(' ')})`,
  );
}
