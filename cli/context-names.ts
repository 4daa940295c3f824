/**
 * Contexts as a reader knows them: by URL. The trace's context ids are random per run, so a
 * second context on one URL (or one with no URL) is told apart by its place instead: `<url> #2`,
 * `worker #1`. Names are the same from one run of a page to the next, as far as the contexts
 * are created in the same order.
 */
import type { Summary } from '../protocol/summary.ts';

export type ContextNames = (id: string) => string;

export function contextNames(s: Summary): ContextNames {
  const perUrl = new Map<string, number>();
  for (const c of s.contexts) perUrl.set(c.url, (perUrl.get(c.url) ?? 0) + 1);
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  for (const c of s.contexts) {
    if (c.url !== '' && perUrl.get(c.url) === 1) {
      names.set(c.id, c.url);
      continue;
    }
    const base = c.url || c.kind;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    names.set(c.id, `${base} #${n}`);
  }
  // A port's context can be a stand-in the model never listed (e.g. "unobserved").
  return (id) => names.get(id) ?? id;
}
