// Model throughput: facts applied per second and heap at 1,000,000 messages.
// Run: node --expose-gc bench/model.mjs [messages]
// Loads the TypeScript model through Vite's module runner (Node 20 cannot run .ts itself).
import { runnerImport } from 'vite';

const total = Number(process.argv[2] ?? 1_000_000);
const { module } = await runnerImport('/panel/model/index.ts', {
  configFile: false,
  root: process.cwd(),
  logLevel: 'silent',
});
const { createModel } = module;

let time = 1000;
const seqs = new Map();
const fact = (ctx, kind, body) => ({
  kind,
  ctx,
  seq: (seqs.set(ctx, (seqs.get(ctx) ?? 0) + 1), seqs.get(ctx)),
  time: (time += 0.01),
  ...body,
});
const preview = (v) => ({ t: 'string', v, len: v.length });

// Optional second argument: factLogCap (the raw fact log dominates memory at its default of 1,000,000).
const factLogCap = process.argv[3] ? Number(process.argv[3]) : undefined;
const model = createModel(factLogCap ? { factLogCap } : {});
model.apply([
  fact('top', 'context', {
    contextKind: 'window',
    url: 'https://a.test/',
    origin: 'https://a.test',
    framePath: 'top',
    observed: true,
    userAgent: 'bench',
  }),
  fact('child', 'context', {
    contextKind: 'iframe',
    url: 'https://a.test/c.html',
    origin: 'https://a.test',
    framePath: 'top.frames[0]',
    observed: true,
    userAgent: 'bench',
  }),
  fact('top', 'channel-created', { channel: 1, port1: 1, port2: 2 }),
  fact('top', 'port-shipped', { port: 2, carrier: 'window', carrierId: 1, index: 0 }),
  fact('top', 'carrier-posted', {
    carrierId: 1,
    carrier: 'window',
    target: 'top.frames[0]',
    fingerprint: 'init',
    preview: preview('init'),
    bytes: 4,
    transfer: [{ t: 'port', port: 2 }],
  }),
  fact('child', 'port-received', {
    port: 1,
    carrier: 'window',
    sourcePath: 'top',
    fingerprint: 'init',
    index: 0,
    count: 1,
  }),
  fact('child', 'port-enabled', { port: 1, how: 'onmessage' }),
]);

// Batches as relays send them: 500 posts from top, and their 500 dispatches in the child,
// every other batch with the child's facts first (dispatch before post: the model must wait).
const batch = 500;
const applyTimes = [];
let facts = 0;
const started = performance.now();
for (let sent = 0; sent < total; sent += batch) {
  const posts = [];
  const dispatches = [];
  for (let i = 0; i < batch; i++) {
    const n = sent + i + 1;
    const data = `message ${n}`;
    posts.push(
      fact('top', 'port-posted', {
        port: 1,
        msg: n,
        preview: preview(data),
        bytes: data.length,
        fingerprint: `f${n}`,
        transfer: [],
        outcome: 'sent',
      }),
    );
    dispatches.push(
      fact('child', 'message-dispatched', {
        port: 1,
        fingerprint: `f${n}`,
        preview: preview(data),
        ports: [],
        handlers: 1,
        duration: 0.01,
      }),
    );
  }
  const t0 = performance.now();
  if ((sent / batch) % 2) {
    model.apply(dispatches);
    model.apply(posts);
  } else {
    model.apply(posts);
    model.apply(dispatches);
  }
  applyTimes.push(performance.now() - t0);
  facts += 2 * batch;
}
const elapsed = performance.now() - started;
const applyMs = applyTimes.reduce((a, b) => a + b, 0);
globalThis.gc?.();
const heap = process.memoryUsage().heapUsed;
const summary = model.summary();
console.log(
  JSON.stringify(
    {
      messages: total,
      factLogCap: factLogCap ?? 'default (1,000,000)',
      facts,
      applyMs: Math.round(applyMs),
      factsPerSecond: Math.round(facts / (applyMs / 1000)),
      wallMsIncludingFactGeneration: Math.round(elapsed),
      heapUsedMB: Math.round(heap / 1e6),
      gcExposed: typeof globalThis.gc === 'function',
      keptRecords: model.messages.length,
      stats: {
        evictedMessages: model.stats.evictedMessages,
        evictedRecords: model.stats.evictedRecords,
        evictedFacts: model.stats.evictedFacts,
        unmatched: model.stats.unmatched,
        waiting: model.stats.waiting,
      },
      summaryMessages: summary.messages,
    },
    null,
    1,
  ),
);
