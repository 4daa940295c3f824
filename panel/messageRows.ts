/**
 * The rows of the Messages table: the model's messages, filtered by a parsed query and
 * sorted by a column. Runs on every change of the model or the query, so it must stay
 * linear and cheap at 100,000 messages: the text each message is searched by is built as
 * messages arrive (searchText.ts), not here.
 */
import type { ChannelModel, MessageRecord } from './model/types.ts';
import type { Term } from './query.ts';
import { previewText } from './previewText.ts';
import { searchIndexOf, type SearchIndex } from './searchText.ts';
import { previewAt, scalarText } from './previewData.ts';

export type SortKey = 'time' | 'from' | 'to' | 'size' | 'state' | 'preview' | 'channel' | 'wait' | 'handler';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/** Contexts a `context:` value names: by id, by a part of the URL, or by frame path. */
function contextsNamed(model: ChannelModel, value: string): Set<string> {
  const out = new Set<string>();
  for (const c of model.contexts.values()) {
    if (c.id.toLowerCase() === value || c.url.toLowerCase().includes(value) || c.framePath.toLowerCase() === value)
      out.add(c.id);
  }
  return out;
}

/** `i` is the message's index in model.messages. */
type Test = (m: MessageRecord, i: number) => boolean;

/** A term turned into a test once per query, so lookups are not repeated per message. */
function compile(model: ChannelModel, index: SearchIndex, t: Term): Test {
  const v = t.value;
  switch (t.key) {
    case 'text':
      return (m, i) => index.textAt(i, m).includes(v);
    case 'regex': {
      const re = new RegExp(t.value, 'i');
      return (m, i) => re.test(index.textAt(i, m));
    }
    case 'data': {
      const path = t.path ?? [];
      return (m) => scalarText(previewAt(m.preview, path))?.toLowerCase() === v;
    }
    case 'larger-than': {
      const bytes = Number(v);
      // A size that is not known (post not recorded) is larger than nothing: no guess.
      return (m) => sizeKnown(m) && m.bytes > bytes;
    }
    case 'id':
      return (m) => m.id === v;
    case 'port':
      return (m) => m.from.port === v || m.to.port === v || m.transferredPorts.includes(v);
    case 'channel':
      return (m) => model.ports.get(m.from.port)?.channel === v;
    case 'library': {
      // Channels named after a library whose name holds the value ("react" → React scheduler).
      const named = new Set<string>();
      for (const c of model.channels.values()) if (c.library?.toLowerCase().includes(v)) named.add(c.id);
      return (m) => named.has(model.ports.get(m.from.port)?.channel ?? '');
    }
    case 'context': {
      const named = contextsNamed(model, v);
      // The receiver is the dispatching context, else the holder of the receiving port (a worker
      // seen from outside dispatches where no runtime reports it).
      return (m) => named.has(m.from.context) || named.has(receiverOf(model, m) ?? '');
    }
    case 'state':
      return (m) => m.state === v;
    case 'reason':
      return (m) => m.dropReason === v;
    case 'has':
      if (v === 'transfer') return (m) => m.transfer.length > 0;
      if (v === 'ports') return (m) => m.transferredPorts.length > 0;
      if (v === 'error') return (m) => !!m.threw;
      return (m) => !!m.site;
  }
}

/** The post was recorded, so its size is (an estimate, not a guess). */
export function sizeKnown(m: MessageRecord): boolean {
  return m.postObserved && !m.counted && !m.postEvicted;
}

function receiverOf(model: ChannelModel, m: MessageRecord): string | null {
  return m.to.context ?? (m.to.port === null ? null : (model.ports.get(m.to.port)?.context ?? null));
}

const channelOf = (model: ChannelModel, m: MessageRecord) => model.ports.get(m.from.port)?.channel ?? '';
/** Unknown waits and durations sort after every known one. */
const orLast = (n: number | undefined) => (n === undefined ? Infinity : n);
const knownSize = (m: MessageRecord) => (sizeKnown(m) ? m.bytes : undefined);

const STATE_ORDER: Record<MessageRecord['state'], number> = { queued: 0, unobserved: 1, delivered: 2, dropped: 3 };

type Compare = (a: MessageRecord, b: MessageRecord) => number;

function compare(model: ChannelModel, key: Exclude<SortKey, 'preview'>): Compare {
  switch (key) {
    case 'channel':
      return (a, b) =>
        channelOf(model, a).localeCompare(channelOf(model, b), 'en', { numeric: true }) || a.postedAt - b.postedAt;
    case 'wait':
      // The wait the table shows: the model's, clocks of two contexts aligned.
      return (a, b) => orLast(model.wait(a)?.ms) - orLast(model.wait(b)?.ms) || a.postedAt - b.postedAt;
    case 'handler':
      return (a, b) => orLast(a.duration) - orLast(b.duration) || a.postedAt - b.postedAt;
    case 'time':
      return (a, b) => a.postedAt - b.postedAt;
    case 'from':
      return (a, b) => a.from.context.localeCompare(b.from.context) || a.postedAt - b.postedAt;
    case 'to':
      return (a, b) => (a.to.context ?? '').localeCompare(b.to.context ?? '') || a.postedAt - b.postedAt;
    case 'size':
      return (a, b) => orLast(knownSize(a)) - orLast(knownSize(b)) || a.postedAt - b.postedAt;
    case 'state':
      return (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.postedAt - b.postedAt;
  }
}

/** Sorts by the rendered preview, rendering each row once rather than once per comparison. */
function byPreview(rows: MessageRecord[]): void {
  const keyed = rows.map((m) => ({ m, key: previewText(m.preview, 60) }));
  const collator = new Intl.Collator();
  keyed.sort((a, b) => collator.compare(a.key, b.key) || a.m.postedAt - b.m.postedAt);
  for (let i = 0; i < keyed.length; i++) rows[i] = keyed[i]!.m;
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
    const index = searchIndexOf(model);
    index.sync(all);
    const tests = terms.map((t) => ({ test: compile(model, index, t), negate: t.negate }));
    rows = [];
    for (let i = 0; i < all.length; i++) {
      const m = all[i]!;
      let ok = true;
      for (const { test, negate } of tests) {
        if (test(m, i) === negate) {
          ok = false;
          break;
        }
      }
      if (ok) rows.push(m);
    }
  }
  // Messages arrive in post order per context but contexts interleave: sort only when needed.
  if (sort.key === 'preview') byPreview(rows);
  else if (sort.key !== 'time' || !inTimeOrder(rows)) rows.sort(compare(model, sort.key));
  if (sort.dir === 'desc') rows.reverse();
  return rows;
}
