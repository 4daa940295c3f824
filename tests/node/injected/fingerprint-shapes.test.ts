import { beforeAll, describe, expect, it } from 'vitest';
import { type CountedPreview, expectedHash, importPreviewCountingHashes } from '../../support/counted-preview.ts';

let counted: CountedPreview;
let fingerprint: CountedPreview['preview']['fingerprint'];

beforeAll(async () => {
  counted = await importPreviewCountingHashes();
  ({ fingerprint } = counted.preview);
});

/** The print of an ordinary object as the runtime defines it: FNV-1a of `o,key,…` (its first 64 keys). */
function expectedPrint(o: object): string {
  const shape = `o${Object.keys(o)
    .slice(0, 64)
    .map((k) => `,${k}`)
    .join('')}`;
  return expectedHash(shape);
}

const record = (names: string[]) => Object.fromEntries(names.map((k, i) => [k, i]));

describe('fingerprint of records of several shapes', () => {
  it('hashes a request and its reply once each when an RPC page alternates them', () => {
    const request = () => ({ id: 1, method: 'add', args: [1, 2] });
    const reply = () => ({ id: 1, result: 3 });
    fingerprint(request());
    fingerprint(reply());
    counted.reset();
    for (let i = 0; i < 100; i++) {
      expect(fingerprint(request())).toBe(expectedPrint(request()));
      expect(fingerprint(structuredClone(reply()), true)).toBe(expectedPrint(reply()));
    }
    expect(counted.hashedChars()).toBe(0);
  });

  it('recalls eight shapes in turn without hashing them again', () => {
    const shapes = Array.from({ length: 8 }, (_, s) => record(Array.from({ length: s + 1 }, (_, i) => `k${s}_${i}`)));
    for (const o of shapes) fingerprint(o);
    counted.reset();
    for (let round = 0; round < 5; round++) for (const o of shapes) expect(fingerprint(o)).toBe(expectedPrint(o));
    expect(counted.hashedChars()).toBe(0);
  });

  it('gives every record the print of its own keys when more shapes than it remembers come round', () => {
    const many = (last: string) => record([...Array.from({ length: 63 }, (_, i) => `m${i}`), last, 'extra']);
    const shapes = [
      ...Array.from({ length: 11 }, (_, s) => record(Array.from({ length: (s % 4) + 1 }, (_, i) => `x${s}_${i}`))),
      record(['a', 'b']),
      record(['b', 'a']),
      record(['a']),
      record(['a', 'b', 'c']),
      many('x'),
      many('y'),
      record([]),
    ];
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < shapes.length; i++) {
        // A different object of the same keys each time: the key lists are compared, not the objects.
        const o = record(Object.keys(shapes[(i * 7 + round) % shapes.length]));
        expect(fingerprint(o)).toBe(expectedPrint(o));
      }
    // Keys past the 64th are not part of the shape; the 64th is.
    expect(fingerprint(many('x'))).not.toBe(fingerprint(many('y')));
    expect(fingerprint(record([...Object.keys(many('x')), 'more']))).toBe(fingerprint(many('x')));
  });
});
