import { describe, expect, it } from 'vitest';
import { FactSequence } from '../../../protocol/fact-sequence.ts';

describe('FactSequence', () => {
  it('counts the numbers that never arrived, per context, including a lost first batch', () => {
    const seq = new FactSequence();
    for (const n of [1, 2, 5, 6]) seq.note('a', n);
    for (const n of [4, 5]) seq.note('b', n); // 1–3 (its announcement) never came
    expect(seq.missing).toBe(2 + 3);
  });

  it('does not count late, repeated or unreadable numbers as missing', () => {
    const seq = new FactSequence();
    for (const n of [1, 2, 3, 2, 3]) seq.note('a', n);
    seq.note('a', 'x');
    seq.note(7, 4);
    seq.note('a', 0.5);
    expect(seq.missing).toBe(0);
  });

  it('is bounded: contexts beyond the cap are not tracked', () => {
    const seq = new FactSequence(2);
    seq.note('a', 1);
    seq.note('b', 1);
    seq.note('c', 10);
    expect(seq.missing).toBe(0);
  });
});
