// The preview walk and the batch encoder in Chromium's own V8 (the page's engine; Node's V8 is
// older and ranks some costs differently): describe() of injected/preview.ts for the throughput
// workload's 1 KB record, and encodeBatch() of injected/batch-json.ts for batches of 500 facts (a
// port-posted with that record's preview and a message-dispatched per message), in a blank page
// of headless Chromium with no extension.
//
//   node bench/preview-encode-chromium.mjs [--src DIR]... [--rounds N]
//
// --src bundles another checkout (`git archive <commit> injected protocol | tar -x -C DIR`); given
// several times (this checkout is `.`), their rounds are interleaved, so a loaded machine slows
// them alike. Each round is the mean over a fixed number of calls after a warm-up, timed with
// performance.now() (wall clock in the page: a loaded machine stretches it); the median of N rounds
// and the fastest round (the one least disturbed by other processes, for a loaded machine).
// Figures are printed, never asserted.
import { runComparison } from './chromium-ab.mjs';

/** Runs in the page: every implementation's rounds, interleaved; µs per message, median of each. */
function measure([names, rounds]) {
  const { record } = globalThis.benchWorkloads;
  const values = Array.from({ length: 256 }, (_, i) => record(i));
  const batch = (m) => {
    const facts = [];
    const t0 = 1765090000123.456;
    for (let i = 0; i < 250; i++) {
      const data = values[i];
      const time = t0 + i * 0.02;
      facts.push({
        kind: 'port-posted',
        ctx: 'a1b2c3d4e5f60718293a4b5c',
        port: 1,
        msg: i + 1,
        preview: m.describe(data).preview,
        bytes: 8,
        fingerprint: m.fingerprint(data),
        transfer: [],
        outcome: 'sent',
        seq: 2 * i,
        time,
      });
      facts.push({
        kind: 'message-dispatched',
        ctx: 'a1b2c3d4e5f60718293a4b5c',
        port: 2,
        ports: [],
        handlers: 1,
        duration: 0.005,
        seq: 2 * i + 1,
        time: time + 0.005,
      });
    }
    return facts;
  };
  const impls = names.map((name) => globalThis[name]);
  const batches = impls.map(batch);
  let sink = 0;
  const steps = [
    [
      'describe (1 KB record)',
      (m, calls) => {
        for (let i = 0; i < calls; i++) sink += m.describe(values[i & 255]).bytes;
      },
      2_000,
    ],
    [
      'encodeBatch (per message: 2 facts)',
      (m, calls, k) => {
        for (let i = 0; i < calls; i++) sink += m.encodeBatch(batches[k]).json.length;
      },
      20,
      250,
    ],
  ];
  const out = globalThis.benchAB.rows(impls, rounds, steps);
  out.push(['characters per message', batches.map((b, k) => impls[k].encodeBatch(b).json.length / 250)]);
  return { out, sink };
}

runComparison({
  modules: { 'injected/preview.ts': ['describe', 'fingerprint'], 'injected/batch-json.ts': ['encodeBatch'] },
  measure,
  rounds: 15,
  unit: 'µs per message',
  digits: 2,
});
