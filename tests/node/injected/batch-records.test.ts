/**
 * The encoder writes `port-posted` and `message-dispatched` (the two facts of every recorded
 * message) with hand-written records (injected/batch-json.ts, `postedRecord`,
 * `dispatchedRecord`): the text must be exactly the one the layout-driven `record` writes, for
 * the facts the runtime builds and for any other values those fields may hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { encodeBatch } from '../../../injected/batch-json.ts';
import { wireFacts } from '../../../protocol/wire-decode.ts';

const BASE = 1_765_000_000_000.25;
const EMPTY = Object.freeze([]) as never[];

/** Both ways, compared: the text, and the per-kind counts. */
function same(facts: Fact[]): string {
  const fast = encodeBatch(facts);
  const generic = encodeBatch(facts, false);
  expect(fast.json).toBe(generic.json);
  expect({ ...fast.kinds }).toEqual({ ...generic.kinds });
  return fast.json;
}

/** As port.ts builds it (reportPost). */
const posted = (i: number, extra: Partial<Record<string, unknown>> = {}): Fact =>
  ({
    kind: 'port-posted',
    ctx: 'ctx-a',
    port: 1,
    msg: i,
    preview: { t: 'number', v: i },
    bytes: 8,
    fingerprint: 'a1b2c3d4',
    transfer: EMPTY,
    outcome: 'sent',
    site: undefined,
    seq: 2 * i - 1,
    time: BASE + i / 4096,
    ...extra,
  }) as unknown as Fact;

/** As observe.ts builds it (onMessage), completed by one handler. */
const dispatched = (i: number, extra: Partial<Record<string, unknown>> = {}): Fact =>
  ({
    kind: 'message-dispatched',
    ctx: 'ctx-a',
    port: 2,
    fingerprint: undefined,
    preview: undefined,
    ports: EMPTY,
    handlers: 1,
    duration: 0.013000000000000001,
    seq: 2 * i,
    time: BASE + (i + 0.5) / 4096,
    ...extra,
  }) as unknown as Fact;

describe('the hand-written records of a message', () => {
  it('write the text the layout writes for the facts of recorded messages, which decode to those facts', () => {
    const facts: Fact[] = [];
    for (let i = 1; i <= 40; i++) {
      facts.push(posted(i));
      facts.push(dispatched(i));
    }
    // A message whose post was not recorded here (both fields), one that threw, one posted with a
    // call site and a transfer list, a record preview, a cut string, another kind in between.
    facts.push(
      dispatched(41, {
        fingerprint: '9f00aa11',
        preview: {
          t: 'object',
          keys: 2,
          entries: [
            ['id', { t: 'number', v: 7 }],
            ['method', { t: 'string', v: 'add', len: 3 }],
          ],
        },
      }),
      dispatched(42, { threw: { name: 'TypeError', message: 'x is "not" a function' } }),
      posted(43, {
        site: { stack: ['at f (https://a.test/app.js:1:2)', 'at g (https://a.test/app.js:3:4)'] },
        transfer: [{ t: 'port', port: 9 }],
        outcome: 'doomed',
      }),
      posted(44, { preview: { t: 'string', v: 'lorem', len: 600, truncated: true }, bytes: 600 }),
      { kind: 'port-closed', ctx: 'ctx-a', port: 1, seq: 200, time: BASE + 1 } as Fact,
      posted(45, { ctx: 'ctx-b', outcome: 'closed' }),
    );
    const json = same(facts);
    // What the decoder reads is the facts themselves (absent fields left out).
    expect(wireFacts(json)).toEqual(JSON.parse(JSON.stringify(facts)));
  });

  it('write what the layout writes whatever the fields hold', () => {
    const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 0.5));
    const anything = fc.oneof(
      number,
      fc.string(),
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.constant(EMPTY),
      fc.constant([1, 'a']),
      fc.constant({ t: 'number', v: 3 }),
      fc.constant({ stack: ['at x'] }),
      fc.constant(() => 1),
      fc.constant(Symbol('s')),
    );
    const time = fc.oneof(
      fc.integer({ min: 0, max: 10_000 }).map((s) => BASE + s / 4096),
      fc.double({ noNaN: false }),
      anything,
    );
    const field = (likely: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 4, arbitrary: likely }, { weight: 1, arbitrary: anything });
    const preview = fc.oneof(
      fc.constant(undefined),
      fc.integer().map((v) => ({ t: 'number', v })),
      fc.constant({ t: 'object', keys: 1, entries: [['a', { t: 'boolean', v: true }]] }),
      fc.constant({ t: 'array', len: 3, items: [{ t: 'null' }, { t: 'undefined' }], truncated: true }),
      fc.constant({ t: 'string', v: '\u2028"\\', len: 3 }),
      anything,
    );
    const postedFact = fc.record({
      kind: fc.constant('port-posted'),
      seq: field(fc.nat()),
      time,
      ctx: field(fc.constantFrom('ctx-a', 'ctx-b', 'sent', '"q"')),
      port: field(fc.nat()),
      msg: field(fc.nat()),
      preview,
      bytes: field(fc.nat()),
      fingerprint: field(fc.string({ unit: fc.constantFrom(...'0123456789abcdef') })),
      transfer: field(fc.constantFrom(EMPTY, [{ t: 'arraybuffer', byteLength: 8 }])),
      outcome: field(fc.constantFrom('sent', 'closed', 'shipped', 'doomed')),
      site: fc.oneof(fc.constant(undefined), fc.constant({ stack: ['at a', 'at b'] }), anything),
    });
    const dispatchedFact = fc.record({
      kind: fc.constant('message-dispatched'),
      seq: field(fc.nat()),
      time,
      ctx: field(fc.constantFrom('ctx-a', 'ctx-b')),
      port: field(fc.nat()),
      fingerprint: fc.oneof(
        fc.constant(undefined),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef') }),
        anything,
      ),
      preview,
      ports: field(fc.constantFrom(EMPTY, [3, 4])),
      handlers: field(fc.nat()),
      duration: field(fc.double({ min: 0, max: 100, noNaN: true })),
      threw: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant({ name: 'Error', message: 'm' }) },
        { weight: 1, arbitrary: anything },
      ),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(postedFact, dispatchedFact), { minLength: 1, maxLength: 12 }), (facts) => {
        same(facts as unknown as Fact[]);
      }),
      { numRuns: 2_000 },
    );
  });
});
