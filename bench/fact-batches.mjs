// Batches of facts shaped like the bench workloads' (tiny messages, 1 KB records, fan-out requests
// and their replies), with previews made by the runtime's own injected/preview.ts (`m.describe`,
// `m.fingerprint` of the checkout measured): for the Node benchmarks of the encoder and of the
// receiving sides (bench/encode-cost.mjs, bench/ingest-cost.mjs).

/** bench/fixtures/workload.js's 1 KB record. */
export const record = (i) => ({
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

export const CTX = 'a1b2c3d4e5f60718293a4b5c';
const T0 = 1765090000123.456;

/**
 * 500 facts: a port-posted and a message-dispatched per message, as the recording page emits
 * them; `from` numbers the facts and the messages (a later batch of the same context starts where
 * this one ended), `at` shifts their times.
 */
export function batch(m, kind, from = 0, at = 0) {
  const facts = [];
  let seq = 1000 + 2 * from;
  for (let j = 0; j < 250; j++) {
    const i = from + j;
    const data = kind === 'tiny' ? i : kind === '1kb' ? record(i) : { id: i, method: 'add', args: [i, 1] };
    const time = T0 + at + j * 0.02 + Math.random() * 0.01;
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
