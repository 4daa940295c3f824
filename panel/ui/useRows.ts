/**
 * The filtered, sorted message rows, recomputed only when the model, query, sort or mutes change.
 * Messages on a muted channel (panel/mutes.ts) are left out, and counted, unless the user chose to
 * show muted channels.
 */
import { useMemo } from 'react';
import { messageRows } from '../messageRows.ts';
import { hideMuted } from '../mutes.ts';
import type { MessageRecord } from '../model/types.ts';
import { useMutes } from './mutesStore.ts';
import { usePanel } from './storeContext.ts';

export interface Rows {
  rows: MessageRecord[];
  /** Rows the filter kept that are hidden because their channel is muted. */
  mutedHidden: number;
}

export function useRows(): Rows {
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const terms = usePanel((s) => s.terms);
  const sort = usePanel((s) => s.sort);
  const filterError = usePanel((s) => s.filterError);
  const mutes = useMutes((s) => s.mutes);
  const showMuted = useMutes((s) => s.showMuted);
  // `revision` is the model's change counter: the model mutates in place.
  // A filter that does not parse selects nothing: showing every row would answer another question.
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the model's contents.
  return useMemo(() => {
    if (filterError) return { rows: [], mutedHidden: 0 };
    const all = messageRows(model, terms, sort);
    return showMuted ? { rows: all, mutedHidden: 0 } : hideMuted(model, all, mutes);
  }, [model, revision, terms, sort, filterError, mutes, showMuted]);
}
