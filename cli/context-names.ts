/**
 * Contexts as a reader knows them: by URL. The model's context id is added only where a URL
 * alone is ambiguous (two frames on one URL) or missing (a worker seen from outside).
 */
import type { Summary } from '../protocol/summary.ts';

export type ContextNames = (id: string) => string;

export function contextNames(s: Summary): ContextNames {
  const perUrl = new Map<string, number>();
  for (const c of s.contexts) perUrl.set(c.url, (perUrl.get(c.url) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const c of s.contexts) {
    const unique = c.url !== '' && perUrl.get(c.url) === 1;
    names.set(c.id, unique ? c.url : `${c.url || c.kind} (${c.id})`);
  }
  // A port's context can be a stand-in the model never listed (e.g. "unobserved").
  return (id) => names.get(id) ?? id;
}
