/**
 * Painting the timeline's canvases from a computed plan (panel/timeline/): this module only
 * draws. Strokes are batched per colour class, so a frame costs a few canvas calls per class
 * plus one rectangle per non-empty bin.
 */
import type { DrawPlan } from '../../timeline/drawPlan.ts';
import { classOf, tailOf } from '../../timeline/drawPlan.ts';
import type { LaneLayout } from '../../timeline/lanes.ts';
import type { NavigationMarker } from '../../timeline/markers.ts';
import { DROPPED, UNOBSERVED, type TimelineData } from '../../timeline/timelineData.ts';
import { formatTick, tickTimes } from '../../timeline/ticks.ts';
import type { TransferMark } from '../../timeline/transferMarks.ts';
import type { TimeRange } from '../../timeline/range.ts';
import { WAIT_LEGEND } from '../../timeline/waitClass.ts';
import type { Palette } from './palette.ts';

const FONT = '11px system-ui, "Segoe UI", Roboto, Ubuntu, sans-serif';

export interface PlotPaint {
  data: TimelineData;
  layout: LaneLayout;
  plan: DrawPlan;
  palette: Palette;
  width: number;
  height: number;
  /** Vertical scroll of the lanes (the canvas stays put, the rows move). */
  scrollTop: number;
  now: number;
  step: number;
  origin: number;
  selected: number;
  cursor: number;
  hover: number;
  markers: readonly NavigationMarker[];
  transfers: readonly TransferMark[];
}

export function paintPlot(ctx: CanvasRenderingContext2D, p: PlotPaint): void {
  const { data, layout, plan, palette, width, height, scrollTop } = p;
  const scale = width / Math.max(plan.end - plan.start, 1e-9);
  const xOf = (t: number) => (t - plan.start) * scale;
  const mid = (row: number) => {
    const r = layout.rows[row]!;
    return r.top - scrollTop + r.height / 2;
  };
  ctx.clearRect(0, 0, width, height);

  // Lanes: context rows plain, port rows shaded, a line under each.
  const firstRow = Math.max(
    0,
    layout.rows.findIndex((r) => r.top + r.height > scrollTop),
  );
  let lastRow = firstRow;
  for (let i = firstRow; i < layout.rows.length; i++) {
    const r = layout.rows[i]!;
    const top = r.top - scrollTop;
    if (top > height) break;
    lastRow = i;
    ctx.fillStyle = r.port ? palette.bgAlt : palette.bg;
    ctx.fillRect(0, top, width, r.height);
    ctx.fillStyle = palette.lane;
    ctx.fillRect(0, top + r.height - 1, width, 1);
    // The lane's line: posts rise above it, dispatches hang below it.
    if (!r.expanded) {
      ctx.globalAlpha = 0.6;
      ctx.fillRect(0, Math.round(top + r.height / 2), width, 1);
      ctx.globalAlpha = 1;
    }
  }

  // Grid at the ruler's ticks.
  ctx.fillStyle = palette.lane;
  for (const t of tickTimes(plan.start, plan.end, p.step, p.origin)) ctx.fillRect(Math.round(xOf(t)), 0, 1, height);

  // Density bars: posts rise above a lane's middle, dispatches hang below it.
  if (plan.maxBin > 0) {
    const logMax = Math.log2(1 + plan.maxBin);
    for (let row = firstRow; row <= lastRow && row < layout.rows.length; row++) {
      const r = layout.rows[row]!;
      const m = mid(row);
      const half = r.height / 2 - 3;
      const base = row * plan.width;
      for (let c = 0; c < plan.width; c++) {
        const up = plan.postBins[base + c]!;
        const down = plan.dispatchBins[base + c]!;
        if (up) {
          const h = Math.max(2, (half * Math.log2(1 + up)) / logMax);
          ctx.fillStyle = palette.wait[plan.postClass[base + c]!]!;
          ctx.fillRect(c, m - h, 1, h);
        }
        if (down) {
          const h = Math.max(2, (half * Math.log2(1 + down)) / logMax);
          ctx.fillStyle = palette.wait[plan.dispatchClass[base + c]!]!;
          ctx.globalAlpha = 0.55;
          ctx.fillRect(c, m, 1, h);
          ctx.globalAlpha = 1;
        }
      }
    }
  }

  // Arrows, one path per colour class.
  const lines = WAIT_LEGEND.map(() => new Path2D());
  const heads = WAIT_LEGEND.map(() => new Path2D());
  const dots = WAIT_LEGEND.map(() => new Path2D());
  const queuedClass = WAIT_LEGEND.findIndex((l) => l.cls === 'queued');
  for (const i of plan.arrows) {
    const k = classOf(data, i);
    arrowPath(i, lines[k]!, heads[k]!, dots[k]!);
  }
  ctx.lineWidth = 1.25;
  for (let k = 0; k < WAIT_LEGEND.length; k++) {
    ctx.strokeStyle = palette.wait[k]!;
    ctx.fillStyle = palette.wait[k]!;
    ctx.setLineDash(k === queuedClass ? [4, 3] : []);
    ctx.stroke(lines[k]!);
    ctx.fill(heads[k]!);
    ctx.fill(dots[k]!);
  }
  ctx.setLineDash([]);

  function arrowPath(i: number, line: Path2D, tip: Path2D, dot: Path2D) {
    const from = layout.senderRow[i]!;
    const to = layout.receiverRow[i]!;
    if (from < 0) return;
    const x1 = xOf(data.post[i]!);
    const y1 = mid(from);
    dot.moveTo(x1 + 2.5, y1);
    dot.arc(x1, y1, 2.5, 0, Math.PI * 2);
    if (data.state[i] === DROPPED) {
      line.moveTo(x1 - 4, y1 - 4);
      line.lineTo(x1 + 4, y1 + 4);
      line.moveTo(x1 + 4, y1 - 4);
      line.lineTo(x1 - 4, y1 + 4);
      return;
    }
    const y2 = to >= 0 ? mid(to) : y1;
    // A receiver not observed has no dispatch time: the arrow only says where it went.
    const x2 = data.state[i] === UNOBSERVED ? x1 : xOf(tailOf(data, i, p.now));
    const same = to === from;
    const bend = same ? -Math.min(18, layout.rows[from]!.height * 0.4) : 0;
    line.moveTo(x1, y1);
    line.bezierCurveTo(x1 + (x2 - x1) / 3, y1 + bend, x2 - (x2 - x1) / 3, y2 + bend, x2, y2);
    if (x2 <= width + 4) head(tip, x2, y2, same ? 0 : Math.atan2(y2 - y1, x2 - x1), same);
  }

  // Port transfers: a diamond where the port left, a dotted line to where it went.
  if (p.transfers.length) {
    ctx.strokeStyle = palette.accent;
    ctx.fillStyle = palette.accent;
    ctx.setLineDash([1, 2]);
    for (const t of p.transfers) {
      const x = xOf(t.time);
      ctx.beginPath();
      ctx.moveTo(x, mid(t.fromRow));
      ctx.lineTo(x, mid(t.toRow));
      ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const t of p.transfers) diamond(ctx, xOf(t.time), mid(t.toRow), 5);
  }

  // Navigation markers across every lane.
  if (p.markers.length) {
    ctx.fillStyle = palette.accent;
    for (const m of p.markers)
      if (m.time >= plan.start && m.time <= plan.end) ctx.fillRect(Math.round(xOf(m.time)), 0, 2, height);
  }

  // Hover and keyboard cursor: a ring; the selection: a halo, a thick line, a guide.
  for (const [i, dashed] of [
    [p.hover, false],
    [p.cursor, true],
  ] as const) {
    if (i < 0 || i === p.selected || layout.senderRow[i]! < 0) continue;
    ctx.strokeStyle = palette.text;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(dashed ? [2, 2] : []);
    ctx.beginPath();
    ctx.arc(xOf(data.post[i]!), mid(layout.senderRow[i]!), 6, 0, Math.PI * 2);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const s = p.selected;
  if (s >= 0 && layout.senderRow[s]! >= 0) {
    const x = xOf(data.post[s]!);
    ctx.fillStyle = palette.accent;
    ctx.globalAlpha = 0.35;
    ctx.fillRect(Math.round(x), 0, 1, height);
    ctx.globalAlpha = 1;
    const line = new Path2D();
    const tip = new Path2D();
    arrowPath(s, line, tip, new Path2D());
    ctx.lineCap = 'round';
    ctx.strokeStyle = palette.bg;
    ctx.lineWidth = 7;
    ctx.stroke(line);
    ctx.strokeStyle = palette.accent;
    ctx.lineWidth = 3;
    ctx.stroke(line);
    ctx.lineCap = 'butt';
    ctx.fillStyle = palette.accent;
    ctx.fill(tip);
    ctx.beginPath();
    ctx.arc(x, mid(layout.senderRow[s]!), 5, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = palette.bg;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
}

function head(path: Path2D, x: number, y: number, angle: number, down: boolean): void {
  const a = down ? Math.PI / 2.6 : angle;
  const len = 6;
  path.moveTo(x, y);
  path.lineTo(x - len * Math.cos(a - 0.45), y - len * Math.sin(a - 0.45));
  path.lineTo(x - len * Math.cos(a + 0.45), y - len * Math.sin(a + 0.45));
  path.closePath();
}

function diamond(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fill();
}

export function paintRuler(
  ctx: CanvasRenderingContext2D,
  range: TimeRange,
  width: number,
  height: number,
  step: number,
  origin: number,
  palette: Palette,
  markers: readonly NavigationMarker[],
): void {
  ctx.clearRect(0, 0, width, height);
  const scale = width / Math.max(range.end - range.start, 1e-9);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  for (const t of tickTimes(range.start, range.end, step, origin)) {
    const x = Math.round((t - range.start) * scale);
    ctx.fillStyle = palette.lane;
    ctx.fillRect(x, height - 6, 1, 6);
    ctx.fillStyle = palette.muted;
    ctx.fillText(formatTick(t - origin, step), x + 3, height / 2 - 1);
  }
  ctx.fillStyle = palette.accent;
  for (const m of markers) {
    if (m.time < range.start || m.time > range.end) continue;
    const x = Math.round((m.time - range.start) * scale);
    ctx.fillRect(x, 0, 2, height);
  }
}

export interface OverviewPaint {
  bins: Uint32Array;
  max: number;
  whole: TimeRange;
  view: TimeRange;
  width: number;
  height: number;
  palette: Palette;
  markers: readonly NavigationMarker[];
}

export function paintOverview(ctx: CanvasRenderingContext2D, o: OverviewPaint): void {
  const { bins, max, whole, view, width, height, palette } = o;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = palette.bgAlt;
  ctx.fillRect(0, 0, width, height);
  if (max > 0) {
    ctx.fillStyle = palette.muted;
    const logMax = Math.log2(1 + max);
    for (let c = 0; c < bins.length; c++) {
      const n = bins[c]!;
      if (!n) continue;
      const h = Math.max(1.5, ((height - 4) * Math.log2(1 + n)) / logMax);
      ctx.fillRect(c, height - h, 1, h);
    }
  }
  const scale = width / Math.max(whole.end - whole.start, 1e-9);
  ctx.fillStyle = palette.accent;
  for (const m of o.markers) ctx.fillRect(Math.round((m.time - whole.start) * scale), 0, 2, height);
  const x1 = (view.start - whole.start) * scale;
  const x2 = (view.end - whole.start) * scale;
  // Outside the main view's range is dimmed; the range itself is framed.
  ctx.fillStyle = palette.bg;
  ctx.globalAlpha = 0.6;
  ctx.fillRect(0, 0, Math.max(0, x1), height);
  ctx.fillRect(x2, 0, Math.max(0, width - x2), height);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = palette.accent;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(Math.max(0.75, x1), 0.75, Math.max(2, Math.min(width - 0.75, x2) - Math.max(0.75, x1)), height - 1.5);
}
