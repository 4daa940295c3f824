/**
 * A sequence diagram in SVG: one lane per context, each message an arrow from its post
 * (sender's lane) to its dispatch (receiver's lane), so the horizontal run is the time it
 * waited in the port message queue. Port transfers are diamonds. Wheel or +/− zoom,
 * drag or arrow keys pan, clicking an arrow selects the message.
 */
import { useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from 'react';
import { contextName, formatTime, receiverContext, timeOrigin } from './labels.ts';
import { MessageDetail } from './MessageDetail.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';
import { useRows } from './useRows.ts';

const LANE = 40;
const LABEL = 180;
const WIDTH = 1000;
const AXIS = 24;
/** Arrows drawn at once; the rest of the window is counted, so zoom in to see them. */
const MAX_ARROWS = 2000;

interface TimeWindow {
  start: number;
  span: number;
}

export function TimelineView() {
  const store = usePanelStore();
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const selected = usePanel((s) => s.selectedMessage);
  const live = usePanel((s) => s.connection !== 'standalone');
  const rows = useRows();
  const [view, setView] = useState<TimeWindow | null>(null);
  const drag = useRef<{ x: number; start: number } | null>(null);

  const lanes = useMemo(() => [...model.contexts.keys()], [model, revision]);
  const laneOf = useMemo(() => new Map(lanes.map((id, i) => [id, i])), [lanes]);
  const origin = timeOrigin(model);
  const last = rows.at(-1);
  // Fit to the events; arrows of messages still waiting run out to the right edge ("now").
  const end = Math.max(origin + 1, ...(last ? [last.postedAt, last.dispatchedAt ?? 0] : []));
  const full: TimeWindow = { start: origin, span: Math.max(1, end - origin) * 1.02 };
  const win = view ?? full;
  const x = (t: number) => LABEL + ((t - win.start) / win.span) * (WIDTH - LABEL - 10);
  const y = (ctx: string | null) => AXIS + (ctx && laneOf.has(ctx) ? laneOf.get(ctx)! : lanes.length) * LANE + LANE / 2;
  const height = AXIS + (lanes.length + 1) * LANE;
  const now = live ? Date.now() : end;

  const zoom = (factor: number, at = win.start + win.span / 2) => {
    const span = Math.max(0.05, Math.min(full.span * 4, win.span * factor));
    setView({ start: at - ((at - win.start) / win.span) * span, span });
  };
  const pan = (fraction: number) => setView({ start: win.start + win.span * fraction, span: win.span });

  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) pan((e.deltaX || e.deltaY) / 1000);
    else zoom(e.deltaY > 0 ? 1.25 : 0.8);
  };
  const onKey = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = { '+': () => zoom(0.8), '=': () => zoom(0.8), '-': () => zoom(1.25), ArrowLeft: () => pan(-0.1), ArrowRight: () => pan(0.1), '0': () => setView(null) };
    const act = keys[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  };
  const onDown = (e: PointerEvent<SVGSVGElement>) => {
    if ((e.target as Element).closest('.arrow')) return;
    drag.current = { x: e.clientX, start: win.start };
  };
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!drag.current) return;
    const w = e.currentTarget.getBoundingClientRect().width || WIDTH;
    const dt = ((e.clientX - drag.current.x) / w) * win.span * (WIDTH / (WIDTH - LABEL));
    setView({ start: drag.current.start - dt, span: win.span });
  };

  const winEnd = win.start + win.span;
  const inWindow = rows.filter((m) => (m.dispatchedAt ?? (m.state === 'queued' ? now : m.postedAt)) >= win.start && m.postedAt <= winEnd);
  const drawn = inWindow.length > MAX_ARROWS ? inWindow.slice(-MAX_ARROWS) : inWindow;
  const moves = model.transfers.filter((t) => t.time >= win.start && t.time <= winEnd).slice(-500);
  const ticks = Array.from({ length: 6 }, (_, i) => win.start + (win.span * i) / 5);

  return (
    <div className="split">
      <div className="timeline-wrap">
        <div className="timeline-tools" role="toolbar" aria-label="Timeline zoom">
          <button type="button" onClick={() => zoom(0.8)} aria-label="Zoom in">+</button>
          <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom out">−</button>
          <button type="button" onClick={() => pan(-0.25)} aria-label="Pan left">◀</button>
          <button type="button" onClick={() => pan(0.25)} aria-label="Pan right">▶</button>
          <button type="button" onClick={() => setView(null)}>Fit</button>
          <span className="muted">
            {`${drawn.length} of ${rows.length} messages drawn`}
            {inWindow.length > drawn.length ? ` (${inWindow.length - drawn.length} more in this window: zoom in)` : ''}
          </span>
        </div>
        <svg
          className="timeline"
          viewBox={`0 0 ${WIDTH} ${height}`}
          overflow="hidden"
          width="100%"
          height={height}
          preserveAspectRatio="none"
          role="img"
          aria-label="Message timeline: contexts as lanes, messages as arrows from post to dispatch"
          tabIndex={0}
          onKeyDown={onKey}
          onWheel={onWheel}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={() => (drag.current = null)}
          onPointerLeave={() => (drag.current = null)}
        >
          <defs>
            <clipPath id="plot">
              <rect x={LABEL} y={0} width={WIDTH - LABEL} height={height} />
            </clipPath>
            <marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="arrowhead" />
            </marker>
          </defs>
          {ticks.map((t, i) => (
            <g key={i}>
              <line x1={x(t)} x2={x(t)} y1={AXIS - 4} y2={height} className="tick" />
              <text x={x(t) + 2} y={AXIS - 8} className="tick-label">{formatTime(t, origin)}</text>
            </g>
          ))}
          {lanes.map((id, i) => (
            <g key={id}>
              <line x1={LABEL} x2={WIDTH} y1={y(id)} y2={y(id)} className="lane" />
              <text x={4} y={AXIS + i * LANE + LANE / 2 + 4} className="lane-label">{contextName(model, id).slice(0, 28)}</text>
            </g>
          ))}
          <text x={4} y={y(null) + 4} className="lane-label muted-fill">unknown receiver</text>
          <rect x={0} y={AXIS} width={LABEL - 4} height={height - AXIS} className="lane-gutter" />
          <g clipPath="url(#plot)">
          {drawn.map((m) => {
            const x1 = x(m.postedAt);
            // Unobserved receivers have no dispatch time: the arrow only says where it went.
            const x2 = m.state === 'dropped' || m.state === 'unobserved' ? x1 : x(m.dispatchedAt ?? now);
            const y1 = y(m.from.context);
            const y2 = m.state === 'dropped' ? y1 : y(receiverContext(model, m));
            const bend = y1 === y2 ? -LANE / 2.5 : 0;
            const d = `M${x1},${y1} C${x1 + (x2 - x1) / 3},${y1 + bend} ${x2 - (x2 - x1) / 3},${y2 + bend} ${x2},${y2}`;
            return (
              <g
                key={m.id}
                className={`arrow state-${m.state}${m.id === selected ? ' selected' : ''}`}
                role="button"
                aria-label={`message ${m.id}, ${m.state}`}
                onClick={() => store.getState().selectMessage(m.id)}
              >
                <title>{`${m.id} ${m.from.port} → ${m.to.port ?? '?'} · ${m.state}${m.dispatchedAt ? ` · waited ${(m.dispatchedAt - m.postedAt).toFixed(1)} ms` : ''}`}</title>
                <path d={d} className="hit" />
                <path d={d} className="line" markerEnd={m.state === 'dropped' ? undefined : 'url(#head)'} />
                <circle cx={x1} cy={y1} r={2.5} className="post" />
                {m.state === 'dropped' ? <path d={`M${x1 - 4},${y1 - 4} l8,8 m0,-8 l-8,8`} className="drop" /> : null}
              </g>
            );
          })}
          {moves.map((t) => {
            const tx = x(t.time);
            const ty1 = y(t.from);
            const ty2 = y(t.to);
            return (
              <g key={t.id} className="move">
                <title>{`${t.kind === 'port' ? `port ${t.port}` : t.kind} transferred via ${t.carrier}${t.inferred ? ' (inferred)' : ''}`}</title>
                <line x1={tx} x2={tx} y1={ty1} y2={ty2} className="move-line" />
                <path d={`M${tx},${ty2 - 6} l6,6 l-6,6 l-6,-6 z`} className="move-mark" />
              </g>
            );
          })}
          </g>
        </svg>
      </div>
      <div className="detail" role="region" aria-label="Message details">
        <MessageDetail />
      </div>
    </div>
  );
}
