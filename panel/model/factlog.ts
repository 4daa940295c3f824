/**
 * The raw facts, for trace export: the most recent `factLogCap` facts. Context announcements
 * and worker creations that fall out of the window are pinned, so a trace replays with its
 * contexts intact.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ModelState } from './state.ts';

export function logFact(state: ModelState, fact: Fact): void {
  const log = state.factLog;
  log.recent.push(fact);
  if (log.recent.size <= state.settings.factLogCap) return;
  const old = log.recent.shift()!;
  if (old.kind === 'context' || old.kind === 'worker-created') log.pinned.push(old);
  else state.stats.evictedFacts++;
}

export function loggedFacts(state: ModelState): Fact[] {
  return [...state.factLog.pinned, ...state.factLog.recent.toArray()];
}
