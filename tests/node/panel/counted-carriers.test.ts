// The status bar's and the notice's words for counted carrier messages (panel/ui/counted.ts).
import { describe, expect, it } from 'vitest';
import { anyCounted, countedParts, countedTotals } from '../../../panel/ui/counted.ts';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from '../model/facts.ts';

describe('counted carrier messages in the panel', () => {
  it('are counted and labelled as carrier messages, beside counted port messages', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a] = top.channel();
    top.counted(a, 3, 0);
    top.emit('carriers-counted', { carrier: 'worker', posted: 1200, received: 7 });
    const model = createModel();
    model.apply(s.all);
    const totals = countedTotals(model);
    expect(anyCounted(totals)).toBe(true);
    expect(countedParts(totals)).toBe('3 posted · 3 queued · carrier messages 1,200 posted, 7 received');
  });

  it('alone are enough to say that something was counted', () => {
    const s = new Stream();
    const top = s.context('top');
    top.emit('carriers-counted', { carrier: 'window', posted: 0, received: 2 });
    const model = createModel();
    model.apply(s.all);
    const totals = countedTotals(model);
    expect(anyCounted(totals)).toBe(true);
    expect(countedParts(totals)).toBe('carrier messages 2 received');
  });
});
