/**
 * The background checks the facts the wire decoder built whole in place instead of into a second
 * copy (protocol/check.ts, owned; protocol/wire-decode.ts, WireBatch.owned). What must hold: the
 * owned check is the same check (same result, same errors), it returns the value itself; the
 * decoder calls a fact owned only when every object and array in it is its own, so whatever a
 * sender smuggled into a value carried as it is still goes no further; and a preview's budget
 * starts afresh for every tree now that one budget object serves them all.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeBatch } from '../../../injected/batch-json.ts';
import { checker } from '../../../protocol/check.ts';
import { fact } from '../../../protocol/fact-shapes.ts';
import { ProtocolError, show } from '../../../protocol/fault.ts';
import type { Fact, Preview } from '../../../protocol/facts.ts';
import { LIMITS, decodeFacts, validatePreview } from '../../../protocol/validate.ts';
import { wireFact, wireHeader } from '../../../protocol/wire-decode.ts';
import { mutated, ShapeArbitraries } from '../trace/shape-arbitrary.ts';

const copyCheck = checker<Fact>(fact);
const ownedCheck = checker<Fact>(fact, show, true);

const posted = (extra: Partial<Record<string, unknown>> = {}) =>
  ({
    kind: 'port-posted',
    ctx: 'a1b2c3d4e5f60718293a4b5c',
    port: 1,
    msg: 1,
    preview: { t: 'number', v: 7 },
    bytes: 8,
    fingerprint: '5f3a9c21',
    transfer: [],
    outcome: 'sent',
    seq: 1,
    time: 1765090000123.456,
    ...extra,
  }) as Fact;

/** The outcome of a check: the value, or the error's message. */
const outcome = (check: (x: unknown, where: string) => Fact, x: unknown) => {
  try {
    return { value: check(x, 'f') };
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { error: e.message };
  }
};

describe('the owned check', () => {
  it('returns the value itself, checked, where the copying check returns a copy', () => {
    const f = posted({ preview: { t: 'date', v: null } });
    const copy = copyCheck(structuredClone(f), 'f');
    const same = ownedCheck(f, 'f');
    expect(same).toBe(f);
    expect(copy).not.toBe(f);
    // A value the check changes (an invalid Date's time, null in JSON) is written back.
    expect((same.kind === 'port-posted' && same.preview) as Preview).toEqual({ t: 'date', v: Number.NaN });
    expect(same).toEqual(copy);
  });

  it('accepts and refuses exactly what the copying check does, with the same error', () => {
    const arb = new ShapeArbitraries();
    const anyFact = fc.oneof(
      arb.of(fact),
      arb.of(fact).chain((f) => mutated(JSON.parse(JSON.stringify(f))).map((m) => m.value)),
    );
    let refused = 0;
    fc.assert(
      fc.property(anyFact, (x) => {
        const want = outcome(copyCheck, JSON.parse(JSON.stringify(x)));
        const got = outcome(ownedCheck, JSON.parse(JSON.stringify(x)));
        expect(got.error).toBe(want.error);
        if (want.error) refused++;
      }),
      { numRuns: 400 },
    );
    expect(refused).toBeGreaterThan(20);
  });
});

describe('the wire decoder', () => {
  /** Fact 0 of a one-fact batch text whose record `edit` rewrites, and whether the decoder built it whole. */
  const decoded = (f: Fact, edit: (record: unknown[]) => unknown = (r) => r) => {
    const wire = JSON.parse(encodeBatch([f]).json) as unknown[];
    wire[3] = edit(wire[3] as unknown[]);
    const batch = wireHeader(wire, 'm');
    const x = wireFact(batch, 0, 'm');
    return { x, owned: batch.owned, text: JSON.stringify(wire) };
  };
  // The record's values: seq, time, ctx, port, msg, preview, bytes, fingerprint, transfer, outcome.
  const PREVIEW = 6;
  const TRANSFER = 9;

  it('calls a fact owned when it built every object and array of it', () => {
    expect(decoded(posted()).owned).toBe(true);
    expect(decoded(posted({ preview: { t: 'object', entries: [['a', { t: 'null' }]], keys: 1 } })).owned).toBe(true);
  });

  it('does not when the text carried a value as it is', () => {
    const cases: [string, Fact, ((r: unknown[]) => unknown)?][] = [
      ['a non-empty transfer list', posted({ transfer: [{ t: 'port', port: 3 }] })],
      ['a preview node that fits no short form', posted({ preview: { t: 'map', size: 0, entries: [] } })],
      ['a preview value that is no node', posted(), (r) => r.map((v, i) => (i === PREVIEW ? [6, 7] : v))],
      ['a field written {"v": value}', posted(), (r) => r.map((v, i) => (i === 4 ? { v: 2 } : v))],
      ['a fact written {"v": fact}', posted(), () => ({ v: posted() })],
    ];
    for (const [what, f, edit] of cases) expect(decoded(f, edit).owned, what).toBe(false);
  });

  it('lets nothing smuggled into a value carried as it is through', () => {
    const smuggled = [
      decoded(posted(), (r) => r.map((v, i) => (i === TRANSFER ? [{ t: 'port', port: 3, extra: 1 }] : v))),
      decoded(posted(), (r) => r.map((v, i) => (i === PREVIEW ? [6, { t: 'number', v: 1, extra: 1 }] : v))),
      decoded(posted(), (r) => r.map((v, i) => (i === PREVIEW ? { t: 'map', size: 0, entries: [], extra: 1 } : v))),
      decoded(posted(), () => ({ v: { ...posted(), extra: 1 } })),
    ];
    for (const { text } of smuggled) {
      const got = decodeFacts({ json: text, count: 1 }, 'm');
      expect(got.rejected, text).toBe(0);
      expect(JSON.stringify(got.facts), text).not.toContain('extra');
    }
  });

  it('gives an owned fact exactly as the copying check would', () => {
    const f = posted({ preview: { t: 'object', entries: [['a', { t: 'string', v: 'b', len: 1 }]], keys: 3 } });
    const { text } = decoded(f);
    expect(decodeFacts({ json: text, count: 1 }, 'm').facts).toEqual([copyCheck(f, 'f')]);
  });
});

describe("a preview's budget", () => {
  /** An array of `lists` arrays of LIMITS.previewList number nodes each. */
  const tree = (lists: number): Preview => ({
    t: 'array',
    len: lists,
    items: Array.from({ length: lists }, () => ({
      t: 'array',
      len: LIMITS.previewList,
      items: Array.from({ length: LIMITS.previewList }, (_, i) => ({ t: 'number', v: i })),
    })),
  });
  const nodes = (lists: number) => 1 + lists * (1 + LIMITS.previewList);
  const half = Math.floor(LIMITS.previewNodes / 2 / (1 + LIMITS.previewList)) + 1;
  const over = Math.ceil(LIMITS.previewNodes / (1 + LIMITS.previewList));

  it('starts afresh for every tree, after a refused one too', () => {
    // Two trees of more than half the bound each: they pass one after the other only if no budget carries over.
    expect(2 * nodes(half)).toBeGreaterThan(LIMITS.previewNodes);
    expect(nodes(half)).toBeLessThanOrEqual(LIMITS.previewNodes);
    expect(() => validatePreview(tree(half), 'p')).not.toThrow();
    expect(() => validatePreview(tree(half), 'p')).not.toThrow();
    expect(() => validatePreview(tree(over), 'p')).toThrow(`more than ${LIMITS.previewNodes} nodes`);
    expect(() => validatePreview(tree(half), 'p')).not.toThrow();
  });
});
