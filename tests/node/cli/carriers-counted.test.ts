// The CLI's views of a trace holding carrier messages counted, not recorded (`carriers-counted`):
// the summary table and its JSON document say how many, and the Chrome trace converts.
import { describe, expect, it } from 'vitest';
import { toChromeTrace } from '../../../cli/perfetto.ts';
import { summaryDocument } from '../../../cli/summary-json.ts';
import { summaryTable } from '../../../cli/summary-table.ts';
import { createModel } from '../../../panel/model/index.ts';
import { createTrace, parseTrace, serializeTrace, traceFacts } from '../../../protocol/trace.ts';
import { Stream } from '../model/facts.ts';
import { chromeTraceProblems } from './chrome-trace-check.ts';

function recording() {
  const s = new Stream();
  const top = s.context('top');
  const w = top.worker('https://app.test/w.js');
  top.carrierPost('worker', `worker:${w}`, 'start', []);
  top.emit('carriers-counted', { carrier: 'worker', posted: 40, received: 38 });
  top.emit('carriers-counted', { carrier: 'window', posted: 0, received: 2 });
  const trace = createTrace({
    meta: {
      browser: 'Chromium',
      url: 'https://app.test/top.html',
      startedAt: '2026-01-01T00:00:00.000Z',
      portscopeVersion: '0',
      dropped: {},
      evicted: { messages: 0, facts: 0 },
    },
    facts: s.all,
  });
  // As `portscope summary trace.json` reads it: from the file's text.
  const model = createModel();
  model.apply(traceFacts(parseTrace(serializeTrace(trace))));
  return model;
}

describe('carrier messages counted, in the CLI', () => {
  it('are a line of the summary table and a field of its JSON document', () => {
    const summary = recording().summary();
    const table = summaryTable(summary);
    expect(table).toContain(
      'carrier messages without ports counted, not recorded (no DevTools open on the tab then): 40 posted, 40 received',
    );
    // The recorded carrier message stays the only one in the carrier count.
    expect(table).toContain('1 carrier message,');
    expect(summaryDocument(summary).countedCarriers).toEqual({ posted: 40, received: 40 });
  });

  it('convert to a Chrome trace without problems', () => {
    const model = recording();
    const trace = toChromeTrace(model, model.factLog());
    expect(chromeTraceProblems(trace)).toEqual([]);
  });
});
