// What the runtime does per RPC call on the page's thread, in Chromium's own V8 (a blank page of
// headless Chromium, no extension): the fingerprint of a request and of its reply posted in turn
// (their shapes differ), and the dispatch's work on a reply that came from elsewhere
// (fingerprint and describe of event.data: a value deserialized in this realm), for the 200-port
// fan-out's request and reply and for the throughput workload's 1 KB record echoed back.
//
//   node bench/rpc-preview-chromium.mjs [--src DIR]... [--rounds N]
//
// --src bundles another checkout (`git archive <commit> injected protocol | tar -x -C DIR`); given
// several times (this checkout is `.`), their rounds are interleaved. Each round is the mean over
// a fixed number of calls after a warm-up, timed with performance.now(); the median of N rounds and
// the fastest round. Figures are printed, never asserted.
import { runComparison } from './chromium-ab.mjs';

/** Runs in the page: every implementation's rounds, interleaved; µs per call, median and fastest. */
function measure([names, rounds]) {
  const requests = Array.from({ length: 256 }, (_, i) => ({ id: i, method: 'add', args: [i, 1] }));
  const replies = requests.map(({ id }) => structuredClone({ id, result: id + 1 }));
  const { record } = globalThis.benchWorkloads;
  const echoes = Array.from({ length: 256 }, (_, i) => structuredClone(record(i)));
  const impls = names.map((name) => globalThis[name]);
  let sink = 0;
  const steps = [
    [
      'post side: fingerprint of a request, then of its reply (per call)',
      (m, calls) => {
        for (let i = 0; i < calls; i++) {
          sink += m.fingerprint(requests[i & 255]).length;
          sink += m.fingerprint(replies[i & 255]).length;
        }
      },
      20_000,
    ],
    [
      "fan-out call: request's fingerprint; reply's fingerprint and describe (deserialized)",
      (m, calls) => {
        for (let i = 0; i < calls; i++) {
          sink += m.fingerprint(requests[i & 255]).length;
          const reply = replies[i & 255];
          sink += m.fingerprint(reply, true).length;
          sink += m.describe(reply, undefined, true).bytes;
        }
      },
      10_000,
    ],
    [
      '1 KB record received: fingerprint and describe (deserialized)',
      (m, calls) => {
        for (let i = 0; i < calls; i++) {
          const data = echoes[i & 255];
          sink += m.fingerprint(data, true).length;
          sink += m.describe(data, undefined, true).bytes;
        }
      },
      2_000,
    ],
  ];
  const out = globalThis.benchAB.rows(impls, rounds, steps);
  return { out, sink };
}

runComparison({
  modules: { 'injected/preview.ts': ['describe', 'fingerprint'] },
  measure,
  rounds: 21,
  unit: 'µs per call',
  digits: 3,
});
