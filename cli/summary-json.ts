/**
 * `portscope summary --json`: the model's Summary (protocol/summary.ts) in a versioned
 * envelope, so a CI job can diff it or read it. Version 1: `messages` always carries
 * `unobserved` (sent to a receiver no runtime observes), so the five numbers add up.
 * Adding a field keeps the version; renaming or removing one raises it.
 */
import type { Summary } from '../protocol/summary.ts';

export const SUMMARY_FORMAT = 'portscope-summary';
export const SUMMARY_VERSION = 1;

export function summaryDocument(s: Summary) {
  const { unobserved = 0, ...rest } = s;
  return { format: SUMMARY_FORMAT, version: SUMMARY_VERSION, ...rest, messages: { ...s.messages, unobserved } };
}
