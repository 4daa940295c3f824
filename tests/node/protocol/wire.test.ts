/**
 * The compact wire (protocol/wire.ts): the layout the runtime encodes with is the one the shapes
 * give; any batch of facts read from the shapes comes back exactly as plain JSON would have
 * brought it (encode → decode → validate); a fact mutated one step is rejected with the same
 * error as the plain JSON would give; and a malformed wire text is refused with a precise error,
 * costing only the fact it concerns when it can.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeBatch, encoderLayout } from '../../../injected/batch-json.ts';
import { describe as describeValue } from '../../../injected/preview.ts';
import { fact } from '../../../protocol/fact-shapes.ts';
import { FACT_KINDS, type Fact } from '../../../protocol/facts.ts';
import { decodeFacts, partitionFacts } from '../../../protocol/validate.ts';
import { deriveWireLayout } from '../../../protocol/wire.ts';
import { mutated, ShapeArbitraries } from '../trace/shape-arbitrary.ts';

const arb = new ShapeArbitraries();
const facts = fc.array(arb.of(fact), { minLength: 1, maxLength: 12 }) as fc.Arbitrary<Fact[]>;

/** What the background gets from a batch: the wire decoded and validated. */
const overWire = (batch: unknown[]) => {
  const { json } = encodeBatch(batch as Fact[]);
  return decodeFacts({ json, count: batch.length }, 'm.json[0]');
};
/** What it would get from the plain JSON of the same batch (the oracle). */
const overJson = (batch: unknown[]) => partitionFacts(JSON.parse(JSON.stringify(batch)), 'm.json[0]');

describe('the wire layout', () => {
  it('is the one the shapes give, as the runtime reads it (node scripts/wire-layout.mjs writes it)', () => {
    expect(encoderLayout()).toEqual(deriveWireLayout());
  });
});

describe('encode → decode', () => {
  it('gives back every batch read from the shapes exactly as its plain JSON would', () => {
    let valid = 0;
    fc.assert(
      fc.property(facts, (batch) => {
        const got = overWire(batch);
        const want = overJson(batch);
        valid += want.facts.length;
        expect(got.rejected).toBe(want.rejected);
        expect(got.firstError?.message).toBe(want.firstError?.message);
        expect(got.facts).toEqual(want.facts);
      }),
      { numRuns: 300 },
    );
    // Most generated facts are valid (a few previews pass the depth bound): the identity is tested, not only the refusals.
    expect(valid).toBeGreaterThan(500);
  });

  it('rejects a fact mutated one step with the error its plain JSON gives, and keeps the others', () => {
    fc.assert(
      fc.property(
        facts.chain((batch) => fc.tuple(fc.constant(batch), fc.nat({ max: batch.length - 1 }))),
        fc.context(),
        ([batch, i], ctx) => {
          const m = fc.sample(mutated(JSON.parse(JSON.stringify(batch[i]))), { numRuns: 1, seed: batch.length })[0];
          const forged: unknown[] = [...batch];
          forged[i] = m.value;
          ctx.log(JSON.stringify(m.mutation));
          const got = overWire(forged);
          const want = overJson(forged);
          expect(got.rejected).toBe(want.rejected);
          expect(got.firstError?.message).toBe(want.firstError?.message);
          expect(got.facts).toEqual(want.facts);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('carries a batch of tiny-message facts in under a third of the plain JSON', () => {
    const batch: Fact[] = [];
    const t = 1765090000123.456;
    for (let i = 0; i < 250; i++) {
      batch.push({
        kind: 'port-posted',
        ctx: 'a1b2c3d4e5f60718293a4b5c',
        port: 1,
        msg: i + 1,
        preview: { t: 'number', v: i },
        bytes: 8,
        fingerprint: (i * 2654435761).toString(16).slice(0, 8),
        transfer: [],
        outcome: 'sent',
        seq: 2 * i + 1,
        time: t + i * 0.0125,
      });
      batch.push({
        kind: 'message-dispatched',
        ctx: 'a1b2c3d4e5f60718293a4b5c',
        port: 2,
        ports: [],
        handlers: 1,
        duration: 0.005,
        seq: 2 * i + 2,
        time: t + i * 0.0125 + 0.005,
      });
    }
    const wire = encodeBatch(batch).json.length;
    const plain = JSON.stringify(batch).length;
    expect(wire * 3).toBeLessThan(plain);
    expect(overWire(batch).facts).toEqual(batch);
  });
});

describe('previews on the wire', () => {
  /** bench/fixtures/workload.js's 1 KB record, and a comlink-like request. */
  const record = (i: number) => ({
    id: i,
    type: 'row',
    name: `item-${i}`,
    tags: ['alpha', 'beta', 'gamma'],
    values: [i, i + 1, i + 2, i + 3, i * 0.5, i * 0.25],
    body: 'lorem ipsum dolor sit amet '.repeat(24).slice(0, 600),
    owner: { id: i % 97, name: 'owner name', email: 'owner@example.test' },
    created: 1700000000000 + i,
    flags: { a: true, b: false, c: null, d: undefined },
  });
  const posted = (i: number, data: unknown): Fact =>
    ({
      kind: 'port-posted',
      ctx: 'a1b2c3d4e5f60718293a4b5c',
      port: 1,
      msg: i + 1,
      preview: describeValue(data).preview,
      bytes: 1000,
      fingerprint: '5f3a9c21',
      transfer: [],
      outcome: 'sent',
      seq: i + 1,
      time: 1765090000123.456 + i,
    }) as Fact;

  it('writes the nodes most messages are made of short, and gives them back exactly', () => {
    const batch = [
      ...Array.from({ length: 100 }, (_, i) => posted(i, record(i))),
      ...Array.from({ length: 100 }, (_, i) => posted(100 + i, { id: i, method: 'add', args: [i, 1] })),
    ];
    const { json } = encodeBatch(batch);
    expect(overWire(batch)).toEqual({ facts: batch, rejected: 0, firstError: undefined });
    // As their JSON (wire version 1) the previews kept the plain text's size: about 80 % of it.
    expect(json.length * 2.5).toBeLessThan(JSON.stringify(batch).length);
    expect(json).not.toContain('"t":"number"');
  });

  it('keeps a node whose fields fit no short form as it is, and a value that is no node', () => {
    const odd = [
      { t: 'number', v: 'NaN' },
      { t: 'string', v: 'abc', len: 9 },
      { t: 'object', entries: [['k'.repeat(3), { t: 'null' }, 900]], keys: 1 },
      { t: 'array', len: 1, items: [{ t: 'more', kind: 'object', size: 3 }], truncated: true },
      { t: 'map', size: 0, entries: [] },
    ];
    const batch = odd.map((preview, i) => ({ ...posted(i, 0), preview }) as Fact);
    expect(overWire(batch).facts).toEqual(batch);
    const notANode = { ...posted(9, 0), preview: 7 } as unknown as Fact;
    const got = overWire([notANode]);
    expect(got.firstError?.message).toBe(overJson([notANode]).firstError?.message);
  });

  it('refuses a malformed short form with the fact, the field and the place in the tree', () => {
    const text = (preview: unknown) => {
      const wire = JSON.parse(encodeBatch([posted(0, { a: 1 })]).json) as unknown[];
      const r = wire[3] as unknown[];
      // The record's values: seq, time, ctx, port, msg, preview, …
      r[6] = preview;
      return JSON.stringify(wire);
    };
    const cases: [unknown, string][] = [
      [[1, 1, 99, 5], "m.json[0][0].preview.entries[0][0]: string 99 is not in the batch's table"],
      [
        [1, 1, 0, [3, 2, [9]]],
        'm.json[0][0].preview.entries[0][1].items[0]: expected a preview node, its short form or [6, value], got an array',
      ],
      [[1, 1, 0], "m.json[0][0].preview: expected an object node's keys and [key, node] pairs, got 1 items after them"],
      [[3], "m.json[0][0].preview: expected an array node's length, got 0 items"],
      [[5, 4], 'm.json[0][0].preview: expected 3 items in a preview node of code 5, got 2'],
      // Decoded, then refused by the facts' validator with the path plain JSON would give.
      [[3, 'two', 1], 'm.json[0][0].preview.len: expected'],
    ];
    for (const [preview, error] of cases) {
      const got = decodeFacts({ json: text(preview), count: 1 }, 'm.json[0]');
      expect(got.rejected, error).toBe(1);
      expect(got.firstError?.message.startsWith(error), `${got.firstError?.message} ≠ ${error}`).toBe(true);
    }
  });
});

describe('a malformed wire text', () => {
  const good = JSON.parse(
    encodeBatch([
      { kind: 'port-closed', seq: 1, time: 1000, ctx: 'c', port: 1 },
      { kind: 'port-closed', seq: 2, time: 1001, ctx: 'c', port: 2 },
    ] as Fact[]).json,
  ) as unknown[];
  const decode = (text: unknown[] | string, count = 2) =>
    decodeFacts({ json: typeof text === 'string' ? text : JSON.stringify(text), count }, 'm.json[0]');
  const withRecord = (i: number, record: unknown) => good.map((x, at) => (at === i + 3 ? record : x));

  it('is refused whole, with what is wrong, when its header is bad', () => {
    const cases: [unknown[] | string, string][] = [
      ['[2,0,[],', 'm.json[0].json: expected JSON, got unparsable text'],
      [[1, ...good.slice(1)], 'm.json[0].json[0]: expected wire version 2, got 1'],
      [[2, 'x', ...good.slice(2)], 'm.json[0].json[1]: expected the batch\'s base time (a finite number), got "x"'],
      [[2, 0, {}, ...good.slice(3)], "m.json[0].json[2]: expected the batch's string table, got an object"],
      [[2, 0, ['c', 7], ...good.slice(3)], 'm.json[0].json[2][1]: expected a string of the table, got 7'],
      [good.slice(0, 4), 'm.json[0].json: expected 2 facts (its count), got 1'],
    ];
    for (const [text, error] of cases) {
      const got = decode(text);
      expect(got.facts, error).toEqual([]);
      expect(got.rejected, error).toBe(2);
      expect(got.firstError?.message).toBe(error);
    }
  });

  it('costs only the fact it concerns when one record is bad, naming the fact and the field', () => {
    const code = (good[3] as number[])[0];
    const cases: [unknown, string][] = [
      ['x', 'm.json[0][0]: expected a record [code, …values] or {"v": value}, got "x"'],
      [[-1], 'm.json[0][0]: expected a record [code, …values] or {"v": value}, got an array'],
      [[code, 1, 0, 9, 1], "m.json[0][0].ctx: string 9 is not in the batch's table (1 strings)"],
      [[code, 1, 0, 'c', 1], 'm.json[0][0].ctx: expected a string\'s index in the table, got "c"'],
      [[code, 1, 0, 0], "m.json[0][0]: the mask names more fields than the record's 3 values"],
      [[code, 1, 0, 0, 1, 1], 'm.json[0][0]: the record holds 5 values, its mask names 4'],
      // A record's code is mask × (the number of kinds) + kind: bit 5 set in the mask, past the 5 fields.
      [
        [code + 2 ** 5 * FACT_KINDS.length, 1, 0, 0, 1, 1],
        'm.json[0][0]: mask 47 names fields past the 5 this record has',
      ],
      [
        [code, 0, 'now', 0, 1],
        'm.json[0][0].time: expected the time\'s steps from the batch\'s base or {"v": value}, got "now"',
      ],
      // Decoded, then refused by the facts' validator as plain JSON would be.
      [[code, 1, 0, 0, { v: 'one' }], 'm.json[0][0].port: expected a positive integer, got "one"'],
      [{ v: { kind: 'port-teleported' } }, 'm.json[0][0].kind: expected one of context|context-destroyed|'],
    ];
    for (const [record, error] of cases) {
      const got = decode(withRecord(0, record));
      expect(got.rejected, error).toBe(1);
      expect(got.firstError?.message.startsWith(error), `${got.firstError?.message} ≠ ${error}`).toBe(true);
      expect(got.facts).toEqual([{ kind: 'port-closed', seq: 2, time: 1001, ctx: 'c', port: 2 }]);
    }
  });
});
