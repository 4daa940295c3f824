/**
 * The graph of contexts and ports (panel/graph/layout.ts) drawn in SVG: boxes for contexts,
 * chips for ports, edges for channels, dashed arrows for the path a transferred port took.
 * A chip or an edge selects its port (the selection every view shares); a box header asks
 * the Channels tree to show that context. Page text is drawn as SVG text, never as markup.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import {
  CHIP_H,
  CHIP_W,
  EDGE_CAP,
  HEADER,
  layoutGraph,
  type GraphEdge,
  type GraphLayout,
  type Point,
} from '../graph/layout.ts';
import { plural } from './labels.ts';
import { channelName } from './channelName.ts';
import { usePanel, usePanelStore } from './storeContext.ts';

const SELECTED = ' selected';
const PROBLEM = ' problem';

const STATE_TEXT = {
  enabled: 'enabled (started)',
  'not-started': 'not started',
  unknown: 'state unknown: its holder is not observed',
  closed: 'closed',
} as const;

function edgePath(e: GraphEdge): string {
  const { from: a, to: b } = e;
  if (e.loop) {
    // Two chips of one box: a shallow arc through the gap under their row (an arc above would
    // cross the box's label), or a straight line between rows.
    if (a.y !== b.y) return `M${a.x},${a.y} L${b.x},${b.y}`;
    const sag = CHIP_H / 2 + 5;
    return `M${a.x},${a.y} C${a.x},${a.y + sag} ${b.x},${b.y + sag} ${b.x},${b.y}`;
  }
  const dy = Math.max(24, Math.abs(b.y - a.y) / 2);
  const down = b.y >= a.y ? dy : -dy;
  return `M${a.x},${a.y} C${a.x},${a.y + down} ${b.x},${b.y - down} ${b.x},${b.y}`;
}

/** A few channel ids, for a title. */
const listed = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;

const foldTitle = (ports: number, within: number) =>
  `${ports} more ports here, folded${within ? ` (${within} channels between them)` : ''}: ` +
  'select one from a message or a diagnostic';

const pathOf = (points: Point[]) => points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');

function activate(e: KeyboardEvent, run: () => void) {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  run();
}

/** The width the graph is laid out in: its container's, followed as DevTools is resized. */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(720);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const watch = new ResizeObserver(() => setWidth(Math.max(240, Math.floor(el.clientWidth) - 16)));
    watch.observe(el);
    return () => watch.disconnect();
  }, []);
  return [ref, width];
}

export function GraphView({
  hidden,
  onContext,
}: {
  hidden: (channel: string) => boolean;
  onContext: (id: string) => void;
}) {
  const store = usePanelStore();
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const selected = usePanel((s) => s.selectedPort);
  const [ref, width] = useWidth();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the model is mutable; its revision says it changed
  const layout: GraphLayout = useMemo(
    () => layoutGraph(model, { width, hidden, selectedPort: selected }),
    [model, revision, width, hidden, selected],
  );
  const selectedChannel = selected ? model.ports.get(selected)?.channel : undefined;
  const select = (port: string | null) => store.getState().selectPort(port);
  const n = layout.notes;
  const moved = layout.paths.length + n.pathsOmitted;
  return (
    <div className="graph-wrap" ref={ref}>
      <svg
        className="graph"
        width={layout.width + 4}
        height={layout.height + 4}
        aria-label="Contexts, ports and channels"
      >
        <defs>
          <marker
            id="graph-arrow"
            viewBox="0 0 8 8"
            refX="7"
            refY="4"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L8,4 L0,8 z" className="graph-arrowhead" />
          </marker>
        </defs>
        <g transform="translate(2,2)">
          {layout.boxes.map((b) => (
            <g
              key={b.id}
              className={`graph-box kind-${b.kind}${b.observed ? '' : ' unobserved'}${b.destroyed ? ' gone' : ''}`}
              data-context={b.id}
            >
              <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={4} />
              <g
                className="graph-box-head"
                role="button"
                tabIndex={0}
                aria-label={`${b.title}: show in the tree`}
                onClick={() => onContext(b.id)}
                onKeyDown={(e) => activate(e, () => onContext(b.id))}
              >
                <title>{`${b.title}${b.observed ? '' : ' (not observed)'}${b.destroyed ? ' (gone)' : ''}`}</title>
                <rect x={b.x} y={b.y} width={b.w} height={HEADER} rx={4} className="graph-box-hit" />
                <text x={b.x + 8} y={b.y + 15} className="graph-box-label">
                  {b.label}
                </text>
              </g>
            </g>
          ))}
          {layout.paths.map((p) => (
            <path
              key={`t-${p.port}`}
              d={pathOf(p.points)}
              className={`graph-path${p.port === selected ? ' selected' : ''}`}
              markerEnd="url(#graph-arrow)"
            >
              <title>{`port ${p.port} was transferred: the path it took through its holders`}</title>
            </path>
          ))}
          {layout.edges.map((e) => {
            const on = selectedChannel !== undefined && e.channels.includes(selectedChannel);
            const first = model.channels.get(e.channels[0]!);
            const title =
              e.channels.length > 1
                ? `${e.channels.length} channels (${listed(e.channels)})`
                : `channel ${e.channels[0]}: ${channelName(first)}`;
            return (
              <g
                key={e.channels[0]}
                className={`graph-edge${on ? ' selected' : ''}${e.bundle ? ' bundle' : ''}`}
                role="button"
                tabIndex={0}
                aria-label={title}
                onClick={() => select(first?.ports[0] ?? null)}
                onKeyDown={(ev) => activate(ev, () => select(first?.ports[0] ?? null))}
              >
                <title>{title}</title>
                <path d={edgePath(e)} className="graph-edge-hit" />
                <path
                  d={edgePath(e)}
                  className="graph-edge-line"
                  strokeWidth={Math.min(6, 1.2 + Math.log2(e.channels.length))}
                />
                {e.channels.length > 1 ? (
                  <text
                    x={(e.from.x + e.to.x) / 2}
                    y={(e.from.y + e.to.y) / 2 - 3}
                    className="graph-edge-count"
                  >{`×${e.channels.length}`}</text>
                ) : null}
              </g>
            );
          })}
          {layout.chips.map((c) => {
            const shape = (
              <>
                <rect x={c.x} y={c.y} width={CHIP_W} height={CHIP_H} rx={9} />
                <text x={c.x + CHIP_W / 2} y={c.y + 13} textAnchor="middle">
                  {c.label}
                </text>
              </>
            );
            const port = c.port;
            if (port === null) {
              return (
                <g key={`fold-${c.box}`} className="graph-chip state-fold">
                  <title>{foldTitle(c.folded, c.within)}</title>
                  {shape}
                </g>
              );
            }
            const problem = c.problem ? ': a message listener or messages wait on it (never started)' : '';
            const title = `port ${port} · channel ${c.channel} · ${c.state ? STATE_TEXT[c.state] : ''}${problem}`;
            return (
              <g
                key={port}
                className={`graph-chip state-${c.state}${c.problem ? PROBLEM : ''}${port === selected ? SELECTED : ''}`}
                data-port={port}
                role="button"
                tabIndex={0}
                aria-label={title}
                onClick={() => select(port)}
                onKeyDown={(e) => activate(e, () => select(port))}
              >
                <title>{title}</title>
                {shape}
              </g>
            );
          })}
        </g>
      </svg>
      <p className="graph-notes muted" data-testid="graph-notes">
        {`${plural(layout.boxes.length, 'context')} · ${plural(n.channels, 'channel')} · ${plural(moved, 'transferred port')}`}
        {n.bundled ? ` · more than ${EDGE_CAP} channels: edges bundled per pair of contexts` : ''}
        {n.foldedPorts ? ` · ${plural(n.foldedPorts, 'port')} folded into “+N” chips` : ''}
        {n.contextsOmitted
          ? ` · ${plural(n.contextsOmitted, 'context')} not drawn (gone and empty, or past the limit)`
          : ''}
        {n.pathsOmitted ? ` · ${plural(n.pathsOmitted, 'transfer path')} not drawn` : ''}
      </p>
    </div>
  );
}
