/** The filtered, sorted message rows, recomputed only when the model, query or sort change. */
import { useMemo } from 'react';
import { messageRows } from '../messageRows.ts';
import type { MessageRecord } from '../model/types.ts';
import { usePanel } from './storeContext.ts';

export function useRows(): MessageRecord[] {
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const terms = usePanel((s) => s.terms);
  const sort = usePanel((s) => s.sort);
  const filterError = usePanel((s) => s.filterError);
  // `revision` is the model's change counter: the model mutates in place.
  // A filter that does not parse selects nothing: showing every row would answer another question.
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the model's contents.
  return useMemo(
    () => (filterError ? [] : messageRows(model, terms, sort)),
    [model, revision, terms, sort, filterError],
  );
}
