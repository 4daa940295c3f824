/**
 * The Messages table: one fixed-height row per message, only the visible rows are in the
 * DOM (100,000 messages stay fast). A grid: arrows move the selection, Enter opens the
 * detail pane, column headers sort.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SortKey } from '../messageRows.ts';
import type { ChannelModel, MessageRecord } from '../model/types.ts';
import { previewText } from '../previewText.ts';
import { contextName, formatBytes, formatTime, receiverContext, timeOrigin } from './labels.ts';
import { MessageDetail } from './MessageDetail.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';
import { useRows } from './useRows.ts';

export const ROW_HEIGHT = 22;

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
const OVERSCAN = 8;

const COLUMNS: { key: SortKey; label: string; className: string }[] = [
  { key: 'time', label: 'Time', className: 'c-time' },
  { key: 'from', label: 'From', className: 'c-from' },
  { key: 'to', label: 'To', className: 'c-to' },
  { key: 'size', label: 'Size', className: 'c-size' },
  { key: 'preview', label: 'Data', className: 'c-preview' },
  { key: 'state', label: 'Delivery', className: 'c-state' },
];

function stateText(m: MessageRecord): string {
  if (m.state === 'dropped') return `dropped (${m.dropReason ?? 'unknown'})`;
  if (m.state === 'unobserved') return 'sent (receiver not observed)';
  if (m.messageerror) return 'messageerror';
  return m.state;
}

export function MessagesView() {
  const store = usePanelStore();
  const rows = useRows();
  const model = usePanel((s) => s.model);
  const sort = usePanel((s) => s.sort);
  const selected = usePanel((s) => s.selectedMessage);
  const scroller = useRef<HTMLDivElement>(null);
  const detail = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const origin = timeOrigin(model);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observe = new ResizeObserver(() => setHeight(el.clientHeight));
    observe.observe(el);
    setHeight(el.clientHeight);
    return () => observe.disconnect();
  }, []);

  const selectedIndex = selected ? rows.findIndex((m) => m.id === selected) : -1;

  // Keep the selected row in view when it moves by keyboard.
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - ROW_HEIGHT) el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
  }, [selectedIndex]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  const onKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (e.key in moves && rows.length) {
      e.preventDefault();
      const to = Math.min(rows.length - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + moves[e.key]!));
      store.getState().selectMessage(rows[to]!.id);
    } else if (e.key === 'Enter' && selected) {
      e.preventDefault();
      detail.current?.focus();
    } else if (e.key === 'Escape') {
      store.getState().selectMessage(null);
    }
  };

  return (
    <div className="split">
      <div className="table-wrap">
        <div role="grid" aria-label="Messages" aria-rowcount={rows.length + 1} aria-colcount={COLUMNS.length} className="grid" tabIndex={0} onKeyDown={onKey} aria-activedescendant={selected ? `row-${selected}` : undefined}>
          <div role="row" aria-rowindex={1} className="grid-head">
            {COLUMNS.map((c) => (
              <div key={c.key} role="columnheader" className={c.className} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="sort" onClick={() => store.getState().setSort(c.key)}>
                  {c.label}
                  <span aria-hidden="true">{sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </div>
            ))}
          </div>
          <div className="grid-body" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
            {rows.length === 0 ? (
              <p className="empty-rows">{model.messages.length ? 'No message matches the filter.' : 'No message posted on a MessagePort yet.'}</p>
            ) : null}
            <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
              {visible.map((m, i) => {
                const index = first + i;
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
                    <div role="gridcell" className="c-time">{formatTime(m.postedAt, origin)}</div>
                    <div role="gridcell" className="c-from" title={fromTitle(model, m)}>
                      <span className="id">{m.from.port}</span> {contextName(model, m.from.context)}
                      {libraryOfMessage(model, m) ? <span className="muted">{` · ${libraryOfMessage(model, m)}`}</span> : null}
                    </div>
                    <div role="gridcell" className="c-to" title={contextName(model, receiverContext(model, m))}>
                      <span className="id">{m.to.port ?? '—'}</span> {contextName(model, receiverContext(model, m))}
                    </div>
                    <div role="gridcell" className="c-size">{m.postObserved && !m.counted && !m.postEvicted ? formatBytes(m.bytes) : '—'}</div>
                    <div role="gridcell" className="c-preview page-text">
                      {m.transfer.length ? <span className="badge transfer" title="transfer list">{`⇢${m.transfer.length}`}</span> : null}
                      {previewText(m.preview)}
                    </div>
                    <div role="gridcell" className={`c-state s-${m.state}`}>{stateText(m)}</div>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </div>
      <div className="detail" ref={detail} tabIndex={-1} aria-label="Message details" role="region">
        <MessageDetail />
      </div>
    </div>
  );
}
