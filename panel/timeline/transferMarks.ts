/**
 * Port transfers in a range, as marks between context lanes: at most `max` of them, and how
 * many the range holds, so the view can say what it left unmarked.
 */
import type { TransferEdge } from '../model/types.ts';

export interface TransferMark {
  time: number;
  fromRow: number;
  toRow: number;
}

export function transferMarks(
  transfers: readonly TransferEdge[],
  contextRow: ReadonlyMap<string, number>,
  start: number,
  end: number,
  max: number,
): { marks: TransferMark[]; inRange: number } {
  const marks: TransferMark[] = [];
  let inRange = 0;
  for (const t of transfers) {
    if (t.kind !== 'port' || t.to === null || t.time < start || t.time > end) continue;
    const fromRow = contextRow.get(t.from);
    const toRow = contextRow.get(t.to);
    if (fromRow === undefined || toRow === undefined) continue;
    inRange++;
    if (marks.length < max) marks.push({ time: t.time, fromRow, toRow });
  }
  return { marks, inRange };
}
