/**
 * createModel: the channel model fed by facts (see types.ts for the public surface and
 * backlog.ts for how facts of many contexts are put back in causal order).
 */
import type { Fact } from '../../protocol/facts.ts';
import { FACT_KINDS } from '../../protocol/facts.ts';
import type { ChannelModel, ChannelStats, Diagnostic, ModelOptions, ModelTotals, Summary } from './types.ts';
import type { ContextState, ModelState, Wait } from './state.ts';
import { count, createState, settingsFrom } from './state.ts';
import { referenceContext, sourceContext, workerContext, workerCreated } from './contexts.ts';
import { afterBatch, drainReady, ingest, lookahead, settleAll } from './backlog.ts';
import { dispatch, post } from './messages.ts';
import { countedMessages, inferCountedPosts } from './counted.ts';
import { carrierPosted, carrierReceived } from './carriers.ts';
import { carriersCounted } from './carrierCounts.ts';
import { clientDispatched, clientPosted, clientQueueEnabled } from './clientMessageQueue.ts';
import { portReceived } from './portReceipt.ts';
import { portShipped } from './transfers.ts';
import {
  channelCreated,
  cloneFailed,
  contextAnnounced,
  contextDestroyed,
  listener,
  portClosed,
  portCollected,
  portEnabled,
  portSeen,
} from './lifecycle.ts';
import { renderedDiagnostics } from './diagnostics.ts';
import { summarize } from './summary.ts';
import { queueStateOf } from './queueState.ts';
import { totalsOf } from './totals.ts';
import { waitOf } from './clocks.ts';
import { channelStatsOf } from './channelStats.ts';
import { dropMessageRecords } from './clearing.ts';
import { loggedFacts, logFact } from './factlog.ts';
import { aboutEvicted, afterFact, fromEvictedContext, skipEvicted, skipEvictedContext } from './retention.ts';

const KNOWN_KINDS = new Set<string>(FACT_KINDS);

export function createModel(options?: ModelOptions): ChannelModel {
  const settings = settingsFrom(options);
  const onFactError = options?.onFactError;
  let state: ModelState = createState(settings);
  let revision = 0;
  let cachedDiagnostics: { revision: number; list: readonly Diagnostic[] } | null = null;
  let cachedTotals: { revision: number; totals: ModelTotals } | null = null;
  let cachedStats: { revision: number; stats: ReadonlyMap<string, ChannelStats> } | null = null;

  const apply = (ctx: ContextState, fact: Fact, force: boolean): Wait | null => {
    if (aboutEvicted(state, ctx, fact)) {
      skipEvicted(state);
      ctx.clock = Math.max(ctx.clock, fact.time);
      return null;
    }
    const wait = applyFact(state, ctx, fact, force, onFactError);
    if (!wait) {
      ctx.clock = Math.max(ctx.clock, fact.time);
      afterFact(state, ctx, fact);
    }
    return wait;
  };

  const model: ChannelModel = {
    apply(facts) {
      revision++;
      for (const fact of facts) {
        state.stats.facts++;
        if (!wellFormed(fact)) {
          count(state.stats.unmatched, 'malformed');
          continue;
        }
        if (fromEvictedContext(state, fact.ctx)) {
          skipEvictedContext(state);
          continue;
        }
        const ctx = fact.kind === 'context' ? contextAnnounced(state, fact) : sourceContext(state, fact.ctx, fact.time);
        if (fact.seq <= ctx.lastSeq) {
          count(state.stats.unmatched, 'duplicate-seq');
          continue;
        }
        ctx.lastSeq = fact.seq;
        if (fact.time > state.clock) state.clock = fact.time;
        logFact(state, fact);
        ingest(state, ctx, fact, apply);
        drainReady(state, apply);
      }
      afterBatch(state, apply);
      state.stats.waiting = state.waitingFacts;
    },
    clear() {
      state = createState(settings);
      revision++;
    },
    dropMessageRecords() {
      revision++;
      return dropMessageRecords(state);
    },
    get revision() {
      return revision;
    },
    get contexts() {
      return state.contextNodes;
    },
    get channels() {
      return state.channels;
    },
    get ports() {
      return state.portNodes;
    },
    get messages() {
      return state.messages;
    },
    get carriers() {
      return state.carriers;
    },
    get transfers() {
      return state.transfers;
    },
    get stats() {
      return state.stats;
    },
    diagnostics() {
      if (cachedDiagnostics?.revision !== revision) cachedDiagnostics = { revision, list: renderedDiagnostics(state) };
      return cachedDiagnostics.list;
    },
    factLog() {
      return loggedFacts(state);
    },
    message(id) {
      return state.messageById.get(id);
    },
    settle() {
      if (state.waitingFacts === 0 && state.owing.size === 0) return;
      revision++;
      settleAll(state, apply);
      // Counted dispatches whose posts' count never came: their posts are inferred.
      for (const port of state.owing) inferCountedPosts(state, port, port.owed);
      for (const port of state.owing) port.owed = 0;
      state.owing.clear();
      state.stats.waiting = state.waitingFacts;
    },
    summary(): Summary {
      model.settle();
      return summarize(state, model.diagnostics());
    },
    queueState(id) {
      const node = state.portNodes.get(id);
      return node && queueStateOf(node, state.contextNodes.get(node.context)?.observed !== false);
    },
    queueDepth(id) {
      const port = state.ports.get(id);
      if (!port) return undefined;
      const series = port.queue.depthSeries;
      return { changes: series?.toArray() ?? [], cut: series?.cut ?? 0, late: series?.late ?? 0 };
    },
    channelStats() {
      if (cachedStats?.revision !== revision) cachedStats = { revision, stats: channelStatsOf(state) };
      return cachedStats.stats;
    },
    wait(message) {
      return waitOf(state, message);
    },
    totals() {
      if (cachedTotals?.revision !== revision) cachedTotals = { revision, totals: totalsOf(state) };
      return cachedTotals.totals;
    },
  };
  return model;
}

/** The model trusts validated facts (protocol/validate.ts) but must never crash on a bad one. */
function wellFormed(fact: unknown): fact is Fact {
  if (typeof fact !== 'object' || fact === null) return false;
  const f = fact as Record<string, unknown>;
  return (
    KNOWN_KINDS.has(f.kind as string) &&
    typeof f.ctx === 'string' &&
    typeof f.seq === 'number' &&
    typeof f.time === 'number'
  );
}

type OnError = ModelOptions['onFactError'];

function applyFact(state: ModelState, ctx: ContextState, fact: Fact, force: boolean, onError: OnError): Wait | null {
  try {
    return applyKnown(state, ctx, fact, force);
  } catch (error) {
    // A fact inconsistent in a way we did not foresee must not take the panel down: count it.
    count(state.stats.unmatched, `error:${fact.kind}`);
    onError?.(error, fact);
    return null;
  }
}

function applyKnown(state: ModelState, ctx: ContextState, fact: Fact, force: boolean): Wait | null {
  switch (fact.kind) {
    case 'context':
      return null; // applied on arrival (announced)
    case 'context-destroyed':
      contextDestroyed(state, ctx, fact.reason, fact.time);
      return null;
    case 'channel-created':
      channelCreated(state, ctx, fact);
      return null;
    case 'port-seen':
      portSeen(state, ctx, fact);
      return null;
    case 'port-posted':
      post(state, ctx, fact);
      return null;
    case 'clone-error':
      cloneFailed(state, ctx, fact);
      return null;
    case 'port-enabled':
      portEnabled(state, ctx, fact);
      return null;
    case 'listener-added':
    case 'listener-removed':
      listener(state, ctx, fact);
      return null;
    case 'message-dispatched':
    case 'messageerror': {
      if (dispatch(state, ctx, fact, force)) return null;
      return { on: 'queue', port: state.bindings.get(`${ctx.node.id}#${fact.port}`)!.port, since: fact.time };
    }
    case 'messages-counted': {
      if (countedMessages(state, ctx, fact, force)) return null;
      return { on: 'queue', port: state.bindings.get(`${ctx.node.id}#${fact.port}`)!.port, since: fact.time };
    }
    case 'port-shipped':
      portShipped(state, ctx, fact);
      return null;
    case 'port-received': {
      if (portReceived(state, ctx, fact, force, () => lookahead(ctx))) return null;
      if (fact.carrier === 'port' && fact.viaPort !== undefined) {
        return { on: 'queue', port: state.bindings.get(`${ctx.node.id}#${fact.viaPort}`)!.port, since: fact.time };
      }
      return { on: 'sender', since: fact.time };
    }
    case 'port-closed':
      portClosed(state, ctx, fact);
      return null;
    case 'close-event':
      return null; // the peer's close/collect already disentangled it; nothing to change
    case 'port-collected':
      portCollected(state, ctx, fact);
      return null;
    case 'carrier-posted':
      carrierPosted(state, ctx, fact);
      clientPosted(state, ctx, fact);
      return null;
    case 'carrier-received':
      carrierReceived(state, ctx, fact);
      clientDispatched(ctx, fact);
      return null;
    case 'worker-created':
      workerCreated(state, fact);
      return null;
    case 'worker-terminated': {
      const id = workerContext(state, ctx.node.id, String(fact.worker));
      if (id)
        contextDestroyed(
          state,
          state.contexts.get(id) ??
            referenceContext(state, id, { kind: 'worker', url: '', origin: '', framePath: '' }, false, fact.time),
          'terminate',
          fact.time,
        );
      return null;
    }
    case 'facts-dropped':
      for (const [kind, n] of Object.entries(fact.counts))
        if (typeof n === 'number') count(state.stats.droppedFacts, kind, n);
      return null;
    case 'runtime-note':
      if (fact.code === 'no-runtime') ctx.node.noRuntime = true;
      return null;
    case 'client-message-queue-enabled':
      clientQueueEnabled(ctx, fact.how);
      return null;
    case 'carriers-counted':
      carriersCounted(state, ctx, fact);
      return null;
  }
}
