/** What each column of the Messages table shows for a message, and how wide its cell is. */
import type { ChannelModel, MessageRecord } from '../model/types.ts';
import { sizeKnown } from '../messageRows.ts';
import type { Pairing } from '../pairing.ts';
import { previewText } from '../previewText.ts';
import { FirstFrame } from './CallSiteView.tsx';
import { contextName, formatBytes, formatTime, receiverContext, shortContextName } from './labels.ts';
import { type ColumnDef, type ColumnKey, type TableLayout, widthOf } from './tableLayout.ts';
import { APPROXIMATE_TITLE, formatMs, UNKNOWN_TITLE, waitText } from './waitText.ts';

/** The well-known library that made the channel the message went through (model/libraries.ts). */
export function libraryOfMessage(model: ChannelModel, m: MessageRecord): string | undefined {
  const channel = model.ports.get(m.from.port)?.channel;
  return channel === undefined ? undefined : model.channels.get(channel)?.library;
}

export function fromTitle(model: ChannelModel, m: MessageRecord): string {
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

export function Cell({
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
    case 'wait': {
      // Not dispatched: no wait to show. Dispatched: the model's wait, clocks aligned.
      if (m.dispatchedAt === undefined) return <>—</>;
      const wait = model.wait(m);
      // Under the Wait header, "unknown" says it; the title says why.
      if (wait === undefined) return <span title={UNKNOWN_TITLE}>unknown</span>;
      return <span title={wait.approximate ? APPROXIMATE_TITLE : undefined}>{waitText(wait)}</span>;
    }
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

export function cellTitle(column: ColumnKey, m: MessageRecord, model: ChannelModel): string | undefined {
  if (column === 'from') return fromTitle(model, m);
  if (column === 'to') return contextName(model, receiverContext(model, m));
  if (column === 'size' && !sizeKnown(m)) return 'Unknown: the post was not recorded';
  return undefined;
}

// The data column keeps its former class name too (c-preview), which other tests and styles know.
export const cellClass = (c: ColumnDef) =>
  `c-${c.key}${c.align === 'right' ? ' num' : ''}${c.key === 'data' ? ' c-preview page-text' : ''}`;
/** Columns give room back in proportion to their width when the pane is narrower than the table, down to a floor. */
export const floorOf = (c: ColumnDef, layout: TableLayout) => Math.min(widthOf(layout, c), c.min);
// Data grows into any room left and is the last to give it back: it is what people read.
export const cellStyle = (c: ColumnDef, layout: TableLayout) =>
  c.key === 'data'
    ? { flex: `1 0 ${widthOf(layout, c)}px` }
    : { flex: `0 1 ${widthOf(layout, c)}px`, minWidth: floorOf(c, layout) };
