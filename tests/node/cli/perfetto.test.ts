import { describe, expect, it } from 'vitest';
import { toChromeTrace, type TraceEvent } from '../../../cli/perfetto.ts';
import { parseTrace } from '../../../protocol/trace.ts';
import { SAMPLE_TEXT } from '../trace/samples.ts';
import { chromeTraceProblems } from './chrome-trace-check.ts';
import { twoFramesView } from './model-view.ts';

const facts = parseTrace(SAMPLE_TEXT).facts;
const of = (events: TraceEvent[], ph: TraceEvent['ph']) => events.filter((e) => e.ph === ph);

describe('toChromeTrace', () => {
  const trace = toChromeTrace(twoFramesView(), facts);
  const ev = trace.traceEvents;

  it('is structurally sound: flows pair, time runs forward per thread, every pid/tid is named', () => {
    expect(chromeTraceProblems(trace)).toEqual([]);
  });

  it('makes each context a process and each port holding a thread', () => {
    const processes = ev.filter((e) => e.name === 'process_name').map((e) => e.args?.name);
    expect(processes).toEqual(['window http://127.0.0.1:4000/demo/', 'iframe http://127.0.0.1:4000/demo/child.html']);
    const threads = ev.filter((e) => e.name === 'thread_name').map((e) => `${e.pid}:${e.args?.name}`);
    // p2 moved from the window (local #2) to the iframe (local #1): two threads.
    expect(threads).toEqual([
      '1:p1 (c1, local #1)',
      '1:p2 (c1, local #2)',
      '2:p2 (c1, local #1)',
      '1:p3 (c2, local #3)',
      '1:p4 (c2, local #4)',
    ]);
  });

  it('draws posts and dispatches as slices joined by flows, in µs from the first fact', () => {
    const posts = of(ev, 'X').filter((e) => e.name === 'postMessage');
    const dispatches = of(ev, 'X').filter((e) => e.name === 'message event');
    expect(posts.map((e) => e.ts)).toEqual([12_000, 13_200, 20_200]);
    expect(dispatches.map((e) => [e.ts, e.dur])).toEqual([
      [13_000, 400],
      [14_000, 200],
    ]);
    expect(of(ev, 's')).toHaveLength(2);
    expect(of(ev, 'f').map((e) => e.pid)).toEqual([1, 2]);
  });

  it('counts each port message queue, including the message that never leaves', () => {
    const p4 = of(ev, 'C')
      .filter((e) => e.name === 'queue p4')
      .map((e) => e.args?.queued);
    expect(p4).toEqual([1]);
    const p1 = of(ev, 'C')
      .filter((e) => e.name === 'queue p1')
      .map((e) => e.args?.queued);
    expect(p1).toEqual([1, 0]);
  });

  it('marks create, start, ship, receive and close as instants on the port thread', () => {
    const names = of(ev, 'i').map((e) => `${e.pid}/${e.tid} ${e.name}`);
    expect(names).toEqual([
      '1/1 new MessageChannel',
      '1/2 new MessageChannel',
      '1/1 enabled by onmessage',
      '1/2 shipped',
      '2/3 received',
      '2/3 start()',
      '1/4 new MessageChannel',
      '1/5 new MessageChannel',
      '1/1 close()',
      '2/3 close event',
    ]);
  });

  it('the checker catches what it claims to (unpaired flow, backwards time, unnamed thread)', () => {
    const broken = structuredClone(trace);
    broken.traceEvents.push({ ph: 's', name: 'message', cat: 'message', id: 99, pid: 1, tid: 1, ts: 99_000 });
    broken.traceEvents.push({ ph: 'i', name: 'x', pid: 1, tid: 1, ts: 1 });
    broken.traceEvents.push({ ph: 'i', name: 'x', pid: 1, tid: 42, ts: 99_999 });
    const problems = chromeTraceProblems(broken).join('\n');
    expect(problems).toMatch(/flow 99: 1 starts, 0 ends/);
    expect(problems).toMatch(/goes back on 1\/1/);
    expect(problems).toMatch(/thread 1\/42 has no thread_name/);
  });

  it('cuts a slice that would straddle its parent', () => {
    const view = twoFramesView();
    view.messages[0].duration = 5; // dispatch at 13 ms lasting 5 ms covers the post at 13.2 on the same thread
    const t = toChromeTrace(view, facts);
    expect(chromeTraceProblems(t)).toEqual([]);
  });
});
