// Everything the runtime's preview can make passes the validator (protocol/validate.ts): every
// string it puts in a preview is cut to PREVIEW_BOUNDS.stringLength and says so with its original
// length, and every node it emits is counted against PREVIEW_BOUNDS.nodes. Before, an Error with a
// long message, a long key or a long RegExp source made the whole fact rejected (only counted).
import { describe, expect, it } from 'vitest';
import { describe as describeValue } from '../../../injected/preview.ts';
import { validatePreview } from '../../../protocol/validate.ts';
import { PREVIEW_BOUNDS, type Preview } from '../../../protocol/facts.ts';
import { previewText } from '../../../panel/previewText.ts';

const K = PREVIEW_BOUNDS.keys;
const S = PREVIEW_BOUNDS.stringLength;
const huge = 'z'.repeat(10_000);
const fill = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

class Tagged {
  get [Symbol.toStringTag]() {
    return 'never read';
  }
}
class LongTag {}
Object.defineProperty(LongTag.prototype, Symbol.toStringTag, { value: huge });

function longError(): Error {
  const e = new Error(huge);
  e.name = huge;
  return e;
}

function keyed(depth: number): unknown {
  return depth === 0 ? longError() : Object.fromEntries(fill(K + 1, (i) => [`${i}${huge}`, keyed(depth - 1)]));
}
function holes(depth: number): unknown {
  return depth === 0 ? new Array(K + 1) : fill(K + 1, () => holes(depth - 1));
}
function getters(depth: number): unknown {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < K + 1; i++) {
    if (depth === 0) Object.defineProperty(o, `${huge}${i}`, { get: () => 1, enumerable: true });
    else o[`o${i}`] = getters(depth - 1);
  }
  return o;
}
function boxed(depth: number): unknown {
  return depth === 0
    ? fill(K + 1, (i) => (i % 2 ? new String(huge) : Object(10n ** 5000n)))
    : new Map(fill(K + 1, (i) => [new Number(i), boxed(depth - 1)]));
}
/** One object shared everywhere under long keys: every later occurrence is a `ref` with a long path. */
function refs(): unknown {
  const shared = { x: 1 };
  const level = (depth: number): unknown =>
    depth === 0 ? shared : Object.fromEntries(fill(K + 1, (i) => [`${i}${huge}`, level(depth - 1)]));
  return level(PREVIEW_BOUNDS.depth);
}

const worst: [string, unknown][] = [
  ['an Error with a 10,000-character name and message', longError()],
  ['nested objects with 10,000-character keys over long errors', keyed(PREVIEW_BOUNDS.depth)],
  ['a long RegExp source', new RegExp(huge)],
  ['a Blob with a long type', new Blob([], { type: `a/${huge}` })],
  ['a File with a long name and type', new File([], huge, { type: `a/${huge}` })],
  ['a BigInt of 5,000 digits', 10n ** 5000n],
  ['an object whose class has a long toStringTag', new LongTag()],
  ['an accessor toStringTag (never read)', new Tagged()],
  ['nested arrays of holes', holes(PREVIEW_BOUNDS.depth)],
  ['nested objects of accessors with long keys', getters(PREVIEW_BOUNDS.depth - 1)],
  ['maps of boxed numbers over boxed strings and BigInts', boxed(PREVIEW_BOUNDS.depth - 1)],
  ['refs with long paths', refs()],
  [
    'mixed',
    fill(K + 1, (i) =>
      i % 2 ? keyed(2) : [holes(2), getters(1), boxed(1), longError(), new RegExp(huge), 10n ** 5000n],
    ),
  ],
];

function nodes(p: Preview): number {
  return JSON.stringify(p).split('"t":').length - 1;
}

/** Every string in the preview: keys, values, sources, names, paths. */
function strings(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) for (const v of x) strings(v, out);
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) if (k !== 't') strings(v, out);
  return out;
}

describe('the preview stays within the validator for any value', () => {
  it.each(worst)('%s', (what, value) => {
    const { preview } = describeValue(value);
    expect(() => validatePreview(preview, what)).not.toThrow();
    // Every node counted: the runtime's own bound holds, with at most one map entry's worth of slack.
    expect(nodes(preview)).toBeLessThanOrEqual(PREVIEW_BOUNDS.nodes + 4);
    for (const s of strings(preview)) if (!s.startsWith('$')) expect(s.length).toBeLessThanOrEqual(S);
  });

  it('marks every cut text with its original length', () => {
    const p = (v: unknown) => describeValue(v).preview;
    const cut = huge.slice(0, S);
    expect(p(longError())).toEqual({
      t: 'error',
      name: cut,
      message: cut,
      nameLen: huge.length,
      messageLen: huge.length,
    });
    expect(p(new RegExp(huge, 'g'))).toEqual({ t: 'regexp', source: cut, flags: 'g', sourceLen: huge.length });
    expect(p(new File([], huge, { type: huge }))).toEqual({
      t: 'blob',
      size: 0,
      type: cut,
      typeLen: huge.length,
      name: cut,
      nameLen: huge.length,
    });
    const digits = (10n ** 5000n).toString();
    expect(p(10n ** 5000n)).toEqual({ t: 'bigint', v: digits.slice(0, S), len: digits.length, truncated: true });
    expect(p(Object(10n ** 5000n))).toEqual({
      t: 'boxed',
      inner: { t: 'bigint', v: digits.slice(0, S), len: digits.length, truncated: true },
    });
    expect(p(new LongTag())).toEqual({ t: 'host', tag: cut, tagLen: huge.length });
    expect(p({ [huge]: 1 })).toEqual({ t: 'object', keys: 1, entries: [[cut, { t: 'number', v: 1 }, huge.length]] });
  });

  it("the panel's one-line text says where a text was cut and how long it was", () => {
    const text = (v: unknown) => previewText(describeValue(v).preview, 10_000);
    const cut = huge.slice(0, S);
    expect(text(new TypeError(huge))).toBe(`TypeError: ${cut}…(10000 chars)`);
    expect(text({ [huge]: 1 })).toBe(`{${cut}…(10000 chars): 1}`);
    expect(text(new RegExp(huge, 'u'))).toBe(`/${cut}…(10000 chars)/u`);
    expect(text(new LongTag())).toBe(`${cut}…(10000 chars)`);
    expect(text(10n ** 200n)).toBe(`1${'0'.repeat(S - 1)}…n(201 digits)`);
  });

  it('leaves short texts as they were', () => {
    const p = (v: unknown) => describeValue(v).preview;
    expect(p(new TypeError('bad'))).toEqual({ t: 'error', name: 'TypeError', message: 'bad' });
    expect(p(/a+/y)).toEqual({ t: 'regexp', source: 'a+', flags: 'y' });
    expect(p(12n)).toEqual({ t: 'bigint', v: '12' });
    expect(p({ k: 1 })).toEqual({ t: 'object', keys: 1, entries: [['k', { t: 'number', v: 1 }]] });
  });

  it('a ref to an object under a cut key names it by the cut key', () => {
    const shared = {};
    const { preview } = describeValue({ [huge]: shared, again: shared });
    expect(preview).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        [huge.slice(0, S), { t: 'object', keys: 0, entries: [] }, huge.length],
        ['again', { t: 'ref', path: '$.' + huge.slice(0, S) }],
      ],
    });
  });
});
