// Bounds benchmark: what a million queued messages and a million channels cost the model, the
// background's tab log, the panel's store and `portscope summary`, in time and memory. Each case
// runs in a child process of its own, so its peak resident memory (maxRSS) is its own.
//   node bench/bounds.mjs                      every case at 1,000,000
//   node bench/bounds.mjs --case model-queued  one case (model-queued, model-channels, model-contexts, tab-log,
//                                              panel-queued, panel-channels, cli-summary)
//   node bench/bounds.mjs --n 100000           another size
//   node bench/bounds.mjs --heap-mb 4096       another V8 old-space limit per case (default 1024;
//                                              cli-summary always gets 4096: it parses the file whole)
//   node bench/bounds.mjs --case model-queued --src .tmp/old --limit-s 120
//                                              the same case on other sources (a `git archive`
//                                              of an older commit's panel/ and protocol/),
//                                              stopping after 120 s of applying
// Node 20 cannot import TypeScript: the modules are bundled first with Vite (SSR build) into
// .tmp/bench-bounds/. cli-summary runs the built CLI (PORTSCOPE_DIST, default dist/).
import { bundleForNode, loadFrom } from './bundle.mjs';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, '.tmp/bench-bounds');
const CASES = [
  'model-queued',
  'model-channels',
  'model-contexts',
  'tab-log',
  'panel-queued',
  'panel-channels',
  'cli-summary',
];

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const n = Number(arg('--n', 1_000_000));
const only = arg('--case', null);
const child = args.includes('--child');
const src = resolve(arg('--src', root));
const limitMs = Number(arg('--limit-s', 0)) * 1000;
/** Each case's V8 old-space limit: finishing under it is the memory bound shown (cli-summary reads the whole file: more). */
const heapMb = Number(arg('--heap-mb', 1024));
if (!Number.isInteger(n) || n < 1) throw new Error(`--n: expected a positive integer, got ${arg('--n')}`);
if (only !== null && !CASES.includes(only))
  throw new Error(`--case: unknown case ${only} (known: ${CASES.join(', ')})`);

if (!child) {
  await bundle();
  const cases = only ? [only] : CASES;
  for (const c of cases) {
    const limit = c === 'cli-summary' ? Math.max(heapMb, 4096) : heapMb;
    const r = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        `--max-old-space-size=${limit}`,
        import.meta.filename,
        '--child',
        '--case',
        c,
        '--n',
        String(n),
        '--limit-s',
        String(limitMs / 1000),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 },
    );
    process.stdout.write(r.stdout);
    if (r.status !== 0)
      process.stdout.write(`${c}: exit ${r.status ?? r.signal}\n${r.stderr.split('\n').slice(-15).join('\n')}\n`);
  }
  process.exit(0);
}

async function bundle() {
  await bundleForNode(
    out,
    src === root
      ? {
          model: resolve(root, 'panel/model/model.ts'),
          store: resolve(root, 'panel/store.ts'),
          router: resolve(root, 'extension/debug-hook.ts'),
        }
      : { model: resolve(src, 'panel/model/model.ts') },
  );
}

const load = loadFrom(out);
const gc = globalThis.gc ?? (() => {});
const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;
const k = (x) => x.toLocaleString('en-US');
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const maxRss = () => process.resourceUsage().maxRSS * 1024;

// ── synthetic facts, as relays deliver them (one context, batches of 500) ──────────────────
let seq = 0;
let clock = 1_000;
const fact = (kind, body) => ({ kind, ctx: 'top', seq: ++seq, time: (clock += 0.01), ...body });
const context = () =>
  fact('context', {
    contextKind: 'window',
    url: 'https://a.test/',
    origin: 'https://a.test',
    framePath: 'top',
    observed: true,
    userAgent: 'bench',
  });
const preview = (v) => ({ t: 'string', v, len: v.length });
const posted = (port, i) =>
  fact('port-posted', {
    port,
    msg: i,
    preview: preview(`message ${i}`),
    bytes: 12,
    fingerprint: `f${i}`,
    transfer: [],
    outcome: 'sent',
  });
const dispatched = (port, i) =>
  fact('message-dispatched', {
    port,
    fingerprint: `f${i}`,
    preview: preview(`message ${i}`),
    ports: [],
    handlers: 1,
    duration: 0.01,
  });

/** 1,000,000 messages posted to a port never started, then (phase 2) its start and their dispatches. */
function* queuedBatches(phase) {
  const batch = 500;
  if (phase === 1) {
    yield [context(), fact('channel-created', { channel: 1, port1: 1, port2: 2 })];
    for (let i = 1; i <= n; i += batch)
      yield Array.from({ length: Math.min(batch, n - i + 1) }, (_, j) => posted(1, i + j));
  } else {
    yield [fact('port-enabled', { port: 2, how: 'start' })];
    for (let i = 1; i <= n; i += batch)
      yield Array.from({ length: Math.min(batch, n - i + 1) }, (_, j) => dispatched(2, i + j));
  }
}

/** 1,000,000 short-lived channels: created, started, one request, closed on one side, collected on the other. */
function* channelBatches() {
  yield [context()];
  const perBatch = 100; // 6 facts each
  let port = 0;
  for (let c = 1; c <= n; c += perBatch) {
    const facts = [];
    for (let j = 0; j < perBatch && c + j <= n; j++) {
      const a = ++port;
      const b = ++port;
      facts.push(
        fact('channel-created', { channel: c + j, port1: a, port2: b }),
        fact('port-enabled', { port: b, how: 'start' }),
        posted(a, 1),
        dispatched(b, 1),
        fact('port-closed', { port: a }),
        fact('port-collected', { port: b }),
      );
    }
    yield facts;
  }
}

/** n / 10 short-lived iframes: each announced, one channel used and finished, then destroyed (8 facts each). */
function* contextBatches() {
  const frames = Math.max(1, Math.floor(n / 10));
  const perBatch = 50;
  for (let f = 1; f <= frames; f += perBatch) {
    const facts = [];
    for (let j = 0; j < perBatch && f + j <= frames; j++) {
      const ctx = `frame${f + j}`;
      let own = 0;
      const at = (kind, body) => ({ kind, ctx, seq: ++own, time: (clock += 0.01), ...body });
      facts.push(
        at('context', {
          contextKind: 'iframe',
          url: 'https://a.test/frame',
          origin: 'https://a.test',
          framePath: `top.frames[${f + j}]`,
          parent: 'top',
          observed: true,
          userAgent: 'bench',
        }),
        at('channel-created', { channel: 1, port1: 1, port2: 2 }),
        at('port-enabled', { port: 2, how: 'start' }),
        at('port-posted', {
          port: 1,
          msg: 1,
          preview: preview('m'),
          bytes: 1,
          fingerprint: 'f',
          transfer: [],
          outcome: 'sent',
        }),
        at('message-dispatched', {
          port: 2,
          fingerprint: 'f',
          preview: preview('m'),
          ports: [],
          handlers: 1,
          duration: 0.01,
        }),
        at('port-closed', { port: 1 }),
        at('port-collected', { port: 2 }),
        at('context-destroyed', { reason: 'removed' }),
      );
    }
    yield facts;
  }
}

/** Feeds batches to `apply`, timing it alone; reports time per tenth, to show the cost stays flat. */
function feed(batches, apply, total) {
  let ms = 0;
  let facts = 0;
  const tenths = [];
  let tenthMs = 0;
  let nextTenth = total / 10;
  for (const b of batches) {
    if (limitMs > 0 && ms > limitMs) {
      tenths.push(`stopped at the ${limitMs / 1000} s limit after ${k(facts)} facts`);
      break;
    }
    const t = performance.now();
    apply(b);
    const d = performance.now() - t;
    ms += d;
    tenthMs += d;
    facts += b.length;
    if (facts >= nextTenth) {
      tenths.push(Math.round(tenthMs));
      tenthMs = 0;
      nextTenth += total / 10;
    }
  }
  return { ms, facts, tenths };
}

const line = (name, r, extra) =>
  console.log(
    `${name}: ${k(r.facts)} facts in ${(r.ms / 1000).toFixed(1)} s (${k(Math.round(r.facts / (r.ms / 1000)))} facts/s; ms per tenth: ${r.tenths.join(' ')}); ${extra}`,
  );

const base = heap();
switch (only) {
  case 'model-queued': {
    const { createModel } = await load('model');
    const model = createModel();
    const r1 = feed(queuedBatches(1), (b) => model.apply(b), n);
    const p = model.ports.get('p2');
    line(
      `model, ${k(n)} messages queued on a port never started`,
      r1,
      `kept records ${k(model.messages.length)}, queue ${k(p.queued)} (${k(p.evictedQueued ?? 0)} as evicted runs), heap +${mb(heap() - base)}`,
    );
    if (r1.facts < n) break; // stopped by --limit-s
    const r2 = feed(queuedBatches(2), (b) => model.apply(b), n);
    const s = model.summary();
    line(
      `model, then started: ${k(n)} dispatches`,
      r2,
      `delivered ${k(s.messages.delivered)}, queued ${k(s.messages.queued)}, kept records ${k(model.messages.length)}, unmatched ${JSON.stringify(model.stats.unmatched)}, heap +${mb(heap() - base)}, maxRSS ${mb(maxRss())}`,
    );
    break;
  }
  case 'model-channels': {
    const { createModel } = await load('model');
    const model = createModel();
    const r = feed(channelBatches(), (b) => model.apply(b), 6 * n);
    const s = model.summary();
    line(
      `model, ${k(n)} short-lived channels`,
      r,
      `channels kept ${k(model.channels.size)} of ${k(s.channels)}, evicted ${k(model.stats.evictedChannels)}, messages ${k(s.messages.posted)} posted / ${k(s.messages.delivered)} delivered, heap +${mb(heap() - base)}, maxRSS ${mb(maxRss())}`,
    );
    break;
  }
  case 'model-contexts': {
    const { createModel } = await load('model');
    const model = createModel();
    const frames = Math.max(1, Math.floor(n / 10));
    const r = feed(contextBatches(), (b) => model.apply(b), 8 * frames);
    const s = model.summary();
    line(
      `model, ${k(frames)} short-lived iframes`,
      r,
      `contexts kept ${k(model.contexts.size)}, evicted ${k(model.stats.evictedContexts ?? 0)}, channels kept ${k(model.channels.size)} of ${k(s.channels)}, heap +${mb(heap() - base)}, maxRSS ${mb(maxRss())}`,
    );
    break;
  }
  case 'tab-log': {
    // The background's router with the test build's status reader (extension/debug-hook.ts).
    const { DebugRouter: Router } = await load('router');
    const port = (name, sender) => ({
      name,
      sender,
      postMessage() {},
      disconnect() {},
      listeners: [],
      onMessage: {
        addListener(l) {
          port.last = l;
        },
      },
      onDisconnect: { addListener() {} },
    });
    const router = new Router({
      extensionOrigin: 'chrome-extension://bench/',
      statusIntervalMs: 0,
      resync() {},
      persist() {},
    });
    const relay = port('portscope-content', { tab: { id: 1 }, frameId: 0, url: 'https://a.test/' });
    router.connectContent(relay);
    const send = port.last;
    send({
      type: 'hello',
      relay: 'r1',
      session: null,
      url: 'https://a.test/',
      top: true,
      lastSeq: 0,
      firstRetained: 1,
    });
    // Every 50th message carries a preview at the runtime's bounds (200 strings of 120 characters).
    const big = { t: 'array', len: 200, items: Array.from({ length: 200 }, () => preview('x'.repeat(120))) };
    let batchSeq = 0;
    function* batches() {
      yield [context(), fact('channel-created', { channel: 1, port1: 1, port2: 2 })];
      for (let i = 1; i <= n; i += 500)
        yield Array.from({ length: Math.min(500, n - i + 1) }, (_, j) =>
          (i + j) % 50 === 0 ? { ...posted(1, i + j), preview: big } : posted(1, i + j),
        );
    }
    const r = feed(
      batches(),
      (facts) =>
        send({ type: 'json-batch', seq: ++batchSeq, json: [{ json: JSON.stringify(facts), count: facts.length }] }),
      n,
    );
    const status = router.tabStatus(1);
    const evicted = Object.values(status.evicted).reduce((a, b) => a + b, 0);
    line(
      `background tab log, ${k(n)} facts as json-batches of 500 (every 50th at the preview bounds)`,
      r,
      `buffered ${k(status.buffered)} facts, evicted ${k(evicted)}, heap +${mb(heap() - base)}, maxRSS ${mb(maxRss())}`,
    );
    break;
  }
  case 'panel-queued':
  case 'panel-channels': {
    const { createPanelStore } = await load('store');
    const { createModel } = await load('model');
    const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0 });
    const queued = only === 'panel-queued';
    const r = feed(queued ? queuedBatches(1) : channelBatches(), (b) => store.getState().ingest(b), queued ? n : 6 * n);
    store.getState().flush();
    const model = store.getState().model;
    line(
      `panel store, ${queued ? `${k(n)} messages queued on a port never started` : `${k(n)} short-lived channels`}`,
      r,
      `channels kept ${k(model.channels.size)}, records kept ${k(model.messages.length)}, fact log ${k(model.factLog().length)} (evicted ${k(model.stats.evictedFacts)}), heap +${mb(heap() - base)}, maxRSS ${mb(maxRss())}`,
    );
    break;
  }
  case 'cli-summary': {
    const dist = resolve(process.env.PORTSCOPE_DIST ?? resolve(root, 'dist'));
    const file = resolve(root, '.tmp/bench-bounds/queued-trace.json');
    mkdirSync(resolve(root, '.tmp/bench-bounds'), { recursive: true });
    const w = createWriteStream(file);
    const write = (s) => new Promise((ok) => (w.write(s) ? ok() : w.once('drain', ok)));
    const head = {
      format: 'portscope-trace',
      version: 1,
      meta: {
        browser: 'bench',
        url: 'https://a.test/',
        startedAt: new Date(0).toISOString(),
        portscopeVersion: 'bench',
        dropped: {},
        evicted: { messages: 0, facts: 0 },
      },
      contexts: [],
    };
    await write(`${JSON.stringify(head).slice(0, -1)},"facts":[\n`);
    let first = true;
    for (const b of queuedBatches(1)) {
      await write((first ? '' : ',\n') + b.map((f) => JSON.stringify(f)).join(',\n'));
      first = false;
    }
    await write('\n]}\n');
    await new Promise((ok) => w.end(ok));
    const size = statSync(file).size;
    const { main } = await import(pathToFileURL(resolve(dist, 'cli/main.mjs')).href);
    let text = '';
    const t = performance.now();
    const code = await main(['summary', file, '--json'], {
      out: (s) => (text += s),
      err: (s) => process.stderr.write(`${s}\n`),
    });
    const ms = performance.now() - t;
    const s = JSON.parse(text);
    console.log(
      `portscope summary --json of a ${mb(size)} trace (${k(n)} messages queued on a port never started): ${(ms / 1000).toFixed(1)} s, exit ${code}, posted ${k(s.messages.posted)}, queued ${k(s.messages.queued)}, maxRSS ${mb(maxRss())}`,
    );
    rmSync(file);
    break;
  }
}
