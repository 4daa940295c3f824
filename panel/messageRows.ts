/**
 * The rows of the Messages table: the model's messages, filtered by a parsed query and
 * sorted by a column. Runs on every change of the model or the query, so it must stay
 * linear and cheap at 100,000 messages: the text each message is searched by is built
 * once per record and cached.
 */
import type { ChannelModel, MessageRecord } from './model/types.ts';
import type { Term } from './query.ts';
import { previewText } from './previewText.ts';

export type SortKey = 'time' | 'from' | 'to' | 'size' | 'state' | 'preview';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

const searchText = new WeakMap<MessageRecord, string>();

/** Lower-case text a free word is matched against: ids, contexts and the preview. */
function textOf(m: MessageRecord): string {
  const cached = searchText.get(m);
  if (cached !== undefined) return cached;
  const s = `${m.id} ${m.from.port} ${m.to.port ?? ''} ${previewText(m.preview, 400)}`.toLowerCase();
  // An evicted body has nothing worth caching; a kept one never changes.
  if (m.preview !== undefined) searchText.set(m, s);
  return s;
}

function contextMatches(model: ChannelModel, id: string | null, value: string): boolean {
  if (!id) return false;
  if (id.toLowerCase() === value) return true;
  const ctx = model.contexts.get(id);
  return !!ctx && (ctx.url.toLowerCase().includes(value) || ctx.framePath.toLowerCase() === value);
}

function termHolds(model: ChannelModel, m: MessageRecord, t: Term): boolean {
  switch (t.key) {
    case 'text':
      return textOf(m).includes(t.value);
    case 'id':
      return m.id === t.value;
    case 'port':
      return m.from.port === t.value || m.to.port === t.value || m.transferredPorts.includes(t.value);
    case 'channel':
      return model.ports.get(m.from.port)?.channel === t.value;
    case 'context':
      return contextMatches(model, m.from.context, t.value) || contextMatches(model, m.to.context, t.value);
    case 'state':
      return m.state === t.value;
    case 'reason':
      return m.dropReason === t.value;
    case 'has':
      if (t.value === 'transfer') return m.transfer.length > 0;
      if (t.value === 'ports') return m.transferredPorts.length > 0;
      if (t.value === 'error') return !!m.threw;
      return !!m.site;
  }
}

const STATE_ORDER: Record<MessageRecord['state'], number> = { queued: 0, unobserved: 1, delivered: 2, dropped: 3 };

function compare(key: SortKey): (a: MessageRecord, b: MessageRecord) => number {
  switch (key) {
    case 'time':
      return (a, b) => a.postedAt - b.postedAt;
    case 'from':
      return (a, b) => a.from.context.localeCompare(b.from.context) || a.postedAt - b.postedAt;
    case 'to':
      return (a, b) => (a.to.context ?? '').localeCompare(b.to.context ?? '') || a.postedAt - b.postedAt;
    case 'size':
      return (a, b) => a.bytes - b.bytes;
    case 'state':
      return (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.postedAt - b.postedAt;
    case 'preview':
      return (a, b) => textOf(a).localeCompare(textOf(b));
  }
}

function inTimeOrder(rows: readonly MessageRecord[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i]!.postedAt < rows[i - 1]!.postedAt) return false;
  return true;
}

export function messageRows(model: ChannelModel, terms: readonly Term[], sort: Sort): MessageRecord[] {
  const all = model.messages;
  let rows: MessageRecord[];
  if (terms.length === 0) rows = all.slice();
  else {
    rows = [];
    for (let i = 0; i < all.length; i++) {
      const m = all[i]!;
      let ok = true;
      for (const t of terms) {
        if (termHolds(model, m, t) === t.negate) {
          ok = false;
          break;
        }
      }
      if (ok) rows.push(m);
    }
  }
  // Messages arrive in post order per context but contexts interleave: sort only when needed.
  if (sort.key !== 'time' || !inTimeOrder(rows)) rows.sort(compare(sort.key));
  if (sort.dir === 'desc') rows.reverse();
  return rows;
}
