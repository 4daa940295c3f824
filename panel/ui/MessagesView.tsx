/**
 * The Messages table: one fixed-height row per message, only the visible rows are in the
 * DOM (100,000 messages stay fast). A grid: arrows move the selection, Enter opens the
 * detail pane, column headers sort; columns can be chosen and resized (tableLayout.ts), and
 * the detail pane, shown once a message is selected, sits behind a draggable splitter.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { sizeKnown } from '../messageRows.ts';
import type { ChannelModel, MessageRecord } from '../model/types.ts';
import { pairingOf, type Pairing } from '../pairing.ts';
import { previewText } from '../previewText.ts';
import type { Navigation } from '../recording.ts';
import { FirstFrame } from './CallSiteView.tsx';
import { contextName, formatBytes, formatTime, receiverContext, shortContextName, timeOrigin } from './labels.ts';
import { MessageDetail } from './MessageDetail.tsx';
import { capture, Splitter } from './Splitter.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';
import {
  COLUMNS,
  clampWidth,
  type ColumnDef,
  type ColumnKey,
  DEFAULT_LAYOUT,
  type TableLayout,
  useTableLayout,
  widthOf,
} from './tableLayout.ts';
import { useRows } from './useRows.ts';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;
/** Below this width the detail pane goes under the table (DevTools docked at the side). */
const NARROW = 760;

/** The well-known library that made the channel the message went through (model/libraries.ts). */
export function libraryOfMessage(model: ChannelModel, m: MessageRecord): string | undefined {
  const channel = model.ports.get(m.from.port)?.channel;
  return channel === undefined ? undefined : model.channels.get(channel)?.library;
}

function fromTitle(model: ChannelModel, m: MessageRecord): string {
  const channel = model.ports.get(m.from.port)?.channel;
  const library = libraryOfMessage(model, m);
  return `${contextName(model, m.from.context)}${channel ? ` · channel ${channel}` : ''}${library ? ` (made by ${library})` : ''}`;
}

export function stateText(m: MessageRecord): string {
  if (m.state === 'dropped') return `dropped (${m.dropReason ?? 'unknown'})`;
  if (m.state === 'unobserved') return 'sent (receiver not observed)';
  if (m.messageerror) return 'messageerror';
  return m.state;
}

export const formatMs = (ms: number) =>
  Math.abs(ms) < 10 ? `${ms.toFixed(2)} ms` : ms < 10_000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;

/** A row of the table: a message, or the mark of a reload kept by Preserve log. */
type Line = { message: MessageRecord } | { navigation: Navigation };

/** Navigation marks go between the messages by time, only while the table is in time order. */
function linesOf(rows: MessageRecord[], navigations: readonly Navigation[], timeSort: 'asc' | 'desc' | null): Line[] {
  if (timeSort === null || navigations.length === 0) return rows.map((message) => ({ message }));
  const marks = [...navigations].sort((a, b) => a.time - b.time);
  const lines: Line[] = [];
  if (timeSort === 'asc') {
    let k = 0;
    for (const message of rows) {
      while (k < marks.length && marks[k]!.time <= message.postedAt) lines.push({ navigation: marks[k++]! });
      lines.push({ message });
    }
    while (k < marks.length) lines.push({ navigation: marks[k++]! });
  } else {
    let k = marks.length - 1;
    for (const message of rows) {
      while (k >= 0 && marks[k]!.time > message.postedAt) lines.push({ navigation: marks[k--]! });
      lines.push({ message });
    }
    while (k >= 0) lines.push({ navigation: marks[k--]! });
  }
  return lines;
}

function Cell({
  column,
  m,
  model,
  origin,
  pairing,
}: {
  column: ColumnKey;
  m: MessageRecord;
  model: ChannelModel;
  origin: number;
  pairing: Pairing;
}) {
  switch (column) {
    case 'time':
      return <>{formatTime(m.postedAt, origin)}</>;
    case 'from': {
      const library = libraryOfMessage(model, m);
      return (
        <>
          <span className="id">{m.from.port}</span> {shortContextName(model, m.from.context)}
          {library ? <span className="muted">{` · ${library}`}</span> : null}
        </>
      );
    }
    case 'to':
      return (
        <>
          <span className="id">{m.to.port ?? '—'}</span> {shortContextName(model, receiverContext(model, m))}
        </>
      );
    case 'channel':
      return <span className="id">{model.ports.get(m.from.port)?.channel ?? '—'}</span>;
    case 'size':
      return <>{sizeKnown(m) ? formatBytes(m.bytes) : '—'}</>;
    case 'wait':
      return <>{m.dispatchedAt === undefined ? '—' : formatMs(m.dispatchedAt - m.postedAt)}</>;
    case 'handler':
      return <>{m.duration === undefined ? '—' : formatMs(m.duration)}</>;
    case 'site':
      return m.site ? <FirstFrame site={m.site} /> : <span className="muted">—</span>;
    case 'data': {
      const request = pairing.request.get(m.id);
      const reply = pairing.reply.get(m.id);
      return (
        <>
          {m.transfer.length ? (
            <span className="badge transfer" title="transfer list">{`⇢${m.transfer.length}`}</span>
          ) : null}
          {request ? (
            <span
              className="badge pair"
              title={`A reply to ${request.id} (same call number, same channel)`}
            >{`↩ ${request.id}`}</span>
          ) : null}
          {reply ? (
            <span
              className="badge pair"
              title={`Answered by ${reply.id}`}
            >{`↪ ${formatMs(reply.postedAt - m.postedAt)}`}</span>
          ) : null}
          {previewText(m.preview)}
        </>
      );
    }
    case 'delivery':
      return <>{stateText(m)}</>;
  }
}

function cellTitle(column: ColumnKey, m: MessageRecord, model: ChannelModel): string | undefined {
  if (column === 'from') return fromTitle(model, m);
  if (column === 'to') return contextName(model, receiverContext(model, m));
  if (column === 'size' && !sizeKnown(m)) return 'Unknown: the post was not recorded';
  return undefined;
}

// The data column keeps its former class name too (c-preview), which other tests and styles know.
const cellClass = (c: ColumnDef) =>
  `c-${c.key}${c.align === 'right' ? ' num' : ''}${c.key === 'data' ? ' c-preview page-text' : ''}`;
/** Columns give room back in proportion to their width when the pane is narrower than the table, down to a floor. */
const floorOf = (c: ColumnDef, layout: TableLayout) => Math.min(widthOf(layout, c), c.min);
// Data grows into any room left and is the last to give it back: it is what people read.
const cellStyle = (c: ColumnDef, layout: TableLayout) =>
  c.key === 'data'
    ? { flex: `1 0 ${widthOf(layout, c)}px` }
    : { flex: `0 1 ${widthOf(layout, c)}px`, minWidth: floorOf(c, layout) };

function ColumnMenu({
  layout,
  onChange,
  onClose,
}: {
  layout: TableLayout;
  onChange(next: TableLayout): void;
  onClose(): void;
}) {
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const toggle = (key: ColumnKey, on: boolean) => {
    const visible = on
      ? COLUMNS.map((c) => c.key).filter((k) => k === key || layout.visible.includes(k))
      : layout.visible.filter((k) => k !== key);
    if (visible.length) onChange({ ...layout, visible });
  };
  return (
    <div className="column-menu" role="dialog" aria-label="Columns" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {COLUMNS.map((c, i) => (
        <label key={c.key} className="check" title={c.title}>
          <input
            ref={i === 0 ? first : undefined}
            type="checkbox"
            checked={layout.visible.includes(c.key)}
            disabled={layout.visible.length === 1 && layout.visible.includes(c.key)}
            onChange={(e) => toggle(c.key, e.currentTarget.checked)}
          />{' '}
          {c.label}
        </label>
      ))}
      <div className="dialog-buttons">
        <button
          type="button"
          onClick={() => onChange({ ...DEFAULT_LAYOUT, detail: layout.detail, detailBelow: layout.detailBelow })}
        >
          Reset
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function ResizeHandle({
  column,
  layout,
  onChange,
}: {
  column: ColumnDef;
  layout: TableLayout;
  onChange(next: TableLayout, done: boolean): void;
}) {
  const drag = useRef<{ x: number; w: number } | null>(null);
  const width = widthOf(layout, column);
  const set = (w: number, done: boolean) =>
    onChange({ ...layout, widths: { ...layout.widths, [column.key]: clampWidth(w) } }, done);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable column resizer has no native element
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${column.label} column`}
      aria-valuenow={width}
      tabIndex={0}
      className="col-resize"
      onPointerDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        capture(e);
        drag.current = { x: e.clientX, w: width };
      }}
      onPointerMove={(e) => drag.current && set(drag.current.w + e.clientX - drag.current.x, false)}
      onPointerUp={(e) => {
        if (drag.current) set(drag.current.w + e.clientX - drag.current.x, true);
        drag.current = null;
      }}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        e.stopPropagation();
        set(width + (e.key === 'ArrowRight' ? 16 : -16), true);
      }}
    />
  );
}

export function MessagesView() {
  const store = usePanelStore();
  const rows = useRows();
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const sort = usePanel((s) => s.sort);
  const selected = usePanel((s) => s.selectedMessage);
  const navigations = usePanel((s) => s.navigations);
  const filterError = usePanel((s) => s.filterError);
  const [saved, save] = useTableLayout();
  // While dragging, the layout changes on every move; it is saved when the drag ends.
  const [dragging, setDragging] = useState<TableLayout | null>(null);
  const layout = dragging ?? saved;
  const [menuOpen, setMenuOpen] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const split = useRef<HTMLDivElement>(null);
  const detail = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [room, setRoom] = useState({ width: 1000, height: 600 });
  const origin = timeOrigin(model);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the model mutates in place; `revision` says when
  const pairing = useMemo(() => pairingOf(model), [model, revision]);
  const columns = COLUMNS.filter((c) => layout.visible.includes(c.key));
  const lines = useMemo(
    () => linesOf(rows, navigations, sort.key === 'time' ? sort.dir : null),
    [rows, navigations, sort],
  );

  useLayoutEffect(() => {
    const el = scroller.current;
    const box = split.current;
    if (!el || !box) return;
    const observe = new ResizeObserver(() => {
      setHeight(el.clientHeight);
      setRoom({ width: box.clientWidth, height: box.clientHeight });
    });
    observe.observe(el);
    observe.observe(box);
    setHeight(el.clientHeight);
    setRoom({ width: box.clientWidth, height: box.clientHeight });
    return () => observe.disconnect();
  }, []);

  const selectedMessage = selected ? model.message(selected) : undefined;
  const selectedIndex = selected ? lines.findIndex((l) => 'message' in l && l.message.id === selected) : -1;

  // Keep the selected row in view when it moves by keyboard.
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - ROW_HEIGHT)
      el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
  }, [selectedIndex]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = lines.slice(first, last);
  const tableFloor = columns.reduce((sum, c) => sum + (c.key === 'data' ? widthOf(layout, c) : floorOf(c, layout)), 0);

  const onKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    };
    if (e.key in moves && rows.length) {
      e.preventDefault();
      const step = moves[e.key]!;
      let to = Math.min(lines.length - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + step));
      // Step over navigation marks, in the direction of travel.
      const dir = step > 0 ? 1 : -1;
      while (to >= 0 && to < lines.length && !('message' in lines[to]!)) to += dir;
      if (to < 0 || to >= lines.length) to = selectedIndex;
      const line = lines[to];
      if (line && 'message' in line) store.getState().selectMessage(line.message.id);
    } else if (e.key === 'Enter' && selected) {
      e.preventDefault();
      detail.current?.focus();
    } else if (e.key === 'Escape') {
      store.getState().selectMessage(null);
    }
  };

  const place = room.width < NARROW ? 'below' : 'beside';
  const maxDetail = place === 'beside' ? room.width - 240 : room.height - 4 * ROW_HEIGHT - 30;
  const detailSize = Math.max(120, Math.min(place === 'beside' ? layout.detail : layout.detailBelow, maxDetail));
  const onLayout = (next: TableLayout, done: boolean) => {
    if (done) {
      setDragging(null);
      save(next);
    } else setDragging(next);
  };

  return (
    <div className={`split split-${place}`} ref={split}>
      <div className="table-wrap">
        <div
          role="grid"
          aria-label="Messages"
          aria-rowcount={rows.length + 1}
          aria-colcount={columns.length}
          className="grid"
          style={{ minWidth: tableFloor + 28 }}
          tabIndex={0}
          onKeyDown={onKey}
          aria-activedescendant={selected ? `row-${selected}` : undefined}
        >
          <div role="row" aria-rowindex={1} className="grid-head">
            {columns.map((c) => (
              <div
                key={c.key}
                role="columnheader"
                className={cellClass(c)}
                style={cellStyle(c, layout)}
                aria-sort={c.sort && sort.key === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                {c.sort ? (
                  <button
                    type="button"
                    className="sort"
                    title={c.title}
                    onClick={() => c.sort && store.getState().setSort(c.sort)}
                  >
                    {c.label}
                    <span aria-hidden="true">{sort.key === c.sort ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  <span className="sort" title={c.title}>
                    {c.label}
                  </span>
                )}
                <ResizeHandle column={c} layout={layout} onChange={onLayout} />
              </div>
            ))}
            <div className="c-menu">
              <button
                type="button"
                className="sort"
                title="Choose columns"
                aria-haspopup="dialog"
                aria-expanded={menuOpen}
                onClick={() => setMenuOpen(!menuOpen)}
              >
                <span aria-hidden="true">⋮</span>
                <span className="sr-only">Columns</span>
              </button>
            </div>
          </div>
          {menuOpen ? (
            <ColumnMenu layout={layout} onChange={(next) => save(next)} onClose={() => setMenuOpen(false)} />
          ) : null}
          <div className="grid-body" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
            {rows.length === 0 ? (
              <p className="empty-rows">
                {filterError
                  ? 'The filter is not valid (see the error beside it): no rows.'
                  : model.messages.length
                    ? 'No message matches the filter.'
                    : 'No message posted on a MessagePort yet.'}
              </p>
            ) : null}
            <div style={{ height: lines.length * ROW_HEIGHT, position: 'relative' }}>
              {visible.map((line, i) => {
                const index = first + i;
                if (!('message' in line)) {
                  const nav = line.navigation;
                  return (
                    <div
                      key={`nav-${nav.time}-${index}`}
                      role="row"
                      className="grid-row nav-mark"
                      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
                    >
                      <div role="gridcell" aria-colspan={columns.length}>
                        <span aria-hidden="true">↻ </span>
                        {`Navigated${nav.url ? ` to ${nav.url}` : ''} at ${formatTime(nav.time, origin)}`}
                        {' (Preserve log kept what came before)'}
                      </div>
                    </div>
                  );
                }
                const m = line.message;
                return (
                  <div
                    key={m.id}
                    id={`row-${m.id}`}
                    role="row"
                    aria-rowindex={index + 2}
                    aria-selected={m.id === selected}
                    className={`grid-row state-${m.state}${m.id === selected ? ' selected' : ''}${index % 2 ? ' odd' : ''}`}
                    style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
                    onClick={() => store.getState().selectMessage(m.id)}
                  >
                    {columns.map((c) => (
                      <div
                        key={c.key}
                        role="gridcell"
                        className={`${cellClass(c)}${c.key === 'delivery' ? ` s-${m.state}` : ''}`}
                        style={cellStyle(c, layout)}
                        title={cellTitle(c.key, m, model)}
                      >
                        <Cell column={c.key} m={m} model={model} origin={origin} pairing={pairing} />
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </div>
      {selectedMessage ? (
        <>
          <Splitter
            place={place}
            size={detailSize}
            max={maxDetail}
            label="Resize the message details"
            onResize={(size, done) =>
              onLayout(place === 'beside' ? { ...layout, detail: size } : { ...layout, detailBelow: size }, done)
            }
          />
          <div
            className="detail"
            ref={detail}
            tabIndex={-1}
            aria-label="Message details"
            role="region"
            style={place === 'beside' ? { width: detailSize } : { height: detailSize }}
          >
            <button
              type="button"
              className="detail-close"
              title="Close the details (Esc)"
              aria-label="Close the details"
              onClick={() => store.getState().selectMessage(null)}
            >
              ×
            </button>
            <MessageDetail />
          </div>
        </>
      ) : null}
    </div>
  );
}
