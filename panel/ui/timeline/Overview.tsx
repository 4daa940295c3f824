/**
 * The overview strip: message density over the whole recording, the main view's range framed
 * in it. Drag to choose a range, click to centre the range there, double-click for the whole.
 */
import { useLayoutEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { densityBins } from '../../timeline/drawPlan.ts';
import type { NavigationMarker } from '../../timeline/markers.ts';
import { clampRange, rangeBetween, type TimeRange } from '../../timeline/range.ts';
import type { TimelineData } from '../../timeline/timelineData.ts';
import { capture } from './capture.ts';
import { fitCanvas } from './canvasSize.ts';
import { paintOverview } from './paint.ts';
import type { Palette } from './palette.ts';

const HEIGHT = 36;

export function Overview(props: {
  data: TimelineData;
  whole: TimeRange;
  view: TimeRange;
  palette: Palette | null;
  markers: readonly NavigationMarker[];
  onRange(range: TimeRange | null): void;
}) {
  const { data, whole, view, palette } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const press = useRef<{ t: number; x: number; moved: boolean } | null>(null);

  useLayoutEffect(() => {
    const el = canvas.current?.parentElement;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  const density = useMemo(
    () => densityBins(data, whole.start, whole.end, width),
    [data, whole.start, whole.end, width],
  );

  useLayoutEffect(() => {
    if (!canvas.current || !palette || width <= 0) return;
    const ctx = fitCanvas(canvas.current, width, HEIGHT);
    if (ctx)
      paintOverview(ctx, {
        bins: density.bins,
        max: density.max,
        whole,
        view,
        width,
        height: HEIGHT,
        palette,
        markers: props.markers,
      });
  });

  const timeAt = (clientX: number) => {
    const rect = canvas.current!.getBoundingClientRect();
    return whole.start + ((clientX - rect.left) / Math.max(1, rect.width)) * (whole.end - whole.start);
  };
  const onDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    capture(e.currentTarget, e.pointerId);
    press.current = { t: timeAt(e.clientX), x: e.clientX, moved: false };
  };
  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const p = press.current;
    if (!p) return;
    if (Math.abs(e.clientX - p.x) > 3) p.moved = true;
    if (p.moved) props.onRange(rangeBetween(p.t, timeAt(e.clientX), whole));
  };
  const onUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const p = press.current;
    press.current = null;
    if (!p || p.moved) return;
    const span = view.end - view.start;
    const t = timeAt(e.clientX);
    props.onRange(clampRange({ start: t - span / 2, end: t + span / 2 }, whole));
  };

  return (
    <div className="tl-overview-cell">
      <canvas
        ref={canvas}
        className="tl-overview"
        role="img"
        aria-label={
          `Message density over the whole recording (${data.records.length.toLocaleString('en-US')} messages); ` +
          'drag to choose the range shown below'
        }
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onDoubleClick={() => props.onRange(null)}
      />
    </div>
  );
}
