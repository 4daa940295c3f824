/**
 * The lines of the Messages table: its rows, with the marks of the reloads Preserve log kept
 * put between them by time (only while the table is in time order: elsewhere they have no place).
 */
import type { MessageRecord } from './model/types.ts';
import type { Navigation } from './recording.ts';

/** The mark of a reload kept by Preserve log, between the rows. */
export interface NavigationLine {
  navigation: Navigation;
}

/**
 * A row of the table: a message (the record itself, so that a table of 100,000 rows does not
 * allocate a wrapper per row each time it is drawn), or the mark of a reload.
 */
export type Line = MessageRecord | NavigationLine;

export const isNavigationLine = (line: Line): line is NavigationLine => 'navigation' in line;

/**
 * Navigation marks go between the messages by time, only while the table is in time order.
 * Without marks the lines are `rows` itself: not to be changed by the caller.
 */
export function linesOf(
  rows: readonly MessageRecord[],
  navigations: readonly Navigation[],
  timeSort: 'asc' | 'desc' | null,
): readonly Line[] {
  if (timeSort === null || navigations.length === 0) return rows;
  const marks = [...navigations].sort((a, b) => a.time - b.time);
  const lines: Line[] = [];
  if (timeSort === 'asc') {
    let k = 0;
    for (const message of rows) {
      while (k < marks.length && marks[k]!.time <= message.postedAt) lines.push({ navigation: marks[k++]! });
      lines.push(message);
    }
    while (k < marks.length) lines.push({ navigation: marks[k++]! });
  } else {
    let k = marks.length - 1;
    for (const message of rows) {
      while (k >= 0 && marks[k]!.time > message.postedAt) lines.push({ navigation: marks[k--]! });
      lines.push(message);
    }
    while (k >= 0) lines.push({ navigation: marks[k--]! });
  }
  return lines;
}
