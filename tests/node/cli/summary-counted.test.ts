// `portscope summary` (text form) says how many messages were counted rather than recorded.
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../../cli/summary-table.ts';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from '../model/facts.ts';

function summaryOf(counted: boolean) {
  const s = new Stream();
  const top = s.context('top');
  const [a, b] = top.channel();
  top.post(a, 'recorded');
  if (counted) top.counted(a, 1204, 0);
  top.start(b);
  top.dispatch(b, 'recorded');
  const model = createModel();
  model.apply(s.all);
  return model.summary();
}

describe('summaryTable', () => {
  it('prints the counted numbers, overall and per port', () => {
    const text = summaryTable(summaryOf(true));
    expect(text).toContain(
      'messages: 1205 posted = 1 delivered + 1204 queued + 0 dropped + 0 to a receiver not observed',
    );
    expect(text).toContain(
      'of which counted, not recorded (no DevTools open on the tab then): 1204 posted, 0 delivered, 1204 queued',
    );
    const rows = text.split('\n');
    expect(rows.find((r) => r.startsWith('port '))).toContain('counted (posted/delivered/queued)');
    expect(rows.find((r) => r.startsWith('p1 '))).toMatch(/1204\/0\/0$/);
    expect(rows.find((r) => r.startsWith('p2 '))).toMatch(/0\/0\/1204$/);
  });

  it('adds nothing when nothing was counted', () => {
    const text = summaryTable(summaryOf(false));
    expect(text).not.toContain('counted');
  });
});
