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
import { batch } from './fact-batches.mjs';

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
