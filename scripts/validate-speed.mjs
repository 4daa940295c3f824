// How long the validator takes on what the background validates while streaming: 50,000 mixed
// facts (the sample trace's kinds, and posts and dispatches of a realistic message), in batches
// of 10,000 as partitionFacts sees them. Not a test: a measurement, to compare validators. With
// several protocol folders their rounds alternate, so a busy machine slows each alike.
//   node scripts/validate-speed.mjs [protocol-dir...]     (default: this checkout's protocol/)
// Node 20 cannot import TypeScript directly: Vite's module runner loads it.
import { runnerImport } from 'vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dirs = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : [resolve(root, 'protocol')];
const load = async (path) => (await runnerImport(path, { configFile: false, logLevel: 'warn' })).module;
const validators = [];
for (const dir of dirs) validators.push((await load(resolve(dir, 'validate.ts'))).partitionFacts);
const { describe: previewOf } = await load(resolve(root, 'injected/preview.ts'));

const sample = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/trace/two-frames.json'), 'utf8')).facts;
const message = {
  type: 'update',
  id: 42,
  payload: { items: [1, 2, 3, { a: 'x', b: null }], name: 'hello world', when: new Date(0), ok: true },
  tags: new Set(['a', 'b']),
};
const { preview } = previewOf(message);
const posted = {
  kind: 'port-posted',
  ctx: 'w-7f3a',
  port: 1,
  preview,
  bytes: 180,
  fingerprint: 'o4',
  transfer: [],
  outcome: 'sent',
};
const dispatched = { kind: 'message-dispatched', ctx: 'f-91c2', port: 1, ports: [], handlers: 1, duration: 0.05 };

const facts = [];
for (let i = 0; facts.length < 50_000; i++) {
  const seq = i + 1;
  facts.push({ ...sample[i % sample.length], seq, time: 1e12 + i });
  facts.push({ ...posted, seq, msg: seq, time: 1e12 + i });
  facts.push({ ...dispatched, seq, time: 1e12 + i });
}
facts.length = 50_000;
const batches = [];
for (let i = 0; i < facts.length; i += 10_000) batches.push(JSON.parse(JSON.stringify(facts.slice(i, i + 10_000))));

/** CPU time of one round (this process's, so other programs on the machine count less than in wall time). */
function round(partitionFacts) {
  const t0 = process.cpuUsage();
  let kept = 0;
  for (const b of batches) kept += partitionFacts(b, 'facts').facts.length;
  if (kept !== facts.length) throw new Error(`kept ${kept} of ${facts.length}`);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}
const rounds = 40;
const times = dirs.map(() => []);
for (let r = 0; r < rounds + 10; r++) {
  for (let v = 0; v < validators.length; v++) {
    const ms = round(validators[v]);
    if (r >= 10) times[v].push(ms);
  }
}
const ms = (x) => `${x.toFixed(1)} ms`;
for (let v = 0; v < dirs.length; v++) {
  const t = times[v].sort((a, b) => a - b);
  const median = t[rounds / 2];
  const spread = `median ${ms(median)}, min ${ms(t[0])}, max ${ms(t[rounds - 1])}`;
  console.log(`${dirs[v]}: 50,000 facts, ${rounds} rounds, CPU time: ${spread}`);
}
