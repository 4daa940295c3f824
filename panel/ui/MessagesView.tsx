/**
 * The Messages table: one fixed-height row per message, only the visible rows are in the
 * DOM (100,000 messages stay fast). A grid: arrows move the selection, Enter opens the
 * detail pane, column headers sort; columns can be chosen and resized (tableLayout.ts), and
 * the detail pane, shown once a message is selected, sits behind a draggable splitter.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { isNavigationLine, linesOf } from '../messageLines.ts';
import { pairingOf } from '../pairing.ts';
import { ColumnMenu, ResizeHandle } from './ColumnControls.tsx';
import { formatTime, plural, timeOrigin } from './labels.ts';
import { Cell, cellClass, cellStyle, cellTitle, floorOf } from './MessageCells.tsx';
import { MessageDetail } from './MessageDetail.tsx';
import { Splitter } from './Splitter.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';
import { COLUMNS, type TableLayout, useTableLayout, widthOf } from './tableLayout.ts';
import { useMutes } from './mutesStore.ts';
import { useRows } from './useRows.ts';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;
/** Below this width the detail pane goes under the table (DevTools docked at the side). */
const NARROW = 760;

export function MessagesView() {
  const store = usePanelStore();
  const { rows, mutedHidden } = useRows();
  const setShowMuted = useMutes((s) => s.setShowMuted);
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
  const selectedIndex = selected ? lines.findIndex((l) => !isNavigationLine(l) && l.id === selected) : -1;

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
      while (to >= 0 && to < lines.length && isNavigationLine(lines[to]!)) to += dir;
      if (to < 0 || to >= lines.length) to = selectedIndex;
      const line = lines[to];
      if (line && !isNavigationLine(line)) store.getState().selectMessage(line.id);
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
          {mutedHidden ? (
            <p className="muted-line" data-testid="muted-messages">
              {`${plural(mutedHidden, 'message')} of muted channels hidden — `}
              <button type="button" className="link" onClick={() => setShowMuted(true)}>
                show
              </button>
            </p>
          ) : null}
          <div className="grid-body" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
            {rows.length === 0 && !mutedHidden ? (
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
                if (isNavigationLine(line)) {
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
                const m = line;
                return (
                  // biome-ignore lint/a11y/useKeyWithClickEvents: the grid takes the keys (arrows, Enter) for its active row.
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
