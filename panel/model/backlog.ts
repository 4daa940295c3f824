/**
 * Facts of one context are applied in `seq` order, but contexts interleave arbitrarily and a
 * context's facts may arrive after facts that depend on them (a dispatch before its post, a
 * received port before its ship). A fact that needs another context's facts makes its context
 * wait: its later facts are held in a backlog until the needed fact arrives, the wait exceeds
 * correlationGraceMs of fact time or backlogCap facts, or settle() is called; then the model
 * infers what it could not observe, and marks it so.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ContextState, ModelState, Wait } from './state.ts';

/** Applies one fact; returns a Wait when it needs another context's facts first. */
export type Apply = (ctx: ContextState, fact: Fact, force: boolean) => Wait | null;

export function ingest(state: ModelState, ctx: ContextState, fact: Fact, apply: Apply): void {
  if (ctx.waiting) {
    ctx.backlog.push(fact);
    state.waitingFacts++;
    if (ctx.backlog.size > state.settings.backlogCap) resume(state, ctx, apply, true);
    return;
  }
  const wait = apply(ctx, fact, false);
  if (wait) {
    ctx.backlog.push(fact);
    state.waitingFacts++;
    hold(state, ctx, wait);
  }
}

function hold(state: ModelState, ctx: ContextState, wait: Wait): void {
  ctx.waiting = wait;
  state.waitingContexts.add(ctx);
  if (wait.on === 'queue') {
    let waiters = state.queueWaiters.get(wait.port);
    if (!waiters) {
      waiters = new Set();
      state.queueWaiters.set(wait.port, waiters);
    }
    waiters.add(ctx);
  } else state.senderWaiters.add(ctx);
}

function release(state: ModelState, ctx: ContextState): void {
  const wait = ctx.waiting;
  if (!wait) return;
  ctx.waiting = null;
  state.waitingContexts.delete(ctx);
  if (wait.on === 'queue') {
    const waiters = state.queueWaiters.get(wait.port);
    waiters?.delete(ctx);
    if (waiters?.size === 0) state.queueWaiters.delete(wait.port);
  } else state.senderWaiters.delete(ctx);
}

/** Applies the backlog until it is empty or a fact waits again; `force` infers for the first fact. */
export function resume(state: ModelState, ctx: ContextState, apply: Apply, force: boolean): void {
  release(state, ctx);
  let first = true;
  while (ctx.backlog.size > 0) {
    const fact = ctx.backlog.peek()!;
    const wait = apply(ctx, fact, force && first);
    first = false;
    if (wait) {
      hold(state, ctx, wait);
      return;
    }
    ctx.backlog.shift();
    state.waitingFacts--;
  }
}

/** Resumes contexts whose awaited fact arrived (woken by messages.ts). */
export function drainReady(state: ModelState, apply: Apply): void {
  while (state.ready.size > 0) {
    const ctx: ContextState = state.ready.values().next().value!;
    state.ready.delete(ctx);
    if (ctx.waiting) resume(state, ctx, apply, false);
  }
}

/** After a batch: retry contexts waiting for a sender, and stop waiting past the grace period. */
export function afterBatch(state: ModelState, apply: Apply): void {
  drainReady(state, apply);
  for (const ctx of [...state.senderWaiters]) {
    resume(state, ctx, apply, false);
    drainReady(state, apply);
  }
  // Only the contexts that wait (a batch must not cost the number of contexts), the longest wait first.
  const expired = [...state.waitingContexts].filter(
    (ctx) => state.clock - ctx.waiting!.since > state.settings.correlationGraceMs,
  );
  expired.sort((a, b) => a.waiting!.since - b.waiting!.since);
  for (const ctx of expired) {
    if (ctx.waiting && state.clock - ctx.waiting.since > state.settings.correlationGraceMs) {
      resume(state, ctx, apply, true);
      drainReady(state, apply);
    }
  }
}

/** Stops every wait: each waiting context infers what it waits for, until none waits. */
export function settleAll(state: ModelState, apply: Apply): void {
  for (;;) {
    drainReady(state, apply);
    for (const ctx of [...state.senderWaiters]) resume(state, ctx, apply, false);
    drainReady(state, apply);
    const waiting = [...state.waitingContexts];
    if (waiting.length === 0) return;
    // The longest wait first: by causality it cannot depend on a later one.
    waiting.sort((a, b) => a.waiting!.since - b.waiting!.since);
    resume(state, waiting[0], apply, true);
  }
}

export function lookahead(ctx: ContextState, limit = 16): Fact[] {
  const out: Fact[] = [];
  for (let i = 1; i <= limit && i < ctx.backlog.size; i++) out.push(ctx.backlog.at(i)!);
  return out;
}
