// The validator's bounds follow what the runtime can make (injected/preview.ts, injected/site.ts):
// everything the runtime makes at its own bounds is accepted; a fact beyond them is rejected with
// the exact path and counted by whoever validates (relay, background, panel, trace import).
import { describe, expect, it } from 'vitest';
import { describe as describeValue } from '../../../injected/preview.ts';
import { LIMITS, ProtocolError, partitionFacts, validatePreview } from '../../../protocol/validate.ts';
import { PREVIEW_BOUNDS, type Preview } from '../../../protocol/facts.ts';

const K = PREVIEW_BOUNDS.keys;
const long = 'y'.repeat(100_000);
const longKey = 'k'.repeat(1_000);
const fill = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

function nestedObjects(depth: number): unknown {
  return depth === 0 ? long : Object.fromEntries(fill(K + 1, (i) => [`key${i}`, nestedObjects(depth - 1)]));
}
function nestedMaps(depth: number): unknown {
  return depth === 0 ? new String(long) : new Map(fill(K + 1, (i) => [`${longKey}${i}`, nestedMaps(depth - 1)]));
}
function holes(depth: number): unknown {
  return depth === 0 ? new Array(K + 1) : fill(K + 1, () => holes(depth - 1));
}
function getters(depth: number): unknown {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < K + 1; i++) {
    if (depth === 0) Object.defineProperty(o, `g${i}`, { get: () => 1, enumerable: true });
    else o[`o${i}`] = getters(depth - 1);
  }
  return o;
}

/** Worst cases for the runtime's preview: wide and deep, long strings and keys, holes, accessors, boxed values. */
const worst: [string, unknown][] = [
  ['nested objects of long strings', nestedObjects(PREVIEW_BOUNDS.depth + 1)],
  ['nested maps with long keys and boxed strings', nestedMaps(PREVIEW_BOUNDS.depth + 1)],
  ['nested arrays of holes', holes(PREVIEW_BOUNDS.depth + 1)],
  ['nested objects of accessors', getters(PREVIEW_BOUNDS.depth)],
  [
    'mixed',
    fill(K + 1, (i) =>
      i % 2 ? nestedMaps(2) : [holes(2), getters(2), new Number(i), new Error(long.slice(0, 500)), /x+/g, 10n ** 200n],
    ),
  ],
];

function nodes(p: Preview): number {
  return JSON.stringify(p).split('"t":').length - 1;
}

describe('validator bounds follow the runtime', () => {
  it('accepts every preview the runtime makes at its bounds', () => {
    for (const [what, value] of worst) {
      const { preview } = describeValue(value);
      expect(() => validatePreview(preview, what), what).not.toThrow();
      expect(nodes(preview), what).toBeLessThanOrEqual(LIMITS.previewNodes);
    }
  });

  it('rejects, with the exact path, a preview the runtime cannot make', () => {
    const errorOf = (p: unknown) => {
      try {
        validatePreview(p, 'p');
      } catch (e) {
        if (e instanceof ProtocolError) return e.message;
        throw e;
      }
      return 'accepted';
    };
    // Was accepted before: 65,536 characters per string value, 2,000 nodes per preview.
    const over = LIMITS.previewString + 1;
    expect(errorOf({ t: 'string', v: 'x'.repeat(over), len: over })).toBe(
      `p.v: expected a string of at most ${LIMITS.previewString} characters, got ${over}`,
    );
    const row = () => ({ t: 'array', len: LIMITS.previewList, items: fill(LIMITS.previewList, () => ({ t: 'null' })) });
    const rows = Math.ceil(LIMITS.previewNodes / LIMITS.previewList);
    const wide = { t: 'array', len: rows, items: fill(rows, row) };
    expect(errorOf(wide)).toMatch(
      new RegExp(`^p\\.items\\[\\d+\\]\\.items\\[\\d+\\]: preview has more than ${LIMITS.previewNodes} nodes$`),
    );
    expect(errorOf(row())).toBe('accepted');
    expect(errorOf({ ...row(), items: [...row().items, { t: 'null' }] })).toBe(
      `p.items: expected at most ${LIMITS.previewList} entries, got ${LIMITS.previewList + 1}`,
    );
    const keys = { t: 'object', keys: 100, entries: fill(100, (i) => [`${i}${'k'.repeat(16_000)}`, { t: 'null' }]) };
    expect(errorOf(keys)).toMatch(
      new RegExp(`^p\\.entries\\[\\d+\\]\\[0\\]: preview holds more than ${LIMITS.previewChars} characters$`),
    );
    expect(errorOf({ t: 'regexp', source: 'x'.repeat(LIMITS.previewText + 1), flags: '' })).toBe(
      `p.source: expected a string of at most ${LIMITS.previewText} characters, got ${LIMITS.previewText + 1}`,
    );
  });

  it('rejects and counts such a fact on its own, keeping the rest of the batch', () => {
    const fact = (v: string) => ({
      kind: 'port-posted',
      ctx: 'c',
      seq: 1,
      time: 1,
      port: 1,
      msg: 1,
      preview: { t: 'string', v, len: v.length },
      bytes: v.length,
      fingerprint: 'f',
      transfer: [],
      outcome: 'sent',
    });
    const out = partitionFacts([fact('ok'), fact('x'.repeat(65_536)), fact('fine')], 'facts');
    expect(out.facts).toHaveLength(2);
    expect(out.rejected).toBe(1);
    expect(out.firstError?.message).toBe(
      `facts[1].preview.v: expected a string of at most ${LIMITS.previewString} characters, got 65536`,
    );
  });

  it('a call site as the runtime captures it is accepted, a longer one is not', () => {
    const fact = (stack: string[]) => ({ kind: 'port-closed', ctx: 'c', seq: 1, time: 1, port: 1, site: { stack } });
    expect(partitionFacts([fact(fill(12, () => 'x'.repeat(300)))], 'f').rejected).toBe(0);
    expect(partitionFacts([fact(fill(LIMITS.stackLines + 1, () => 'at f (a.js:1:1)'))], 'f').firstError?.message).toBe(
      `f[0].site.stack: expected at most ${LIMITS.stackLines} entries, got ${LIMITS.stackLines + 1}`,
    );
  });
});
