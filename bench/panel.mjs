// Panel benchmark: feeds the panel store (and through it the real model) 100,000 and
// 1,000,000 synthetic messages, then times the Messages filter. Prints one line per figure.
// "first" is the first run of a query right after ingest (what the first keystroke costs: the
// search text is built during ingest, see panel/searchText.ts); min and median are over 10
// more runs. On a busy machine, min is the figure to compare.
//   node --expose-gc bench/panel.mjs            (both sizes)
//   node --expose-gc bench/panel.mjs 100000     (one size)
// Node 20 cannot import TypeScript, so the modules are first bundled with Vite (SSR build)
// into .tmp/bench-panel/.
import { bundleForNode, loadFrom } from './bundle.mjs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, '.tmp/bench-panel');
await bundleForNode(out, {
  store: resolve(root, 'panel/store.ts'),
  model: resolve(root, 'panel/model/model.ts'),
  rows: resolve(root, 'panel/messageRows.ts'),
  query: resolve(root, 'panel/query.ts'),
  synthetic: resolve(root, 'tests/node/panel/syntheticFacts.ts'),
});
const load = loadFrom(out);
const { createPanelStore } = await load('store');
const { createModel } = await load('model');
const { messageRows } = await load('rows');
const { parseQuery } = await load('query');
const { syntheticFacts } = await load('synthetic');

const gc = globalThis.gc ?? (() => {});
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sizes = process.argv[2] ? [Number(process.argv[2])] : [100_000, 1_000_000];
if (!globalThis.gc) console.log('(run with --expose-gc for meaningful heap figures)');

for (const n of sizes) {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const store = createPanelStore({ createModel, flushEvery: 0, settleAfter: 0 });
  let ingestMs = 0;
  let facts = 0;
  for (const batch of syntheticFacts({ messages: n, batch: 1000 })) {
    const t = performance.now();
    store.getState().ingest(batch);
    ingestMs += performance.now() - t;
    facts += batch.length;
  }
  const settle = performance.now();
  store.getState().model.settle();
  store.getState().flush();
  ingestMs += performance.now() - settle;
  gc();
  const heap = process.memoryUsage().heapUsed - heapBefore;
  const model = store.getState().model;
  console.log(
    `${n.toLocaleString('en-US')} messages: ingest ${ingestMs.toFixed(0)} ms (${Math.round(facts / (ingestMs / 1000)).toLocaleString('en-US')} facts/s), ` +
      `records kept ${model.messages.length.toLocaleString('en-US')}, bodies evicted ${model.stats.evictedMessages.toLocaleString('en-US')}, records evicted ${model.stats.evictedRecords.toLocaleString('en-US')}, heap +${mb(heap)}`,
  );
  const sort = { key: 'time', dir: 'asc' };
  for (const q of [
    '',
    'milestone',
    'state:queued',
    'port:p1',
    '-pong',
    'context:child has:transfer',
    'milestone -state:delivered',
  ]) {
    const terms = parseQuery(q);
    const times = [];
    let rows = 0;
    for (let i = 0; i < 11; i++) {
      const t = performance.now();
      rows = messageRows(model, terms, sort).length;
      times.push(performance.now() - t);
    }
    console.log(
      `  filter ${JSON.stringify(q).padEnd(30)} over ${model.messages.length.toLocaleString('en-US')} records → ${rows.toLocaleString('en-US')} rows: first ${times[0].toFixed(1)} ms, min ${Math.min(...times.slice(1)).toFixed(1)} ms, median ${median(times.slice(1)).toFixed(1)} ms`,
    );
  }
  const t = performance.now();
  messageRows(model, [], { key: 'size', dir: 'desc' });
  console.log(`  sort by size (desc): ${(performance.now() - t).toFixed(1)} ms`);
}
