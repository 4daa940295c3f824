// The Messages table's lines: navigation marks between the messages, by time, in time order only.
import { describe, expect, it } from 'vitest';
import { isNavigationLine, linesOf } from '../../../panel/messageLines.ts';
import type { MessageRecord } from '../../../panel/model/types.ts';

const at = (postedAt: number) => ({ id: `m${postedAt}`, postedAt }) as MessageRecord;
const nav = (time: number) => ({ time, url: `http://x/${time}` });
const show = (lines: ReturnType<typeof linesOf>) =>
  lines.map((l) => (isNavigationLine(l) ? `nav@${l.navigation.time}` : l.id));

describe('linesOf', () => {
  it('puts each mark before the first message at or after it, both ways', () => {
    const rows = [at(1), at(5), at(9)];
    expect(show(linesOf(rows, [nav(5), nav(12)], 'asc'))).toEqual(['m1', 'nav@5', 'm5', 'm9', 'nav@12']);
    expect(show(linesOf([...rows].reverse(), [nav(5), nav(12)], 'desc'))).toEqual([
      'nav@12',
      'm9',
      'm5',
      'nav@5',
      'm1',
    ]);
  });

  it('leaves the marks out when the table is sorted by anything but time', () => {
    expect(show(linesOf([at(1), at(5)], [nav(3)], null))).toEqual(['m1', 'm5']);
  });

  it('is the rows themselves when no mark goes between them: nothing allocated per row each time the table draws', () => {
    const rows = [at(1), at(5)];
    expect(linesOf(rows, [], 'asc')).toBe(rows);
    expect(linesOf(rows, [nav(3)], null)).toBe(rows);
    // With marks, the rows stay the records themselves.
    expect(linesOf(rows, [nav(3)], 'asc')[2]).toBe(rows[1]);
  });
});
