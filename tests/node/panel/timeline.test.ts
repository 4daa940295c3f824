// The timeline's pure computations: its own time order, lanes, binning, ticks, ranges and hit testing.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import type { ChannelModel, ContextNode, MessageRecord, PortNode, TransferEdge } from '../../../panel/model/types.ts';
import { FEW, MAX_ARROWS, classOf, densityBins, drawPlan } from '../../../panel/timeline/drawPlan.ts';
import { HIT_PX, hitTest, nearestInRow, stepInRow } from '../../../panel/timeline/hit.ts';
import {
  CONTEXT_LANE,
  MAX_STRETCH,
  OPEN_HEADER,
  PORT_LANE,
  layoutLanes,
  rowAt,
} from '../../../panel/timeline/lanes.ts';
import { markersIn, navigationMarkers } from '../../../panel/timeline/markers.ts';
import { MIN_SPAN, clampRange, panBy, rangeBetween, wholeRange, zoomAt } from '../../../panel/timeline/range.ts';
import { formatTick, tickStep, tickTimes } from '../../../panel/timeline/ticks.ts';
import { timelineData } from '../../../panel/timeline/timelineData.ts';
import { transferMarks } from '../../../panel/timeline/transferMarks.ts';
import { WAIT_LEGEND, waitClass } from '../../../panel/timeline/waitClass.ts';
import { messageRows } from '../../../panel/messageRows.ts';
import { FRAME, TOP, allSyntheticFacts } from './syntheticFacts.ts';

const T0 = 1_700_000_000_000;

/** A message record as the model makes them; only what the timeline reads matters. */
function msg(
  id: string,
  from: [string, string],
  to: [string | null, string | null],
  postedAt: number,
  extra: Partial<MessageRecord> = {},
): MessageRecord {
  return {
    id,
    from: { context: from[0], port: from[1] },
    to: { context: to[0], port: to[1] },
    postedAt,
    dispatchedAt: postedAt + 1,
    state: 'delivered',
    bytes: 10,
    fingerprint: id,
    transfer: [],
    transferredPorts: [],
    postObserved: true,
    ...extra,
  };
}

/**
 * What timelineData reads from a model: contexts (for their order), ports (for a receiver's
 * holder) and waits (here on one clock: dispatch − post).
 */
function modelOf(contexts: string[], ports: Record<string, string> = {}): ChannelModel {
  return {
    contexts: new Map(contexts.map((id) => [id, { id } as ContextNode])),
    ports: new Map(Object.entries(ports).map(([id, context]) => [id, { id, context } as PortNode])),
    wait: (m: MessageRecord) =>
      m.dispatchedAt === undefined ? undefined : { ms: m.dispatchedAt - m.postedAt, approximate: false },
  } as unknown as ChannelModel;
}

describe('timeline data', () => {
  it('is in post-time order whatever order the messages come in (the table sort does not reach it)', () => {
    const model = createModel();
    model.apply(allSyntheticFacts({ messages: 40, stuck: 3 }));
    const bySize = messageRows(model, [], { key: 'size', dir: 'desc' });
    const byPreview = messageRows(model, [], { key: 'preview', dir: 'asc' });
    const a = timelineData(model, bySize);
    const b = timelineData(model, byPreview);
    const c = timelineData(model, model.messages);
    expect(a.records.map((m) => m.id)).toEqual(c.records.map((m) => m.id));
    expect(b.records.map((m) => m.id)).toEqual(c.records.map((m) => m.id));
    for (let i = 1; i < a.post.length; i++) expect(a.post[i]).toBeGreaterThanOrEqual(a.post[i - 1]!);
    expect(a.first).toBe(Math.min(...model.messages.map((m) => m.postedAt)));
    expect(a.last).toBe(Math.max(...model.messages.flatMap((m) => [m.postedAt, m.dispatchedAt ?? -Infinity])));
    expect(a.records).toHaveLength(43);
    expect(a.queued).toHaveLength(3);
    expect(a.contexts).toEqual([TOP, FRAME]);
  });

  it('has a lane for the unknown receiver only when a message has no known receiver', () => {
    const model = modelOf(['A', 'B'], { p2: 'B' });
    const known = timelineData(model, [msg('m1', ['A', 'p1'], [null, 'p2'], T0)]);
    expect(known.contexts).toEqual(['A', 'B']);
    const unknown = timelineData(model, [
      msg('m1', ['A', 'p1'], [null, 'p9'], T0, { state: 'unobserved', dispatchedAt: undefined }),
    ]);
    expect(unknown.contexts).toEqual(['A', null]);
  });

  it('keeps a dropped message in its sender lane and gives it no dispatch', () => {
    const data = timelineData(modelOf(['A', 'B']), [
      msg('m1', ['A', 'p1'], ['B', 'p2'], T0, { state: 'dropped', dispatchedAt: undefined }),
    ]);
    expect(data.toSlot[0]).toBe(data.fromSlot[0]);
    expect(Number.isNaN(data.end[0]!)).toBe(true);
    expect(data.contexts).toEqual(['A']);
  });
});

describe('lanes', () => {
  const model = modelOf(['A', 'B']);
  const data = timelineData(model, [
    msg('m1', ['A', 'p1'], ['B', 'p2'], T0),
    msg('m2', ['A', 'p3'], ['B', 'p4'], T0 + 5),
    msg('m3', ['B', 'p2'], ['A', 'p1'], T0 + 9),
  ]);

  it('uses the pane height, up to a limit, and keeps base heights when the pane is small', () => {
    const small = layoutLanes(data, new Set(), 10);
    expect(small.rows.map((r) => r.height)).toEqual([CONTEXT_LANE, CONTEXT_LANE]);
    const filled = layoutLanes(data, new Set(), 300);
    expect(filled.height).toBeGreaterThan(300 - 2);
    expect(filled.height).toBeLessThanOrEqual(300);
    const huge = layoutLanes(data, new Set(), 100_000);
    expect(huge.rows[0]!.height).toBe(CONTEXT_LANE * MAX_STRETCH);
  });

  it('opens a context into its ports, and each message goes from its port row to its port row', () => {
    const closed = layoutLanes(data, new Set(), 0);
    expect(closed.rows.map((r) => r.key)).toEqual(['c:A', 'c:B']);
    expect([...closed.senderRow]).toEqual([0, 0, 1]);
    expect([...closed.receiverRow]).toEqual([1, 1, 0]);
    const open = layoutLanes(data, new Set(['A']), 0);
    expect(open.rows.map((r) => r.key)).toEqual(['c:A', 'p:A:p1', 'p:A:p3', 'c:B']);
    expect(open.rows[1]!.height).toBe(PORT_LANE);
    expect(open.rows[0]!.expanded).toBe(true);
    expect(open.rows[0]!.height).toBe(OPEN_HEADER);
    // Stretched to fill, an opened context's header keeps its height.
    const tall = layoutLanes(data, new Set(['A']), 400);
    expect(tall.rows[0]!.height).toBe(OPEN_HEADER);
    expect(tall.rows[1]!.height).toBeGreaterThan(PORT_LANE);
    expect(tall.height).toBeLessThanOrEqual(400);
    expect(tall.height).toBeGreaterThan(400 - 4);
    expect([...open.senderRow]).toEqual([1, 2, 3]);
    expect([...open.receiverRow]).toEqual([3, 3, 1]);
  });

  it('finds the row under a y offset', () => {
    const layout = layoutLanes(data, new Set(['A']), 0);
    expect(rowAt(layout, 0)).toBe(0);
    expect(rowAt(layout, OPEN_HEADER)).toBe(1);
    expect(rowAt(layout, OPEN_HEADER + 2 * PORT_LANE + 1)).toBe(3);
    expect(rowAt(layout, layout.height + 1)).toBe(-1);
  });
});

describe('draw plan', () => {
  const model = modelOf(['A', 'B']);
  /** A burst of `n` messages within 1 ms at `at`, and lone messages every 100 ms. */
  function recording(n: number, at: number): MessageRecord[] {
    const out: MessageRecord[] = [];
    for (let k = 0; k < 10; k++) out.push(msg(`lone${k}`, ['A', 'p1'], ['B', 'p2'], T0 + k * 100));
    for (let i = 0; i < n; i++)
      out.push(msg(`b${i}`, ['A', 'p1'], ['B', 'p2'], at + i / n, { dispatchedAt: at + 2 + i / n }));
    return out;
  }

  it('draws lone messages one by one and aggregates a burst, accounting for every message', () => {
    const data = timelineData(model, recording(5000, T0 + 450));
    const layout = layoutLanes(data, new Set(), 200);
    const plan = drawPlan({ data, layout, start: T0 - 10, end: T0 + 1000, width: 1000, now: T0 + 2000 });
    expect(plan.visible).toHaveLength(5010);
    expect(plan.arrows.length + plan.aggregated).toBe(5010);
    const drawn = [...plan.arrows].map((i) => data.records[i]!.id);
    expect(drawn).toEqual(expect.arrayContaining(['lone0', 'lone5', 'lone9']));
    expect(plan.aggregated).toBe(5000);
    const posts = plan.postBins.reduce((a, b) => a + b, 0);
    const dispatches = plan.dispatchBins.reduce((a, b) => a + b, 0);
    expect(posts).toBe(5000);
    expect(dispatches).toBe(5000);
    // The burst is one or two pixel columns tall in lane A, not a comb of 5,000 arrows.
    expect(plan.maxBin).toBeGreaterThan(2000);
  });

  it('zoomed into the burst, draws its messages one by one', () => {
    const data = timelineData(model, recording(50, T0 + 450));
    const layout = layoutLanes(data, new Set(), 200);
    const plan = drawPlan({ data, layout, start: T0 + 449.9, end: T0 + 451.1, width: 1000, now: T0 + 2000 });
    expect(plan.aggregated).toBe(0);
    expect(plan.arrows).toHaveLength(50);
  });

  it('draws every message one by one when the range holds only a few, even on the same pixel', () => {
    const data = timelineData(model, recording(FEW - 10, T0 + 450));
    const layout = layoutLanes(data, new Set(), 200);
    const plan = drawPlan({ data, layout, start: T0 - 10, end: T0 + 1000, width: 1000, now: T0 + 2000 });
    expect(plan.visible).toHaveLength(FEW);
    expect(plan.aggregated).toBe(0);
    const more = timelineData(model, recording(FEW, T0 + 450));
    const crowded = drawPlan({
      data: more,
      layout: layoutLanes(more, new Set(), 200),
      start: T0 - 10,
      end: T0 + 1000,
      width: 1000,
      now: T0 + 2000,
    });
    expect(crowded.aggregated).toBe(FEW);
  });

  it('never draws more than MAX_ARROWS one by one', () => {
    const spread: MessageRecord[] = [];
    for (let i = 0; i < MAX_ARROWS + 500; i++) spread.push(msg(`m${i}`, ['A', 'p1'], ['B', 'p2'], T0 + i * 100));
    const data = timelineData(model, spread);
    const layout = layoutLanes(data, new Set(), 200);
    const plan = drawPlan({ data, layout, start: T0, end: T0 + (MAX_ARROWS + 500) * 100, width: 200_000, now: T0 });
    expect(plan.arrows).toHaveLength(MAX_ARROWS);
    expect(plan.aggregated).toBe(500);
  });

  it('shows a message still queued from before the range, and a delivery that began before it', () => {
    const data = timelineData(model, [
      msg('stuck', ['A', 'p1'], ['B', 'p2'], T0, { state: 'queued', dispatchedAt: undefined }),
      msg('long', ['A', 'p1'], ['B', 'p2'], T0 + 1, { dispatchedAt: T0 + 900 }),
      msg('early', ['A', 'p1'], ['B', 'p2'], T0 + 2, { dispatchedAt: T0 + 3 }),
      msg('inside', ['A', 'p1'], ['B', 'p2'], T0 + 600),
    ]);
    const layout = layoutLanes(data, new Set(), 200);
    const plan = drawPlan({ data, layout, start: T0 + 500, end: T0 + 1000, width: 500, now: T0 + 5000 });
    expect([...plan.visible].map((i) => data.records[i]!.id)).toEqual(['stuck', 'long', 'inside']);
  });

  it('bins posts per column over a range (the overview)', () => {
    const data = timelineData(model, recording(100, T0 + 450));
    const whole = wholeRange(data, T0);
    const { bins, max } = densityBins(data, whole.start, whole.end, 300);
    expect(bins.reduce((a, b) => a + b, 0)).toBe(110);
    // The burst lasts 1 ms: a few columns of the 300 hold its 100 posts.
    expect(max).toBeGreaterThan(20);
  });
});

describe('ticks', () => {
  it('steps are 1, 2 or 5 × 10^n and keep ticks apart', () => {
    for (const [span, width] of [
      [4800, 1000],
      [0.3, 900],
      [73_000, 600],
      [12, 1200],
      [1, 100],
    ] as const) {
      const step = tickStep(span, width);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5]).toContain(Math.round(mantissa * 1e6) / 1e6);
      expect((step / span) * width).toBeGreaterThanOrEqual(90 - 1e-9);
      expect((step / 2 / span) * width).toBeLessThan(90 * 1.25);
    }
    expect(tickStep(4800, 1000)).toBe(500);
  });

  it('ticks are whole multiples of the step from the origin, labelled at the step precision', () => {
    const origin = T0 + 0.37;
    const times = tickTimes(origin + 120, origin + 980, 200, origin);
    expect(times.map((t) => Math.round(t - origin))).toEqual([200, 400, 600, 800]);
    expect(formatTick(0, 500)).toBe('0');
    expect(formatTick(1500, 500)).toBe('1500 ms');
    expect(formatTick(2000, 1000)).toBe('2 s');
    expect(formatTick(2500, 500)).toBe('2500 ms');
    expect(formatTick(3000 * 0.1, 0.1 * 1000)).toBe('300 ms');
    expect(formatTick(0.3, 0.1)).toBe('0.3 ms');
    expect(formatTick(0.04, 0.02)).toBe('0.04 ms');
    expect(formatTick(12_000, 2000)).toBe('12 s');
    expect(formatTick(0.6 * 3, 0.2)).toBe('1.8 ms');
  });
});

describe('ranges', () => {
  const whole = { start: 0, end: 1000 };
  it('zoom keeps the time under the pointer in place and stays inside the recording', () => {
    const r = zoomAt({ start: 0, end: 1000 }, 0.5, 250, whole);
    expect(r).toEqual({ start: 125, end: 625 });
    expect(zoomAt(r, 10, 900, whole)).toEqual(whole);
    expect(
      zoomAt({ start: 10, end: 11 }, 1e-9, 10.5, whole).end - zoomAt({ start: 10, end: 11 }, 1e-9, 10.5, whole).start,
    ).toBeCloseTo(MIN_SPAN);
  });
  it('pan stops at the edges; a drag picks a range either way', () => {
    expect(panBy({ start: 100, end: 300 }, -500, whole)).toEqual({ start: 0, end: 200 });
    expect(panBy({ start: 700, end: 900 }, 500, whole)).toEqual({ start: 800, end: 1000 });
    expect(rangeBetween(600, 200, whole)).toEqual({ start: 200, end: 600 });
    expect(clampRange({ start: -50, end: 5000 }, whole)).toEqual(whole);
  });
  it('the whole recording spans the first post to the last dispatch, not the clock', () => {
    const data = timelineData(modelOf(['A', 'B']), [
      msg('m1', ['A', 'p1'], ['B', 'p2'], T0, { dispatchedAt: T0 + 400 }),
      msg('q', ['A', 'p1'], ['B', 'p2'], T0 + 100, { state: 'queued', dispatchedAt: undefined }),
    ]);
    const r = wholeRange(data, 0);
    expect(r.start).toBeLessThan(T0);
    expect(r.end).toBeGreaterThan(T0 + 400);
    expect(r.end).toBeLessThan(T0 + 420);
  });
});

describe('hit testing and keyboard neighbours', () => {
  const data = timelineData(modelOf(['A', 'B']), [
    msg('m1', ['A', 'p1'], ['B', 'p2'], T0 + 100, { dispatchedAt: T0 + 150 }),
    msg('m2', ['B', 'p2'], ['A', 'p1'], T0 + 200, { dispatchedAt: T0 + 210 }),
    msg('m3', ['A', 'p1'], ['B', 'p2'], T0 + 300, { dispatchedAt: T0 + 320 }),
  ]);
  const layout = layoutLanes(data, new Set(), 0);
  const plan = drawPlan({ data, layout, start: T0, end: T0 + 1000, width: 1000, now: T0 });

  it('finds a message by its post in the sender lane or its dispatch in the receiver lane, within HIT_PX', () => {
    expect(hitTest(data, layout, plan, 100, 0)).toBe(0);
    expect(hitTest(data, layout, plan, 150 + HIT_PX - 1, 1)).toBe(0);
    expect(hitTest(data, layout, plan, 205, 1)).toBe(1);
    expect(hitTest(data, layout, plan, 250, 0)).toBe(-1);
    expect(hitTest(data, layout, plan, 100, 1)).toBe(-1);
    expect(hitTest(data, layout, plan, 100, -1)).toBe(-1);
  });

  it('moves between the messages of a lane, and to the nearest in another', () => {
    expect(stepInRow(data, layout, 0, 0, 1)).toBe(1);
    expect(stepInRow(data, layout, 1, 0, 1)).toBe(2);
    expect(stepInRow(data, layout, 2, 0, 1)).toBe(-1);
    expect(stepInRow(data, layout, 2, 0, -1)).toBe(1);
    expect(nearestInRow(data, layout, 1, T0 + 290)).toBe(2);
    expect(nearestInRow(data, layout, 1, T0)).toBe(0);
  });
});

describe('transfer marks', () => {
  it('marks port transfers in range between known lanes, at most max, and counts the rest', () => {
    const edge = (id: string, time: number, extra: Partial<TransferEdge> = {}): TransferEdge => ({
      id,
      kind: 'port',
      port: 'p2',
      from: 'A',
      to: 'B',
      time,
      carrier: 'window',
      via: 'k1',
      inferred: false,
      ...extra,
    });
    const rows = new Map([
      ['A', 0],
      ['B', 1],
    ]);
    const list = [
      edge('t1', 5),
      edge('t2', 10),
      edge('t3', 20),
      edge('t4', 30),
      edge('t5', 12, { to: null }),
      edge('t6', 13, { kind: 'arraybuffer' }),
      edge('t7', 14, { to: 'C' }),
    ];
    expect(transferMarks(list, rows, 10, 30, 2)).toEqual({
      marks: [
        { time: 10, fromRow: 0, toRow: 1 },
        { time: 20, fromRow: 0, toRow: 1 },
      ],
      inRange: 3,
    });
    expect(transferMarks(list, rows, 0, 100, 500).inRange).toBe(4);
  });
});

describe('colour by wait and markers', () => {
  it('gives no wait colour to a message whose post was not observed', () => {
    const data = timelineData(modelOf(['A', 'B']), [
      msg('seen', ['A', 'p1'], ['B', 'p2'], T0, { dispatchedAt: T0 + 0.2 }),
      msg('inferred', ['A', 'p1'], ['B', 'p2'], T0 + 1, { dispatchedAt: T0 + 1, postObserved: false }),
      msg('counted', ['A', 'p1'], ['B', 'p2'], T0 + 2, { dispatchedAt: T0 + 2, counted: true }),
    ]);
    expect([0, 1, 2].map((i) => WAIT_LEGEND[classOf(data, i)]!.cls)).toEqual(['w0', 'unobserved', 'unobserved']);
  });

  it('classes waits by readable bounds', () => {
    expect([0.2, -1.4, 3, 40, 400, 4000].map(waitClass)).toEqual(['w0', 'w0', 'w1', 'w2', 'w3', 'w4']);
  });
  it('marks navigations in time order, leaving out a time that is not finite', () => {
    const marks = navigationMarkers([
      { time: 9, url: null },
      { time: 5, url: 'http://x/' },
      { time: Number.NaN, url: 'http://y/' },
    ]);
    expect(marks).toEqual([
      { time: 5, label: 'Navigated to http://x/' },
      { time: 9, label: 'Navigated' },
    ]);
    expect(markersIn(marks, 6, 10)).toEqual([{ time: 9, label: 'Navigated' }]);
  });
});
