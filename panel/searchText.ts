/**
 * The lower-case text a free word of the Messages filter is matched against: the message's
 * id, its ports and the words of its preview. Building it costs a few microseconds a message,
 * far too much to do for 100,000 messages on the first keystroke, so the store builds it as
 * messages arrive (warmSearchText) and the filter only reads it.
 *
 * Bounded like the bodies it comes from: it lives as long as its record, and it goes when the
 * model evicts the message's body (a filter must not find words the panel no longer shows).
 */
import type { MessageRecord } from './model/types.ts';
import { previewWords } from './previewText.ts';

const cache = new WeakMap<MessageRecord, string>();

const headOf = (m: MessageRecord) => `${m.id} ${m.from.port} ${m.to.port ?? ''}`.toLowerCase();

export function searchTextOf(m: MessageRecord): string {
  const cached = cache.get(m);
  if (m.preview === undefined) {
    if (cached !== undefined) cache.delete(m);
    return headOf(m);
  }
  if (cached !== undefined) return cached;
  const s = `${headOf(m)} ${previewWords(m.preview).toLowerCase()}`;
  cache.set(m, s);
  return s;
}

/**
 * Builds the text of messages the filter has not seen yet. The model appends messages in post
 * order, so new ones are at the end: walk back until a message that already has its text.
 * Returns how many were built.
 */
export function warmSearchText(messages: readonly MessageRecord[]): number {
  let built = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.preview === undefined) continue;
    if (cache.has(m)) break;
    searchTextOf(m);
    built++;
  }
  return built;
}
