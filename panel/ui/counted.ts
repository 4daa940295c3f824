/**
 * Words for messages counted rather than recorded (`messages-counted`): while no DevTools
 * window watches a tab, Portscope keeps only how many messages went through its ports.
 */
import type { ChannelModel, ModelTotals } from '../model/index.ts';

const n = (count: number) => count.toLocaleString('en-US');

/** One queue line standing for a whole run of counted messages. */
export function countedRunLine(count: number): string {
  return `${n(count)} message${count === 1 ? '' : 's'} counted while DevTools was closed — content not recorded`;
}

/** One queue line standing for recorded messages whose records were evicted (the buffer's bound) while they waited. */
export function evictedRunLine(count: number): string {
  return `${n(count)} message${count === 1 ? '' : 's'} whose records were evicted (buffer size) while they waited`;
}

/** Port messages counted, and the carrier messages counted (worker and window, without ports). */
export type CountedTotals = ModelTotals['counted'] & { carriers: ModelTotals['countedCarriers'] };

/** The model's totals of messages counted, not recorded. */
export function countedTotals(model: ChannelModel): CountedTotals {
  const totals = model.totals();
  return { ...totals.counted, carriers: totals.countedCarriers };
}

export function anyCounted(t: CountedTotals): boolean {
  return t.posted > 0 || t.delivered > 0 || t.queued > 0 || t.carriers.posted > 0 || t.carriers.received > 0;
}

/** "1,204 posted · 3 delivered · 1,201 queued", leaving out zeros. */
export function countedParts(t: CountedTotals): string {
  const parts: string[] = [];
  if (t.posted) parts.push(`${n(t.posted)} posted`);
  if (t.delivered) parts.push(`${n(t.delivered)} delivered`);
  if (t.queued) parts.push(`${n(t.queued)} queued`);
  // Each end counts: one worker message may be counted posted on the page and received in the worker.
  const carrier: string[] = [];
  if (t.carriers.posted) carrier.push(`${n(t.carriers.posted)} posted`);
  if (t.carriers.received) carrier.push(`${n(t.carriers.received)} received`);
  if (carrier.length) parts.push(`carrier messages ${carrier.join(', ')}`);
  return parts.join(' · ');
}
