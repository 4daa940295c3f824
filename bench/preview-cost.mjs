// The preview's own cost per message, in Node (V8, as in Chromium): describe() and fingerprint()
// of injected/preview.ts on the sender's side, for the throughput workload's 1 KB record, a
// number, and a larger nested message, with the default bounds and with "capture full data".
//
//   node bench/preview-cost.mjs [--src DIR]... [--rounds N]
//
// --src bundles the preview from another checkout of the repository (e.g. one made with
// `git archive <commit> injected protocol | tar -x -C DIR`); given several times (this checkout
// is `.`), their rounds are interleaved, so a loaded machine slows them alike. A checkout without
// PREVIEW_FULL is measured with its own bounds only. Median of N rounds, each the mean over a
// fixed number of calls after a warm-up, in CPU time of this process (process.cpuUsage: a loaded
// machine stretches it far less than wall time); the `fingerprint` rows time fingerprint() alone.
// Figures are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode, loadFrom, parseSourceArgs } from './bundle.mjs';
import { record } from './fact-batches.mjs';

const CASES = [
  ['1 KB record', record],
  ['number', (i) => i],
  [
    'RPC reply with 50 records (~50 KB)',
    (i) => ({ id: i, result: { rows: Array.from({ length: 50 }, (_, j) => record(j)) } }),
  ],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** CPU time of this process, in ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function load(src, i) {
  const out = mkdtempSync(join(tmpdir(), `portscope-preview-cost-${i}-`));
  await bundleForNode(out, { preview: join(src, 'injected/preview.ts'), facts: join(src, 'protocol/facts.ts') });
  const { describe, fingerprint } = await loadFrom(out)('preview');
  const { PREVIEW_FULL } = await loadFrom(out)('facts');
  return { src, out, describe, fingerprint, full: PREVIEW_FULL };
}

async function main() {
  const opts = parseSourceArgs(process.argv.slice(2), 15);
  const impls = [];
  try {
    for (const [i, src] of opts.srcs.entries()) impls.push(await load(src, i));
    console.log(
      `median of ${opts.rounds} interleaved rounds; CPU µs per message (describe + fingerprint; fingerprint alone)\n`,
    );
    console.log(`| Message | Bounds | ${impls.map((m) => m.src).join(' | ')} | preview JSON chars |`);
    console.log(`|---|---|${impls.map(() => '---|').join('')}---|`);
    for (const [name, make] of CASES) {
      const values = Array.from({ length: 256 }, (_, i) => make(i));
      for (const mode of ['default', 'full', 'fingerprint']) {
        const calls = name.startsWith('RPC') ? (mode === 'full' ? 300 : 5_000) : 40_000;
        const runs = impls.map((m) => {
          if (mode === 'full' && !m.full) return null;
          if (mode === 'fingerprint') return (v) => ({ preview: m.fingerprint(v) });
          const bounds = mode === 'full' ? m.full : undefined;
          return (v) => {
            const d = bounds ? m.describe(v, undefined, false, undefined, bounds) : m.describe(v);
            m.fingerprint(v);
            return d;
          };
        });
        if (runs.every((r) => r === null)) continue;
        for (const once of runs) if (once) for (let i = 0; i < calls; i++) once(values[i & 255]);
        const rounds = runs.map(() => []);
        for (let r = 0; r < opts.rounds; r++)
          for (const [k, once] of runs.entries()) {
            if (!once) continue;
            const t0 = cpuMs();
            for (let i = 0; i < calls; i++) once(values[i & 255]);
            rounds[k].push(((cpuMs() - t0) * 1000) / calls);
          }
        const chars = runs.map((once) => (once ? JSON.stringify(once(values[7]).preview).length : null));
        const cells = rounds.map((xs) => (xs.length ? median(xs).toFixed(2) : '—'));
        console.log(
          `| ${name} | ${mode} | ${cells.join(' | ')} | ${chars.map((c) => (c === null ? '—' : c.toLocaleString('en'))).join(' / ')} |`,
        );
      }
    }
  } finally {
    for (const m of impls) rmSync(m.out, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
