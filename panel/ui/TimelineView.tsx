/**
 * The Timeline: an overview strip of message density over the whole recording (drag to pick
 * a range), a ruler, and lanes per context (open one into its ports) on a canvas, each
 * message an arrow from its post to its dispatch coloured by its wait, or a density bar where
 * too many share a few pixels. Independent of the Messages table's sort, and of its filter
 * unless "Follow filter" is on. What is drawn is computed in panel/timeline/ (pure, tested in
 * Node); this component holds the interaction state and paints.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { messageRows } from '../messageRows.ts';
import type { ChannelModel } from '../model/types.ts';
import { classOf, drawPlan, type DrawPlan } from '../timeline/drawPlan.ts';
import { hitTest, indexOfMessage, nearestInRow, stepInRow } from '../timeline/hit.ts';
import { layoutLanes, rowAt } from '../timeline/lanes.ts';
import { markersIn, navigationMarkers } from '../timeline/markers.ts';
import { clampRange, panBy, showsAll, wholeRange, zoomAt, type TimeRange } from '../timeline/range.ts';
import { tickStep } from '../timeline/ticks.ts';
import { timelineData } from '../timeline/timelineData.ts';
import { transferMarks } from '../timeline/transferMarks.ts';
import { timelineViewState } from '../timeline/viewState.ts';
import { WAIT_LEGEND } from '../timeline/waitClass.ts';
import { contextName, formatTime, timeOrigin } from './labels.ts';
import { MessageDetail } from './MessageDetail.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';
import { fitCanvas } from './timeline/canvasSize.ts';
import { capture } from './timeline/capture.ts';
import { HoverCard } from './timeline/HoverCard.tsx';
import { Overview } from './timeline/Overview.tsx';
import { paintPlot, paintRuler } from './timeline/paint.ts';
import { readPalette, type Palette } from './timeline/palette.ts';

const RULER = 22;
/** Port transfers marked at once; past it the toolbar says how many more the range holds. */
const MAX_TRANSFER_MARKS = 500;
const TIME_ORDER = { key: 'time', dir: 'asc' } as const;
const BARS_TITLE =
  "Where messages are too close to draw one by one: how many were posted (above the lane's line) " +
  'and dispatched (below it) in each pixel column';
const PLOT_LABEL =
  'Messages over time: arrows from post to dispatch. ' +
  'Arrow keys move between messages, Enter selects, W/S zoom, A/D pan, 0 fits.';

type Command =
  | 'zoom-in'
  | 'zoom-out'
  | 'pan-left'
  | 'pan-right'
  | 'fit'
  | 'next'
  | 'previous'
  | 'lane-below'
  | 'lane-above'
  | 'first'
  | 'last'
  | 'select'
  | 'leave';
/** Keys as the Performance panel has them (W/S zoom, A/D pan), arrows between messages. */
const KEYS: Record<string, Command | undefined> = {
  '+': 'zoom-in',
  '=': 'zoom-in',
  w: 'zoom-in',
  '-': 'zoom-out',
  s: 'zoom-out',
  a: 'pan-left',
  d: 'pan-right',
  '0': 'fit',
  ArrowRight: 'next',
  ArrowLeft: 'previous',
  ArrowDown: 'lane-below',
  ArrowUp: 'lane-above',
  Home: 'first',
  End: 'last',
  Enter: 'select',
  Escape: 'leave',
};
const n = (x: number) => x.toLocaleString('en-US');

/** Width and height of an element, kept current. */
function useSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    const observer = new ResizeObserver(read);
    observer.observe(el);
    read();
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

export function TimelineView() {
  const store = usePanelStore();
  const remembered = timelineViewState(store);
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const terms = usePanel((s) => s.terms);
  const selectedId = usePanel((s) => s.selectedMessage);
  const live = usePanel((s) => s.connection !== 'standalone');
  // Reloads kept by Preserve log (recording.ts); replaced, never changed in place.
  const navigations = usePanel((s) => s.navigations);
  const [followFilter, setFollowFilter] = useState(remembered.followFilter);
  const [expanded, setExpanded] = useState(remembered.expanded);
  const [userRange, setUserRange] = useState<TimeRange | null>(remembered.range);
  const [scrollTop, setScrollTop] = useState(0);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const [palette, setPalette] = useState<Palette | null>(null);

  const scroller = useRef<HTMLDivElement>(null);
  const plotCell = useRef<HTMLDivElement>(null);
  const plotCanvas = useRef<HTMLCanvasElement>(null);
  const rulerCanvas = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x: number; range: TimeRange; moved: boolean } | null>(null);
  const scrollSize = useSize(scroller);
  const cellSize = useSize(plotCell);
  const width = cellSize.width;
  const viewHeight = scrollSize.height;

  useEffect(() => {
    remembered.followFilter = followFilter;
    remembered.expanded = expanded;
    remembered.range = userRange;
  }, [remembered, followFilter, expanded, userRange]);

  // The theme can change while the view is open (main.tsx sets data-theme): read the colours again then.
  useLayoutEffect(() => {
    const read = () => plotCell.current && setPalette(readPalette(plotCell.current));
    read();
    const observer = new MutationObserver(read);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);

  const filterTerms = followFilter ? terms : null;
  // The model mutates in place: `revision` says when to read it again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the model's contents
  const data = useMemo(
    () => timelineData(model, filterTerms ? messageRows(model, filterTerms, TIME_ORDER) : model.messages),
    [model, revision, filterTerms],
  );
  const layout = useMemo(() => layoutLanes(data, expanded, viewHeight), [data, expanded, viewHeight]);
  const origin = timeOrigin(model);
  const whole = useMemo(() => wholeRange(data, origin), [data, origin]);
  const range =
    userRange && userRange.end > whole.start && userRange.start < whole.end ? clampRange(userRange, whole) : whole;
  const now = live ? Date.now() : whole.end;
  // `now` moves every render; only a new revision needs queued arrows redrawn to it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: now is read, revision decides
  const plan = useMemo(
    () => drawPlan({ data, layout, start: range.start, end: range.end, width, now }),
    [data, layout, range.start, range.end, width, live ? revision : 0],
  );
  const step = tickStep(range.end - range.start, Math.max(1, width));
  const markers = useMemo(() => navigationMarkers(navigations), [navigations]);
  const flags = markersIn(markers, range.start, range.end);

  const selected = useMemo(() => indexOfMessage(data, selectedId), [data, selectedId]);
  const cursor = useMemo(() => indexOfMessage(data, cursorId), [data, cursorId]);

  const contextRow = useMemo(() => {
    const map = new Map<string, number>();
    layout.rows.forEach((r, i) => {
      if (r.port === null && r.context !== null) map.set(r.context, i);
    });
    return map;
  }, [layout]);
  // The model mutates in place: `revision` says when to read it again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the model's contents
  const transfers = useMemo(
    () => transferMarks(model.transfers, contextRow, range.start, range.end, MAX_TRANSFER_MARKS),
    [model, revision, contextRow, range.start, range.end],
  );

  // A selection made elsewhere (the Messages table) is brought into view, once per new selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: it runs when the selection changes, not on every pan
  useEffect(() => {
    if (selected < 0) return;
    const t = data.post[selected]!;
    if (t < range.start || t > range.end)
      setUserRange(
        clampRange({ start: t - (range.end - range.start) / 2, end: t + (range.end - range.start) / 2 }, whole),
      );
    const row = layout.rows[layout.senderRow[selected]!];
    const el = scroller.current;
    if (row && el && (row.top < el.scrollTop || row.top + row.height > el.scrollTop + el.clientHeight))
      el.scrollTop = row.top;
  }, [selectedId]);

  useLayoutEffect(() => {
    const canvas = plotCanvas.current;
    if (!canvas || !palette || width <= 0) return;
    const height = Math.min(viewHeight, layout.height);
    const ctx = fitCanvas(canvas, width, height);
    if (!ctx) return;
    paintPlot(ctx, {
      data,
      layout,
      plan,
      palette,
      width,
      height,
      scrollTop,
      now,
      step,
      origin,
      selected,
      cursor,
      hover: hover?.index ?? -1,
      markers,
      transfers: transfers.marks,
    });
  });
  useLayoutEffect(() => {
    const canvas = rulerCanvas.current;
    if (!canvas || !palette || width <= 0) return;
    const ctx = fitCanvas(canvas, width, RULER);
    if (ctx) paintRuler(ctx, range, width, RULER, step, origin, palette, markers);
  });

  // Wheel: zoom at the pointer; horizontal wheel pans; Shift scrolls the lanes. Not passive, to keep the page still.
  const wheel = useRef<(e: WheelEvent) => void>(() => {});
  wheel.current = (e: WheelEvent) => {
    e.preventDefault();
    const rect = plotCanvas.current!.getBoundingClientRect();
    const span = range.end - range.start;
    if (e.shiftKey) {
      if (scroller.current) scroller.current.scrollTop += e.deltaY;
    } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      setUserRange(panBy(range, (e.deltaX / Math.max(1, width)) * span, whole));
    } else {
      const at = range.start + ((e.clientX - rect.left) / Math.max(1, width)) * span;
      setUserRange(zoomAt(range, Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.002))), at, whole));
    }
  };
  useEffect(() => {
    const canvas = plotCanvas.current;
    if (!canvas) return;
    const listener = (e: WheelEvent) => wheel.current(e);
    canvas.addEventListener('wheel', listener, { passive: false });
    return () => canvas.removeEventListener('wheel', listener);
  }, []);

  const pointAt = (e: { clientX: number; clientY: number }) => {
    const rect = plotCanvas.current!.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    return { x, y, index: hitTest(data, layout, plan, x, rowAt(layout, y + scrollTop)) };
  };
  const onDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    capture(e.currentTarget, e.pointerId);
    drag.current = { x: e.clientX, range, moved: false };
  };
  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (d) {
      if (Math.abs(e.clientX - d.x) > 3) d.moved = true;
      if (d.moved) {
        const span = d.range.end - d.range.start;
        setUserRange(panBy(d.range, (-(e.clientX - d.x) / Math.max(1, width)) * span, whole));
        return;
      }
    }
    const p = pointAt(e);
    setHover(p.index >= 0 ? p : null);
  };
  const onUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    const p = pointAt(e);
    if (p.index >= 0) {
      store.getState().selectMessage(data.records[p.index]!.id);
      setCursorId(data.records[p.index]!.id);
    }
  };

  /** Zooms about the keyboard cursor or the selection when either is in view, else about the middle. */
  const zoom = (factor: number) => {
    const focus = [cursor, selected]
      .map((i) => (i >= 0 ? (data.post[i] ?? Number.NaN) : Number.NaN))
      .find((t) => t >= range.start && t <= range.end);
    setUserRange(zoomAt(range, factor, focus ?? (range.start + range.end) / 2, whole));
  };
  const pan = (fraction: number) => setUserRange(panBy(range, (range.end - range.start) * fraction, whole));
  const moveCursorTo = (i: number) => {
    if (i < 0) return;
    setCursorId(data.records[i]!.id);
    const t = data.post[i]!;
    const span = range.end - range.start;
    if (t < range.start || t > range.end) setUserRange(clampRange({ start: t - span / 2, end: t + span / 2 }, whole));
    const row = layout.rows[layout.senderRow[i]!];
    const el = scroller.current;
    if (row && el && (row.top < el.scrollTop || row.top + row.height > el.scrollTop + el.clientHeight))
      el.scrollTop = row.top;
  };
  const onKey = (e: KeyboardEvent) => {
    const command =
      e.ctrlKey || e.metaKey || e.altKey ? undefined : KEYS[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (!command) return;
    e.preventDefault();
    const from = cursor >= 0 ? cursor : selected;
    const row = from >= 0 ? (layout.senderRow[from] ?? -1) : -1;
    const firstVisible = plan.visible.length ? (plan.visible[0] ?? -1) : -1;
    const at = from >= 0 ? (data.post[from] ?? 0) : 0;
    switch (command) {
      case 'zoom-in':
        return zoom(0.8);
      case 'zoom-out':
        return zoom(1.25);
      case 'pan-left':
        return pan(-0.2);
      case 'pan-right':
        return pan(0.2);
      case 'fit':
        return setUserRange(null);
      case 'next':
        return moveCursorTo(from < 0 ? firstVisible : stepInRow(data, layout, from, row, 1));
      case 'previous':
        return moveCursorTo(from < 0 ? firstVisible : stepInRow(data, layout, from, row, -1));
      case 'lane-below':
        return moveCursorTo(from < 0 ? firstVisible : nearestRowMessage(row, 1, at));
      case 'lane-above':
        return moveCursorTo(from < 0 ? firstVisible : nearestRowMessage(row, -1, at));
      case 'first':
        return moveCursorTo(row < 0 ? 0 : stepInRow(data, layout, -1, row, 1));
      case 'last':
        return moveCursorTo(row < 0 ? data.records.length - 1 : stepInRow(data, layout, data.records.length, row, -1));
      case 'select': {
        const m = cursor >= 0 ? data.records[cursor] : undefined;
        if (m) store.getState().selectMessage(m.id);
        return;
      }
      case 'leave':
        return setCursorId(null);
    }
  };
  /** The message nearest time t in the next lane (dir) that has any. */
  const nearestRowMessage = (row: number, dir: 1 | -1, t: number) => {
    for (let r = row + dir; r >= 0 && r < layout.rows.length; r += dir) {
      const i = nearestInRow(data, layout, r, t);
      if (i >= 0) return i;
    }
    return -1;
  };

  const toggle = (context: string | null) => {
    const key = context ?? '';
    // From the latest set, not this render's: two quick clicks must both count.
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  };

  const card = hover ?? (cursor >= 0 && cursorCard(cursor));
  function cursorCard(i: number) {
    const row = layout.rows[layout.senderRow[i]!];
    if (!row) return null;
    const x = ((data.post[i]! - range.start) / Math.max(range.end - range.start, 1e-9)) * width;
    return { index: i, x, y: row.top - scrollTop + row.height / 2 };
  }
  const cardIndex = card ? card.index : -1;
  const aggregatedHere = cardIndex >= 0 && !sortedHas(plan.arrows, cardIndex);
  const binHere = aggregatedHere ? postBinOf(plan, data.post[cardIndex] ?? 0, layout.senderRow[cardIndex] ?? -1) : 0;
  const total = model.messages.length;

  return (
    <div className="split">
      <div className="tl">
        <div className="timeline-tools" role="toolbar" aria-label="Timeline">
          <button type="button" onClick={() => zoom(0.8)} aria-label="Zoom in" title="Zoom in (W, +, wheel)">
            +
          </button>
          <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom out" title="Zoom out (S, −, wheel)">
            −
          </button>
          <button
            type="button"
            onClick={() => setUserRange(null)}
            disabled={showsAll(range, whole)}
            title="Show the whole recording (0)"
          >
            Fit
          </button>
          <label className="tl-follow" title="Draw only the messages the Messages filter keeps">
            <input type="checkbox" checked={followFilter} onChange={(e) => setFollowFilter(e.target.checked)} />
            Follow filter
          </label>
          <span className="tl-counts muted" data-testid="timeline-counts">
            {followFilter && data.records.length !== total
              ? `${n(data.records.length)} of ${n(total)} messages (filtered)`
              : `${n(data.records.length)} messages`}
            {data.records.length > 0 && plan.visible.length === 0 ? (
              <span className="tl-aggregated"> · none in this range (press 0 to see all)</span>
            ) : null}
            {transfers.inRange > transfers.marks.length ? (
              <span className="tl-aggregated">
                {` · ${n(transfers.marks.length)} of ${n(transfers.inRange)} port transfers marked (zoom in)`}
              </span>
            ) : null}
            {plan.aggregated ? (
              <span
                className="tl-aggregated"
                title="Too close together to draw one by one: drawn as density bars. Zoom in to see each."
              >
                {` · ${n(plan.aggregated)} messages aggregated at this zoom`}
              </span>
            ) : null}
          </span>
          <ul className="tl-legend" aria-label="Colour: wait in the port message queue">
            {WAIT_LEGEND.map((l) => (
              <li
                key={l.cls}
                title={
                  l.cls === 'unobserved'
                    ? 'one end not observed: a receiver whose dispatch cannot be seen, ' +
                      'or a post inferred, counted or evicted'
                    : undefined
                }
              >
                <span className={`tl-swatch tl-${l.cls}`} aria-hidden="true" />
                {l.label}
              </li>
            ))}
            <li title={BARS_TITLE}>bars: ▲ posted ▼ dispatched</li>
          </ul>
        </div>
        <div className="tl-row">
          <div className="tl-gutter muted">all</div>
          <Overview data={data} whole={whole} view={range} palette={palette} markers={markers} onRange={setUserRange} />
        </div>
        <div className="tl-row tl-ruler-row">
          <div className="tl-gutter muted">{`step ${step >= 1000 ? `${step / 1000} s` : `${step} ms`}`}</div>
          <div className="tl-ruler-cell">
            <div aria-hidden="true">
              <canvas ref={rulerCanvas} className="tl-ruler" />
            </div>
            {flags.length ? (
              <ul className="tl-navs" aria-label="Navigations (Preserve log)">
                {flags.map((m) => (
                  <li
                    key={m.time}
                    className="tl-nav"
                    style={{ left: ((m.time - range.start) / Math.max(range.end - range.start, 1e-9)) * width }}
                    title={`${m.label} at ${formatTime(m.time, origin)} (Preserve log kept what came before)`}
                    data-time={m.time}
                  >
                    <span aria-hidden="true">↻</span>
                    <span className="sr-only">{`${m.label} at ${formatTime(m.time, origin)}`}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
        <div className="tl-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
          {data.records.length === 0 ? (
            <p className="empty-rows">
              {followFilter && model.messages.length
                ? 'No message matches the filter.'
                : 'No message posted on a MessagePort yet.'}
            </p>
          ) : null}
          <div className="tl-body" style={{ height: layout.height }}>
            <div className="tl-labels">
              {layout.rows.map((r) => (
                <div
                  key={r.key}
                  className={`tl-label${r.port ? ' tl-port' : ''}`}
                  style={{ top: r.top, height: r.height }}
                  data-row={r.key}
                >
                  {r.port === null && r.expandable ? (
                    <button
                      type="button"
                      className="tl-toggle"
                      aria-expanded={r.expanded}
                      onClick={() => toggle(r.context)}
                      title={r.expanded ? 'Show as one lane' : 'Show its ports'}
                    >
                      {r.expanded ? '▾' : '▸'}
                    </button>
                  ) : (
                    <span className="tl-toggle" aria-hidden="true" />
                  )}
                  <span
                    className="tl-name page-text"
                    title={
                      r.context === null ? 'receiving port held by a context not known' : contextName(model, r.context)
                    }
                  >
                    {r.port !== null
                      ? portLabel(model, r.port)
                      : r.context === null
                        ? 'receiver unknown'
                        : contextName(model, r.context)}
                  </span>
                </div>
              ))}
            </div>
            <div className="tl-plot-cell" ref={plotCell}>
              <canvas
                ref={plotCanvas}
                className="tl-plot"
                tabIndex={0}
                aria-label={PLOT_LABEL}
                data-start={range.start}
                data-end={range.end}
                data-whole-start={whole.start}
                data-whole-end={whole.end}
                data-messages={data.records.length}
                data-in-range={plan.visible.length}
                data-drawn={plan.arrows.length}
                data-aggregated={plan.aggregated}
                data-navigations={flags.length}
                data-selected={selected >= 0 ? data.records[selected]!.id : ''}
                onKeyDown={onKey}
                onPointerDown={onDown}
                onPointerMove={onMove}
                onPointerUp={onUp}
                onPointerLeave={() => setHover(null)}
                onBlur={() => setCursorId(null)}
              />
            </div>
          </div>
          {card && cardIndex >= 0 ? (
            <HoverCard
              model={model}
              message={data.records[cardIndex]!}
              x={card.x}
              y={card.y + scrollTop}
              above={card.y > viewHeight / 2}
              width={width}
              origin={origin}
              now={now}
              aggregated={aggregatedHere ? Math.max(1, binHere) : 0}
              waitClass={WAIT_LEGEND[classOf(data, cardIndex)]?.cls ?? 'unobserved'}
            />
          ) : null}
        </div>
        <p className="sr-only" aria-live="polite">
          {cursor >= 0
            ? `message ${data.records[cursor]!.id}${cursor === selected ? ', selected' : ', Enter selects'}`
            : ''}
        </p>
      </div>
      {selectedId ? (
        <section className="detail" aria-label="Message details">
          <MessageDetail />
        </section>
      ) : null}
    </div>
  );
}

function portLabel(model: ChannelModel, port: string): string {
  const channel = model.ports.get(port)?.channel;
  const library = channel ? model.channels.get(channel)?.library : undefined;
  return `port ${port}${channel ? ` · ${channel}` : ''}${library ? ` · ${library}` : ''}`;
}

/** How many posts the density bin holding a post time in a row counts (0 when none). */
function postBinOf(plan: DrawPlan, time: number, row: number): number {
  if (row < 0 || time < plan.start || time > plan.end) return 0;
  const col = Math.min(
    plan.width - 1,
    Math.floor(((time - plan.start) * plan.width) / Math.max(plan.end - plan.start, 1e-9)),
  );
  return plan.postBins[row * plan.width + col] ?? 0;
}

function sortedHas(list: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
