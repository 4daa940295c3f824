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

export type CountedTotals = ModelTotals['counted'];

/** The model's totals of messages counted, not recorded. */
export function countedTotals(model: ChannelModel): CountedTotals {
  return model.totals().counted;
}

export function anyCounted(t: CountedTotals): boolean {
  return t.posted > 0 || t.delivered > 0 || t.queued > 0;
}

/** "1,204 posted · 3 delivered · 1,201 queued", leaving out zeros. */
export function countedParts(t: CountedTotals): string {
  const parts: string[] = [];
  if (t.posted) parts.push(`${n(t.posted)} posted`);
  if (t.delivered) parts.push(`${n(t.delivered)} delivered`);
  if (t.queued) parts.push(`${n(t.queued)} queued`);
  return parts.join(' · ');
}
