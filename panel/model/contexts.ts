/**
 * Contexts (windows, iframes, workers) of one tab. A context referenced but never announced is
 * still drawn, with `observed: false`; what is known about it comes from whoever referenced it.
 */
import type { ContextKind, Fact } from '../../protocol/facts.ts';
import type { ContextNode } from './types.ts';
import type { ContextState, ModelState } from './state.ts';
import { count } from './state.ts';
import { Fifo } from './fifo.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;

/** The context a fact comes from; announced or not, it emits facts, so its facts are expected. */
export function sourceContext(state: ModelState, ctx: string, time: number): ContextState {
  const existing = state.contexts.get(ctx);
  if (existing) return existing;
  count(state.stats.unmatched, 'unannounced-context');
  return referenceContext(state, ctx, { kind: 'unknown', url: '', origin: '', framePath: '' }, true, time);
}

/** A context known only because something refers to it. */
export function referenceContext(
  state: ModelState,
  id: string,
  init: { kind: ContextKind | 'unknown'; url: string; origin: string; framePath: string; parent?: string },
  expectFacts: boolean,
  time: number,
): ContextState {
  const existing = state.contexts.get(id);
  if (existing) return existing;
  const node: ContextNode = { id, ...init, observed: false, seen: 'outside', createdAt: time };
  if (init.parent === undefined) delete node.parent;
  const ctx: ContextState = {
    node,
    expectFacts,
    standIn: false,
    lastSeq: 0,
    clock: -Infinity,
    created: [],
    held: new Set(),
    lastSharedWorker: null,
    lastCarrierReceived: null,
    backlog: new Fifo(),
    waiting: null,
  };
  state.contexts.set(id, ctx);
  state.contextNodes.set(id, node);
  return ctx;
}

export function announce(state: ModelState, fact: ContextFact): void {
  const ctx =
    state.contexts.get(fact.ctx) ??
    referenceContext(
      state,
      fact.ctx,
      { kind: fact.contextKind, url: fact.url, origin: fact.origin, framePath: fact.framePath },
      fact.observed,
      fact.time,
    );
  const node = ctx.node;
  if (node.observed && isPlaceholderUrl(node.url) && !isPlaceholderUrl(fact.url)) {
    // The HTML Standard keeps a frame's Window from its initial about:blank to its first real
    // document: the same context goes on, whatever its placeholder's unload said.
    ctx.placeholderReplacedAt = fact.time;
    ctx.placeholderUnload = null;
  }
  node.kind = fact.contextKind;
  node.url = fact.url;
  node.origin = fact.origin;
  node.framePath = fact.framePath;
  if (fact.parent !== undefined) node.parent = fact.parent;
  node.observed = fact.observed;
  node.seen = !fact.observed
    ? 'outside'
    : fact.inside === 'protocol'
      ? 'inside-protocol'
      : fact.inside === 'bootstrap'
        ? 'inside-bootstrap'
        : 'inside';
  node.createdAt = Math.min(node.createdAt, fact.time);
  if (fact.observed) ctx.expectFacts = true;
  if (fact.framePath) {
    state.byFramePath.set(fact.framePath, fact.ctx);
    adoptStandIn(state, `frame:${fact.framePath}`, fact.ctx);
    linkFrameParents(state, node);
  }
}

/** A document URL that is only a frame's initial placeholder. */
export const isPlaceholderUrl = (url: string): boolean => url === '' || url === 'about:blank';

/** `top.frames[0].frames[1]` → `top.frames[0]`; null for `top` and for worker paths. */
function parentFramePath(framePath: string): string | null {
  if (framePath.includes('/')) return null;
  const cut = framePath.lastIndexOf('.frames[');
  return cut > 0 ? framePath.slice(0, cut) : null;
}

/**
 * Frame paths are computed by identity in every frame, across origins, so they tell the
 * parent even where the runtime could not (a cross-origin parent): link this frame to its
 * parent, and frames announced earlier to this one.
 */
function linkFrameParents(state: ModelState, node: ContextNode): void {
  const parentPath = parentFramePath(node.framePath);
  if (node.parent === undefined && parentPath !== null) {
    const parent = state.byFramePath.get(parentPath);
    if (parent !== undefined) node.parent = parent;
  }
  for (const other of state.contextNodes.values()) {
    if (
      other.parent === undefined &&
      other !== node &&
      other.framePath &&
      parentFramePath(other.framePath) === node.framePath
    )
      other.parent = node.id;
  }
}

/**
 * The frame a stand-in stood for announced itself: what referred to the stand-in now refers to
 * it. Rare (once per frame at most), so a scan is fine here.
 */
function adoptStandIn(state: ModelState, standInId: string, id: string): void {
  const standIn = state.contexts.get(standInId);
  if (!standIn?.standIn) return;
  state.contexts.delete(standInId);
  state.contextNodes.delete(standInId);
  const swap = (value: string | null) => (value === standInId ? id : value);
  for (const port of state.ports.values()) {
    port.node.context = swap(port.node.context)!;
    for (const holder of port.node.holders) holder.context = swap(holder.context)!;
  }
  for (const edge of state.transfers) {
    edge.from = swap(edge.from)!;
    edge.to = swap(edge.to);
  }
  for (const record of state.carriers) {
    record.from = swap(record.from);
    record.to = swap(record.to);
  }
  for (const list of state.unreceived.values()) for (const entry of list) entry.from = swap(entry.from)!;
  for (const message of state.messages) message.from.context = swap(message.from.context)!;
}

/**
 * The document a frame showed at `time`, when a later one has taken the frame since (a frame
 * navigated in place: facts about the earlier one may be applied after the later one announced
 * itself). A context announced before `time` and not known to have ended by then counts. Rare (a
 * later document at the same path), so a scan is fine here.
 */
function aliveAt(state: ModelState, framePath: string, time: number): ContextState | undefined {
  let found: ContextState | undefined;
  for (const ctx of state.contexts.values()) {
    const node = ctx.node;
    if (node.framePath !== framePath || node.createdAt > time) continue;
    const end = node.destroyed?.time ?? ctx.placeholderUnload?.time;
    if (end !== undefined && end <= time) continue;
    if (!found || node.createdAt > found.node.createdAt) found = ctx;
  }
  return found;
}

/** How many contexts announced this frame path (up to 2: more than one is enough to know). */
export function documentsAtPath(state: ModelState, framePath: string): number {
  let n = 0;
  for (const node of state.contextNodes.values()) if (node.framePath === framePath && node.observed && ++n > 1) break;
  return n;
}

/** The context at a frame path; a stand-in node when no context announced that path. */
export function contextAtPath(state: ModelState, framePath: string, time: number): ContextState {
  const id = state.byFramePath.get(framePath);
  if (id) {
    const latest = state.contexts.get(id)!;
    return latest.node.createdAt <= time ? latest : (aliveAt(state, framePath, time) ?? latest);
  }
  const standIn = referenceContext(
    state,
    `frame:${framePath}`,
    { kind: framePath === 'top' ? 'window' : 'iframe', url: '', origin: '', framePath },
    false,
    time,
  );
  standIn.standIn = true;
  return standIn;
}

export function workerCreated(state: ModelState, fact: Extract<Fact, { kind: 'worker-created' }>): void {
  const owner = state.contexts.get(fact.ctx)!;
  const id = fact.childCtx ?? `${fact.ctx}/worker${fact.worker}`;
  // A context evicted once ended for good: naming it again (a replay, a forged id) draws nothing.
  if (state.evictedContexts.has(id)) return void count(state.stats.unmatched, 'evicted-context');
  state.workers.set(`${fact.ctx}#${fact.worker}`, id);
  const worker = referenceContext(
    state,
    id,
    {
      kind: fact.workerKind,
      url: fact.url,
      origin: originOf(fact.url),
      framePath: `${owner.node.framePath}/worker[${fact.worker}]`,
      parent: fact.ctx,
    },
    fact.childCtx !== undefined,
    fact.time,
  );
  // A worker announced with childCtx runs the runtime: its facts will come.
  if (fact.childCtx !== undefined) worker.expectFacts = true;
  if (fact.workerKind === 'sharedworker') owner.lastSharedWorker = id;
}

export function workerContext(state: ModelState, owner: string, worker: string): string | null {
  return state.workers.get(`${owner}#${worker}`) ?? null;
}

/** Where a carrier message posted from `from` to `target` lands, when that can be told. */
export function carrierTarget(
  state: ModelState,
  carrier: string,
  from: ContextState,
  target: string,
  time: number,
): string | null {
  if (carrier === 'window') return target ? contextAtPath(state, target, time).node.id : null;
  if (carrier === 'worker') {
    if (isWorker(from.node.kind)) return from.node.parent ?? null;
    return workerContext(state, from.node.id, workerKey(target));
  }
  if (carrier === 'serviceworker' && !isWorker(from.node.kind) && from.node.origin)
    return serviceWorkerOf(state, from.node.origin, time).node.id;
  return null;
}

/**
 * `ServiceWorker#postMessage` from a document goes to a service worker of its origin. Which one
 * (its script, its scope) the fact does not say: when none is seen from inside (carriers.ts asks
 * first), one context per origin stands for them, never observed, so what is shipped there is
 * held by it and nothing more is guessed.
 */
function serviceWorkerOf(state: ModelState, origin: string, time: number): ContextState {
  return referenceContext(
    state,
    `serviceworker:${origin}`,
    { kind: 'serviceworker', url: '', origin, framePath: '' },
    false,
    time,
  );
}

/** Where a carrier message received in `at` came from, when that can be told. */
export function carrierSource(
  state: ModelState,
  carrier: string,
  at: ContextState,
  source: string,
  time: number,
): string | null {
  if (carrier === 'window') return source ? contextAtPath(state, source, time).node.id : null;
  if (carrier === 'worker') {
    if (isWorker(at.node.kind)) return at.node.parent ?? null;
    return workerContext(state, at.node.id, workerKey(source));
  }
  return null;
}

/** The runtime names a worker `worker:<local id>` in carrier targets and sources; the bare id is accepted too. */
function workerKey(name: string): string {
  return name.startsWith('worker:') ? name.slice(7) : name;
}

export function isWorker(kind: string): boolean {
  return kind === 'worker' || kind === 'sharedworker' || kind === 'serviceworker';
}

/** The runtime runs there: silence from it means something (it did not happen yet, or at all). */
export function expectsFacts(state: ModelState, id: string): boolean {
  return state.contexts.get(id)?.expectFacts ?? false;
}

/** "iframe /child.html": how diagnostics name a context. */
export function describeContext(state: ModelState, id: string | null): string {
  if (id === null) return 'an unknown context';
  const node = state.contextNodes.get(id);
  if (!node) return `context ${id}`;
  const where = node.url ? pathOf(node.url) : node.framePath || id;
  return node.kind === 'unknown' ? `context ${where}` : `${node.kind} ${where}`;
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
