/**
 * A fact the wire decoder built whole is checked by the position of each field in its record
 * (protocol/check.ts ownedVariantChecks, protocol/validate.ts), not by looking its kind and
 * every field up again by name. What must hold: the positions are the shape's fields, in the
 * shape's order, for every kind; a field made bad on the wire (each field of a kind, one at a
 * time) gives the error the copying check of its plain JSON gives, with its path; the other facts
 * of the text are kept; and through the router, a forged fact costs only itself and the tab log
 * counts exactly the facts kept.
 */
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../injected/batch-json.ts';
import { ownedVariantChecks, checker } from '../../../protocol/check.ts';
import { fact } from '../../../protocol/fact-shapes.ts';
import { FACT_KINDS, type Fact } from '../../../protocol/facts.ts';
import { ProtocolError } from '../../../protocol/fault.ts';
import { LIMITS, decodeFacts } from '../../../protocol/validate.ts';
import { wireFactFields } from '../../../protocol/wire-decode.ts';
import { relayAndPanel } from '../relay/stand-in-port.ts';

const copyCheck = checker<Fact>(fact);
const CTX = 'a1b2c3d4e5f60718293a4b5c';
const TIME = 1765090000123.5;

const posted = (seq: number, extra: Record<string, unknown> = {}): Fact =>
  ({
    kind: 'port-posted',
    seq,
    time: TIME + seq,
    ctx: CTX,
    port: 1,
    msg: seq,
    preview: { t: 'object', keys: 1, entries: [['a', { t: 'string', v: 'b', len: 1 }]] },
    bytes: 8,
    fingerprint: '5f3a9c21',
    transfer: [],
    outcome: 'sent',
    site: { stack: ['https://page.test/app.js:1:2'] },
    ...extra,
  }) as Fact;

/** An array node holding one `levels` deep. */
const deeper = (levels: number): unknown =>
  levels === 0 ? { t: 'null' } : { t: 'array', len: 1, items: [deeper(levels - 1)] };

/** The copying check's error for `f` as plain JSON at `where[index]`, or null. */
function plainError(f: unknown, where: string, index: number): string | null {
  try {
    copyCheck(JSON.parse(JSON.stringify(f)), where, index);
    return null;
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return e.message;
  }
}

describe('the check by position', () => {
  it("reads every kind's fields in the order the wire layout holds them", () => {
    const checks = ownedVariantChecks(fact.inner);
    const layout = wireFactFields();
    expect(layout.map(([kind]) => kind)).toEqual([...FACT_KINDS]);
    for (const [kind, fields] of layout) expect(checks.get(kind)?.keys, kind).toEqual(fields);
  });

  it('gives the copying check’s error, path included, for each field made bad on the wire, and keeps the other facts', () => {
    // Values the wire carries as they are (so the fact stays built whole) but the shape refuses.
    const bad: Record<string, unknown[]> = {
      seq: [0, -1, 1.5],
      ctx: [''],
      port: [0, 2 ** 60],
      msg: [-3],
      bytes: [-1, -0.5],
      fingerprint: ['x'.repeat(1_025)],
      outcome: ['teleported'],
      preview: [
        { t: 'nope' },
        { t: 'string', v: 'x'.repeat(LIMITS.previewString + 1), len: LIMITS.previewString + 1 },
        { t: 'object', keys: -1, entries: [] },
        deeper(LIMITS.previewDepth + 1),
      ],
      site: [{ stack: ['y'.repeat(LIMITS.string + 1)] }],
    };
    let tried = 0;
    for (const [field, values] of Object.entries(bad))
      for (const value of values) {
        const batch = [posted(1), posted(2, { [field]: value }), posted(3)];
        const want = plainError(batch[1], 'm', 1);
        if (want === null) continue;
        tried++;
        const got = decodeFacts({ json: encodeBatch(batch).json, count: 3 }, 'm');
        expect(got.firstError?.message, `${field}: ${JSON.stringify(value).slice(0, 60)}`).toBe(want);
        expect(got.rejected).toBe(1);
        expect(got.facts).toEqual([copyCheck(posted(1), 'f'), copyCheck(posted(3), 'f')]);
        // A panel refuses the chunk whole, with the same path.
        const whole = decodeFacts({ json: encodeBatch(batch).json, count: 3 }, 'm', true);
        expect(whole.facts).toEqual([]);
        expect(whole.firstError?.message).toBe(want);
      }
    // Every value above is one the shape refuses: none was left untried.
    expect(tried).toBe(16);
  });

  it('refuses a forged fact of a relay batch with its path; the other facts reach the panel and the tab log counts them', () => {
    const { router, relay, panel } = relayAndPanel('chrome-extension://abc/');
    const facts = [posted(1), posted(2), posted(3, { port: 0 }), posted(4)];
    relay.receive({ type: 'json-batch', seq: 1, json: [{ json: encodeBatch(facts).json, count: 4 }] });
    const status = router.tabStatus(1);
    expect(status).toMatchObject({ type: 'status', rejected: 1, buffered: 3, evicted: {} });
    expect(status && status.type === 'status' && status.lastError).toBe(
      'message.json[0][2].port: expected a positive integer, got 0',
    );
    const got = panel.of('facts').flatMap((m) => m.facts as Fact[]);
    expect(got).toEqual([posted(1), posted(2), posted(4)].map((f) => copyCheck(f, 'f')));
    expect(router.facts(1)).toEqual(got);
  });
});
