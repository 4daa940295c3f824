/**
 * What the timeline remembers while the user looks at other views: the main range (null:
 * the whole recording, following it as it grows), whether it follows the Messages filter,
 * and which contexts are opened into ports. One per panel store.
 */
import type { TimeRange } from './range.ts';

export interface TimelineViewState {
  range: TimeRange | null;
  followFilter: boolean;
  expanded: ReadonlySet<string>;
}

const states = new WeakMap<object, TimelineViewState>();

export function timelineViewState(owner: object): TimelineViewState {
  let s = states.get(owner);
  if (!s) {
    s = { range: null, followFilter: false, expanded: new Set() };
    states.set(owner, s);
  }
  return s;
}
