// The runtime's own work per recorded tiny message on the page's thread, in Chromium's own V8 (a
// blank page of headless Chromium, no extension): the two facts a message makes (`port-posted`
// with a number's preview, `message-dispatched` completed after its handler), stamped and
// buffered by the emitter, taken in batches of 500 and encoded into the wire text as the
// MAIN-world runtime's sink does (injected/main.iife.ts); the post's fingerprint and preview of a
// number; and the four clock reads of a recorded message.
//
//   node bench/hot-path-chromium.mjs [--src DIR]... [--rounds N]
//
// --src bundles another checkout (`git archive <commit> injected protocol | tar -x -C DIR`); given
// several times (this checkout is `.`), their rounds are interleaved. Each round is the mean over
// a fixed number of messages after a warm-up; the median of N rounds and the fastest round.
// Printed, never asserted.
import { runComparison } from './chromium-ab.mjs';

/** Runs in the page: every implementation's rounds, interleaved; µs per message. */
function measure([names, rounds]) {
  const impls = names.map((name) => globalThis[name]);
  const EMPTY = Object.freeze([]);
  let sink = 0;
  const emitters = impls.map(
    (m) =>
      new m.Emitter(
        'c0ffee',
        {
          deliver(facts) {
            m.encodeBatches(facts, 64 * 1024 * 1024, (encoded, count) => {
              sink += encoded.json.length + count;
            });
          },
        },
        { flushMs: 1e9, batchSize: 500, maxBuffered: 20_000 },
      ),
  );
  const steps = [
    [
      'two facts emitted, taken and encoded (per message)',
      (m, calls, k) => {
        const e = emitters[k];
        for (let i = 0; i < calls; i++) {
          e.emitBuilt({
            kind: 'port-posted',
            ctx: 'c0ffee',
            port: 1,
            msg: i + 1,
            preview: { t: 'number', v: i },
            bytes: 8,
            fingerprint: '5c1e0f2a',
            transfer: EMPTY,
            outcome: 'sent',
            site: undefined,
            seq: 0,
            time: m.UNSTAMPED_TIME,
          });
          const d = e.emitBuilt({
            kind: 'message-dispatched',
            ctx: 'c0ffee',
            port: 2,
            fingerprint: undefined,
            preview: undefined,
            ports: EMPTY,
            handlers: 0,
            duration: 0,
            seq: 0,
            time: m.UNSTAMPED_TIME,
          });
          d.handlers++;
          d.duration += 0.1;
        }
      },
      20_000,
    ],
    [
      'fingerprint and describe of a number (per post)',
      (m, calls) => {
        for (let i = 0; i < calls; i++) {
          sink += m.fingerprint(i * 7).length;
          sink += m.describe(i * 7).bytes;
        }
      },
      20_000,
    ],
    [
      'the runtime clock read four times (per message)',
      (m, calls) => {
        for (let i = 0; i < calls; i++)
          sink += m.performanceNow() + m.performanceNow() + m.performanceNow() + m.performanceNow();
      },
      20_000,
    ],
  ];
  const out = globalThis.benchAB.rows(impls, rounds, steps);
  return { out, sink };
}

runComparison({
  modules: {
    'injected/emitter.ts': ['Emitter', 'UNSTAMPED_TIME'],
    'injected/batch-json.ts': ['encodeBatches'],
    'injected/preview.ts': ['describe', 'fingerprint'],
    'injected/natives.ts': ['performanceNow'],
  },
  measure,
  rounds: 21,
  unit: 'µs per message',
  digits: 3,
});
