/**
 * The raw facts, for trace export: the most recent `factLogCap` facts, and at most
 * `factLogCharsCap` characters of them (bodySize.ts). Context announcements and worker
 * creations that fall out of the window are pinned, so a trace replays with its contexts intact,
 * as long as the model keeps those contexts: the pins of evicted ones go too (counted), in a pass
 * that runs each time the pins doubled, so they stay bounded by the contexts kept.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ModelState } from './state.ts';

export function logFact(state: ModelState, fact: Fact): void {
  const log = state.factLog;
  const chars = state.bodyMeasure.fact(fact);
  log.recent.push(fact);
  log.sizes.push(chars);
  log.chars += chars;
  const { factLogCap, factLogCharsCap } = state.settings;
  while (log.recent.size > factLogCap || (log.chars > factLogCharsCap && log.recent.size > 1)) {
    const old = log.recent.shift()!;
    log.chars -= log.sizes.shift()!;
    if (old.kind === 'context' || old.kind === 'worker-created') {
      log.pinned.push(old);
      if (log.pinned.length > 2 * log.pinnedAfterPrune + 1_024) prunePins(state);
    } else state.stats.evictedFacts++;
  }
}

function prunePins(state: ModelState): void {
  const log = state.factLog;
  const named = (f: Fact) => (f.kind === 'worker-created' ? (f.childCtx ?? `${f.ctx}/worker${f.worker}`) : f.ctx);
  const kept = log.pinned.filter((f) => state.contexts.has(named(f)));
  state.stats.evictedFacts += log.pinned.length - kept.length;
  log.pinned = kept;
  log.pinnedAfterPrune = kept.length;
}

export function loggedFacts(state: ModelState): Fact[] {
  return [...state.factLog.pinned, ...state.factLog.recent.toArray()];
}
