// The batch encoder's cost per fact (injected/batch-json.ts, on the page's thread) and the
// background's decode + validation of the same text (protocol/validate.ts decodeFacts), in Node
// (V8, as in Chromium), for batches of 500 facts shaped like the bench workloads' (tiny messages,
// 1 KB records, fan-out requests and their replies), with previews made by injected/preview.ts.
//
//   node bench/encode-cost.mjs [--src DIR]... [--rounds N]
//
// --src bundles another checkout (`git archive <commit> injected protocol | tar -x -C DIR`);
// given several times (this checkout is `.`), their rounds are interleaved. CPU time of this
// process (process.cpuUsage), median of N rounds. Figures are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode, loadFrom, parseSourceArgs } from './bundle.mjs';

/** bench/fixtures/workload.js's 1 KB record. */
const record = (i) => ({
  id: i,
  type: 'row',
  name: `item-${i}`,
  tags: ['alpha', 'beta', 'gamma'],
  values: [i, i + 1, i + 2, i + 3, i * 0.5, i * 0.25],
  body: 'lorem ipsum dolor sit amet '.repeat(24).slice(0, 600),
  owner: { id: i % 97, name: 'owner name', email: 'owner@example.test' },
  created: 1700000000000 + i,
  flags: { a: true, b: false, c: null },
});

const CTX = 'a1b2c3d4e5f60718293a4b5c';
const T0 = 1765090000123.456;

/** 500 facts: a port-posted and a message-dispatched per message, as the recording page emits them. */
function batch(m, kind) {
  const facts = [];
  let seq = 1000;
  for (let i = 0; i < 250; i++) {
    const data = kind === 'tiny' ? i : kind === '1kb' ? record(i) : { id: i, method: 'add', args: [i, 1] };
    const time = T0 + i * 0.02 + Math.random() * 0.01;
    facts.push({
      kind: 'port-posted',
      ctx: CTX,
      port: 1,
      msg: i + 1,
      preview: m.describe(data).preview,
      bytes: 8,
      fingerprint: m.fingerprint(data),
      transfer: [],
      outcome: 'sent',
      seq: seq++,
      time,
    });
    // A reply from a worker is previewed on arrival; a message posted in this context is not.
    const reply = kind === 'fanout' ? { id: i, result: i + 1 } : undefined;
    facts.push({
      kind: 'message-dispatched',
      ctx: CTX,
      port: 2,
      fingerprint: reply ? m.fingerprint(reply) : undefined,
      preview: reply ? m.describe(reply).preview : undefined,
      ports: [],
      handlers: 1,
      duration: 0.005000000004656613,
      seq: seq++,
      time: time + 0.005,
    });
  }
  return facts;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function load(src, i) {
  const out = mkdtempSync(join(tmpdir(), `portscope-encode-cost-${i}-`));
  await bundleForNode(out, {
    batch: join(src, 'injected/batch-json.ts'),
    preview: join(src, 'injected/preview.ts'),
    validate: join(src, 'protocol/validate.ts'),
  });
  const load = loadFrom(out);
  const { encodeBatch } = await load('batch');
  const { describe, fingerprint } = await load('preview');
  const { decodeFacts } = await load('validate');
  return { src, out, encodeBatch, describe, fingerprint, decodeFacts };
}

async function main() {
  const opts = parseSourceArgs(process.argv.slice(2), 9);
  const impls = [];
  try {
    for (const [i, src] of opts.srcs.entries()) impls.push(await load(src, i));
    console.log(`CPU time per fact, µs, median of ${opts.rounds} interleaved rounds (batches of 500)\n`);
    console.log(`| Workload | Step | ${impls.map((m) => m.src).join(' | ')} |`);
    console.log(`|---|---|${impls.map(() => '---|').join('')}`);
    for (const kind of ['tiny', '1kb', 'fanout']) {
      const batches = impls.map((m) => batch(m, kind));
      const texts = impls.map((m, k) => m.encodeBatch(batches[k]).json);
      const steps = [
        ['encode (page)', (m, k) => m.encodeBatch(batches[k])],
        ['decode + validate (background)', (m, k) => m.decodeFacts({ json: texts[k], count: 500 }, 'm')],
      ];
      for (const [step, once] of steps) {
        const reps = kind === '1kb' ? 100 : 300;
        for (const [k, m] of impls.entries()) for (let r = 0; r < reps; r++) once(m, k);
        const rounds = impls.map(() => []);
        for (let r = 0; r < opts.rounds; r++)
          for (const [k, m] of impls.entries()) {
            const t0 = cpuUs();
            for (let i = 0; i < reps; i++) once(m, k);
            rounds[k].push((cpuUs() - t0) / (reps * 500));
          }
        console.log(`| ${kind} | ${step} | ${rounds.map((xs) => median(xs).toFixed(3)).join(' | ')} |`);
      }
      console.log(`| ${kind} | characters per fact | ${texts.map((t) => (t.length / 500).toFixed(1)).join(' | ')} |`);
    }
  } finally {
    for (const m of impls) rmSync(m.out, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
