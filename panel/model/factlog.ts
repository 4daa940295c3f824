/**
 * The raw facts, for trace export: the most recent `factLogCap` facts, and at most
 * `factLogCharsCap` characters of them (bodySize.ts). Context announcements and worker
 * creations that fall out of the window are pinned, so a trace replays with its contexts intact.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ModelState } from './state.ts';
import { factChars } from './bodySize.ts';

export function logFact(state: ModelState, fact: Fact): void {
  const log = state.factLog;
  const chars = factChars(fact);
  log.recent.push(fact);
  log.sizes.push(chars);
  log.chars += chars;
  const { factLogCap, factLogCharsCap } = state.settings;
  while (log.recent.size > factLogCap || (log.chars > factLogCharsCap && log.recent.size > 1)) {
    const old = log.recent.shift()!;
    log.chars -= log.sizes.shift()!;
    if (old.kind === 'context' || old.kind === 'worker-created') log.pinned.push(old);
    else state.stats.evictedFacts++;
  }
}

export function loggedFacts(state: ModelState): Fact[] {
  return [...state.factLog.pinned, ...state.factLog.recent.toArray()];
}
