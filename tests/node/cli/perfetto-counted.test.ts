// Queue counters in the Chrome trace include messages counted rather than recorded, which
// have no slices of their own (a real model fed synthetic facts).
import { describe, expect, it } from 'vitest';
import { toChromeTrace, type TraceEvent } from '../../../cli/perfetto.ts';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from '../model/facts.ts';
import { chromeTraceProblems } from './chrome-trace-check.ts';

const counter = (events: TraceEvent[], port: string) =>
  events.filter((e) => e.ph === 'C' && e.name === `queue ${port}`).map((e) => e.args?.queued);

describe('toChromeTrace with counted messages', () => {
  it('counts counted posts and dispatches in the queue counter, and draws no slice for them', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.counted(a, 5, 0);
    top.start(b);
    top.dispatch(b, 'x'); // takes one counted message: recorded dispatch, counted post
    top.counted(b, 0, 2);
    top.post(a, 'y');
    top.counted(b, 0, 1);
    const model = createModel();
    model.apply(s.all);
    const pb = [...model.ports.values()].find((p) => p.holders.some((h) => h.localId === b))!;
    expect(pb.queued).toBe(2);
    const trace = toChromeTrace(model, model.factLog());
    expect(chromeTraceProblems(trace)).toEqual([]);
    expect(counter(trace.traceEvents, pb.id)).toEqual([5, 4, 2, 3, 2]);
    const slices = trace.traceEvents.filter((e) => e.ph === 'X').map((e) => [e.name, e.args?.message]);
    // 'x' was posted while counting: only its dispatch is a slice, with no flow from a post.
    expect(slices).toEqual([
      ['message event', 'm1'],
      ['postMessage', 'm2'],
    ]);
    expect(trace.traceEvents.filter((e) => e.ph === 's')).toHaveLength(0);
  });

  it('ends the counter where the model does when counted messages were dropped with their context', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    top.handToFrame(child, b);
    top.counted(a, 4, 0);
    child.destroyed('removed');
    const model = createModel();
    model.apply(s.all);
    const trace = toChromeTrace(model, model.factLog());
    expect(counter(trace.traceEvents, 'p2')).toEqual([4, 0]);
  });
});

describe('toChromeTrace queue counters when dispatches are reported before their posts', () => {
  it('never goes below zero: the late-reported posts fill what the early dispatches took', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    child.onmessage(cb);
    // The child flushed its counts before the top did: the reports' times are in that order.
    child.counted(cb, 0, 3);
    top.counted(a, 5, 0);
    const model = createModel();
    model.apply(s.all);
    const pb = [...model.ports.values()].find((p) => p.context === 'child')!;
    expect(pb.queued).toBe(2);
    const trace = toChromeTrace(model, model.factLog());
    expect(chromeTraceProblems(trace)).toEqual([]);
    // The model applies the child's dispatches after the posts they took (causal order); their
    // earlier time is placed at the posts' report, one step from 0 to 2 (never below zero).
    expect(counter(trace.traceEvents, pb.id)).toEqual([2]);
  });
});

describe('toChromeTrace flows across contexts whose clocks disagree', () => {
  it('leaves out an arrow that would point back in time, and says how many', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    child.onmessage(cb);
    s.tick(5);
    top.post(a, 'on time');
    s.tick(1);
    child.dispatch(cb, 'on time');
    s.tick(1);
    const dispatchedAt = s.time;
    s.tick(0.5);
    // The child's clock runs 0.5 ms behind the top's: its dispatch reads earlier than the post.
    top.post(a, 'skewed');
    s.time = dispatchedAt;
    child.dispatch(cb, 'skewed');
    const model = createModel();
    model.apply(s.all);
    const trace = toChromeTrace(model, model.factLog());
    expect(chromeTraceProblems(trace)).toEqual([]);
    expect(trace.traceEvents.filter((e) => e.ph === 's')).toHaveLength(1);
    expect(trace.otherData.flowsLeftOutForClockSkew).toBe('1');
    // Both dispatches are still slices.
    expect(trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'message event')).toHaveLength(2);
  });
});
