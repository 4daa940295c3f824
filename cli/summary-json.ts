/**
 * `portscope summary --json`: the model's Summary (protocol/summary.ts) in a versioned
 * envelope, so a CI job can diff it or read it. Version 1:
 * - `messages` always carries `unobserved` (sent to a receiver no runtime observes), so the
 *   numbers add up;
 * - contexts are identified by name (cli/context-names.ts) wherever the Summary has a context
 *   id, because the trace's ids are random per run and would make every diff noisy.
 * Adding a field keeps the version; renaming or removing one raises it.
 */
import type { Summary } from '../protocol/summary.ts';
import { contextNames } from './context-names.ts';

export const SUMMARY_FORMAT = 'portscope-summary';
export const SUMMARY_VERSION = 1;

export function summaryDocument(s: Summary) {
  const name = contextNames(s);
  const { unobserved = 0, ...rest } = s;
  return {
    format: SUMMARY_FORMAT,
    version: SUMMARY_VERSION,
    ...rest,
    contexts: s.contexts.map((c) => ({ ...c, id: name(c.id) })),
    ports: s.ports.map((p) => ({ ...p, context: name(p.context) })),
    messages: { ...s.messages, unobserved },
    transfers: s.transfers.map((t) => ({ ...t, from: name(t.from), to: name(t.to) })),
    diagnostics: s.diagnostics.map((d) => ({ ...d, context: d.context === null ? null : name(d.context) })),
  };
}
