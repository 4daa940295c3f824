// The Chrome trace's queue counters are the model's queue depth series: what the bound cut is
// said in otherData, and the counter ends where the model's queue does.
import { describe, expect, it } from 'vitest';
import { toChromeTrace } from '../../../cli/perfetto.ts';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from '../model/facts.ts';
import { chromeTraceProblems } from './chrome-trace-check.ts';

describe('toChromeTrace queue counters', () => {
  it('draws the model series, and says how many changes its bound cut', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    for (let i = 0; i < 30; i++) top.post(a, `m${i}`);
    top.start(b);
    for (let i = 0; i < 5; i++) top.dispatch(b, `m${i}`);
    const model = createModel({ queueSeriesCap: 8 });
    model.apply(s.all);
    const trace = toChromeTrace(model, model.factLog());
    expect(chromeTraceProblems(trace)).toEqual([]);
    const counter = trace.traceEvents.filter((e) => e.ph === 'C' && e.name === 'queue p2').map((e) => e.args?.queued);
    expect(counter).toEqual([28, 29, 30, 29, 28, 27, 26, 25]);
    expect(counter.at(-1)).toBe(model.ports.get('p2')?.queued);
    expect(trace.otherData.queueChangesCut).toBe('27');
  });
});
