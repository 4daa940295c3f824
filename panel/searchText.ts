/**
 * The lower-case text a free word of the Messages filter is matched against: the message's
 * id, its ports and the words of its preview. Building it costs microseconds a message, far
 * too much to do for 100,000 messages on the first keystroke, so the store builds it as
 * messages arrive (`searchIndexOf(model).sync`) and the filter only reads it.
 *
 * The store builds them only once the user may filter (the filter box got the focus, or holds
 * text): most of a recording is never searched, and on a busy page building them costs the
 * panel's process more than anything else it does per message but validating and applying it.
 * Until then a filter still finds everything: the filter brings the index level before it runs.
 *
 * The texts sit in an array parallel to `model.messages` (reading an array is several times
 * cheaper than a WeakMap per message). Bounded like the records: when the model evicts records,
 * the next sync drops their texts; when it evicts a body, the filter stops matching its words
 * (it must not find words the panel no longer shows).
 */
import type { ChannelModel, MessageRecord } from './model/types.ts';
import { previewWords } from './previewText.ts';

const headOf = (m: MessageRecord) => `${m.id} ${m.from.port} ${m.to.port ?? ''}`.toLowerCase();
const textOf = (m: MessageRecord) =>
  m.preview === undefined ? headOf(m) : `${headOf(m)} ${previewWords(m.preview).toLowerCase()}`;

export class SearchIndex {
  private records: MessageRecord[] = [];
  private texts: string[] = [];
  /** Texts before this index belong to records whose body is gone (the model evicts oldest first). */
  private bodiless = 0;

  /** Texts built so far. */
  get size(): number {
    return this.texts.length;
  }

  /**
   * Brings the index level with `messages`, or `limit` texts nearer while the model only
   * appended (a rebuild after evictions is done whole); returns how many texts it built.
   */
  sync(messages: readonly MessageRecord[], limit = Infinity): number {
    const n = this.records.length;
    // The model only appends, except when it evicts old records: then the survivors keep their order.
    const appendedOnly =
      n <= messages.length && (n === 0 || (messages[0] === this.records[0] && messages[n - 1] === this.records[n - 1]));
    if (appendedOnly) {
      const end = Math.min(messages.length, n + limit);
      for (let i = n; i < end; i++) {
        this.records.push(messages[i]!);
        this.texts.push(textOf(messages[i]!));
      }
      this.forgetEvictedBodies();
      return end - n;
    }
    const records: MessageRecord[] = [];
    const texts: string[] = [];
    let built = 0;
    let j = 0;
    for (const m of messages) {
      while (j < n && this.records[j] !== m) j++;
      records.push(m);
      if (j < n) texts.push(this.texts[j++]!);
      else {
        texts.push(textOf(m));
        built++;
      }
    }
    this.records = records;
    this.texts = texts;
    this.bodiless = 0;
    this.forgetEvictedBodies();
    return built;
  }

  private forgetEvictedBodies(): void {
    const { records, texts } = this;
    while (this.bodiless < records.length && records[this.bodiless]!.preview === undefined) {
      texts[this.bodiless] = headOf(records[this.bodiless]!);
      this.bodiless++;
    }
  }

  /** The search text of `messages[i]` (the array last synced); `m` is that message. */
  textAt(i: number, m: MessageRecord): string {
    return this.records[i] === m ? this.texts[i]! : textOf(m);
  }
}

const indexes = new WeakMap<ChannelModel, SearchIndex>();

export function searchIndexOf(model: ChannelModel): SearchIndex {
  let index = indexes.get(model);
  if (!index) {
    index = new SearchIndex();
    indexes.set(model, index);
  }
  return index;
}
