/**
 * The print of a primitive (injected/preview.ts): an int32 is hashed from its digits without
 * making its string or reading it back character by character, and every hash is written in hex by
 * nibbles; the prints are FNV-1a of the shape string as before, in the same hex.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CountedPreview, expectedHash, importPreviewCountingHashes } from '../../support/counted-preview.ts';

let counted: CountedPreview;
let fingerprint: CountedPreview['preview']['fingerprint'];
let describePreview: CountedPreview['preview']['describe'];

beforeAll(async () => {
  counted = await importPreviewCountingHashes();
  ({ fingerprint, describe: describePreview } = counted.preview);
});

const numberShape = (n: number) => `n${Object.is(n, -0) ? '-0' : String(n)}`;

describe('the print of a primitive', () => {
  it('is FNV-1a of its shape string for numbers of every kind, strings and the other primitives', () => {
    const edges = [
      0,
      -0,
      1,
      -1,
      9,
      10,
      99,
      100,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53,
      1e21,
      0.5,
      -7.25,
      1e-7,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    for (const n of edges) expect([n, fingerprint(n)]).toEqual([n, expectedHash(numberShape(n))]);
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.double()), (n) => {
        expect(fingerprint(n)).toBe(expectedHash(numberShape(n)));
      }),
      { numRuns: 5_000 },
    );
    for (const s of ['', 'a', 'x'.repeat(100)])
      expect(fingerprint(s)).toBe(expectedHash(`s${s.length}:${s.slice(0, 64)}`));
    expect([fingerprint(true), fingerprint(false), fingerprint(undefined), fingerprint(null)]).toEqual(
      ['T', 'F', 'u', 'z'].map(expectedHash),
    );
  });

  it('writes hashes with fewer than eight hex digits without leading zeros', () => {
    // Prints of the integers 0…19,999 include hashes below 0x10000000 (one in 16 of them).
    let short = 0;
    for (let n = 0; n < 20_000; n++) {
      const print = fingerprint(n);
      expect(print).toBe(expectedHash(numberShape(n)));
      if (print.length < 8) short++;
    }
    expect(short).toBeGreaterThan(100);
  });

  it('hashes an int32 without reading its digits back from a string', () => {
    counted.reset();
    for (let n = -500; n < 500; n++) fingerprint(n * 4_099);
    expect(counted.hashedChars()).toBe(0);
    // Any other number is still hashed from its string.
    fingerprint(0.5);
    expect(counted.hashedChars()).toBe(4);
  });

  it("gives a number's preview and size without a walk, as the walk gives them inside a list", () => {
    for (const n of [0, -0, 3, -2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const alone = describePreview(n);
      const inList = describePreview([n]);
      expect(alone.preview).toEqual((inList.preview as { items: unknown[] }).items[0]);
      expect(alone.bytes).toBe(8);
      expect(inList.bytes).toBe(8);
    }
  });
});
