/**
 * install(global, sink, config): instruments one global (window, iframe, worker) and emits
 * facts to `sink`. Must run before any page script of that global; natives.ts has already
 * captured every built-in it relies on when this module graph evaluated.
 */
import type { Fact, FactSink } from '../protocol/facts.ts';
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../protocol/handshake.ts';
import { patchCarriers } from './carriers.ts';
import { contextKindOf, newContextId } from './context.ts';
import { settleAllCounts } from './counted.ts';
import { completingUrl, documentUrl, isPlaceholderUrl, type PendingUrl } from './document-url.ts';
import { patchToString } from './disguise.ts';
import { Emitter, type BatchSink, type EmitterOptions } from './emitter.ts';
import { framePathOf } from './frames.ts';
import { noteReportedError } from './handlers.ts';
import { patchListeners } from './listeners.ts';
import {
  NativeWeakMap,
  apply,
  bind,
  errorEventError,
  eventIsTrusted,
  nativeAddEventListener,
  pageTransitionPersisted,
  weakMapHas,
  weakMapSet,
} from './natives.ts';
import { patchMessageChannel, patchMessagePort } from './port.ts';
import { previewBoundsOf } from './preview.ts';
import type { Runtime } from './runtime.ts';
import { allowedBefore, probeBlobWorkers } from './worker-csp.ts';
import { forwardWorkerFactsTo } from './worker-inbox.ts';
import type { WorkerIdentity } from './worker-identity.ts';

export interface Installed {
  ctx: string;
  /**
   * Replaces the config (e.g. when the relay sends one). `recordMessages`: record every message
   * or count plain traffic (counted.ts); left as it was when undefined. Records until told.
   */
  configure(config: RuntimeConfig, recordMessages?: boolean): void;
  /** Hands every buffered fact to the sink now. */
  flush(): void;
  /**
   * This document's policy was seen to allow blob: workers before it ran (worker-csp.ts
   * allowedBefore): with in-worker instrumentation on, its first script's workers are built
   * from the bootstrap. Before any page script, or it is too late to matter.
   */
  blobWorkersAllowedBefore(): void;
}

// A captured WeakMap, not a WeakSet: every global the runtime names is one the page can see it resolve
// (docs/firefox.md).
const installed = new NativeWeakMap<object, true>();

/** Given by the page-side runtime to a worker it instruments from inside (worker-entry.ts). */
export type { WorkerIdentity };

/** What the `context` fact announces besides the global's own reading. */
export interface Announced extends WorkerIdentity {
  /**
   * The relay adds the document's userAgent to this runtime's `context` fact (the extension:
   * content/link.ts says it with its first batch, extension/router.ts fills it in). Reading
   * `navigator` makes Blink build the document's Navigator, 0.12–0.2 ms before the page's first
   * script; the relay reads it for its first batch, in a later task.
   */
  userAgentByRelay?: boolean;
}

export class AlreadyInstalledError extends Error {
  constructor() {
    super('the Portscope runtime is already installed in this global');
    this.name = 'AlreadyInstalledError';
  }
}

/** A FactSink taken as a BatchSink: each fact of a batch in turn. */
function factByFact(sink: FactSink): BatchSink {
  return {
    deliver: (facts) => {
      for (let i = 0; i < facts.length; i++) sink.emit(facts[i]);
    },
  };
}

/** The emitter's `beforeTake`: this runtime's counts leave before the batch does. */
function settleBeforeTake(rt: Runtime): void {
  try {
    settleAllCounts(rt);
  } catch {
    // Never into the page's timer task; the counts left unreported go at the next flush.
  }
}

/** Exceptions thrown by wrapped page handlers are reported here, synchronously, by the browser. */
function onReportedError(event: Event): void {
  if (errorEventError && eventIsTrusted(event)) {
    try {
      noteReportedError(errorEventError(event));
    } catch {
      // Not an ErrorEvent (a resource load error seen in capture).
    }
  }
}

function onPageHide(rt: Runtime, event: Event): void {
  if (!eventIsTrusted(event) || pageTransitionPersisted!(event)) return;
  rt.emitter.emit({ kind: 'context-destroyed', ctx: rt.ctx, reason: 'unload' });
  // Delivery is synchronous (main.iife.ts): the relay has the last batch before this
  // returns, even in an iframe being removed, which gets no later task.
  rt.emitter.flush();
}

/** Installed.configure of runtime `rt`. */
function configure(rt: Runtime, next: RuntimeConfig, recordMessages?: boolean): void {
  rt.config = {
    captureStacks: !!next.captureStacks,
    inWorker: !!next.inWorker,
    preview: previewBoundsOf(next.preview),
  };
  if (recordMessages !== undefined && recordMessages !== rt.recordMessages) {
    rt.recordMessages = recordMessages;
    // What was counted comes before the first recorded message.
    if (recordMessages) settleAllCounts(rt);
  }
  // Whether this document's policy allows the bootstrap's blob: workers is asked once, now (worker-csp.ts).
  if (rt.config.inWorker) probeBlobWorkers(rt);
}

function flush(rt: Runtime): void {
  rt.emitter.flush();
}

export function install(
  global: any,
  sink: BatchSink | FactSink,
  config: RuntimeConfig = DEFAULT_RUNTIME_CONFIG,
  options: Partial<EmitterOptions> = {},
  identity: Announced = {},
): Installed {
  if (weakMapHas(installed, global)) throw new AlreadyInstalledError();
  weakMapSet(installed, global, true);
  const ctx = identity.ctx ?? newContextId();
  const pending: PendingUrl = {};
  const batchSink: BatchSink = 'deliver' in sink ? sink : factByFact(sink);
  // Batches of this context's in-worker instrumented workers leave through the same sink.
  forwardWorkerFactsTo(batchSink);
  const emitter = new Emitter(ctx, completingUrl(batchSink, global, pending), options);
  const rt: Runtime = {
    ctx,
    emitter,
    config: {
      captureStacks: config.captureStacks,
      inWorker: config.inWorker,
      preview: previewBoundsOf(config.preview),
    },
    recordMessages: true,
    counted: undefined,
    countsTimer: false,
    global,
  };
  emitter.beforeTake = bind(settleBeforeTake, undefined, rt);
  const kind = contextKindOf(global);
  const isWindow = kind === 'window' || kind === 'iframe';
  const url = documentUrl(global);
  const contextFact = emitter.emit<Extract<Fact, { kind: 'context' }>>({
    kind: 'context',
    ctx,
    contextKind: kind,
    url,
    origin: String(global.origin ?? ''),
    framePath: isWindow ? framePathOf(global, global.top) : '',
    observed: true,
    userAgent: identity.userAgentByRelay ? undefined : String(global.navigator?.userAgent ?? ''),
    ...(identity.parent !== undefined ? { parent: identity.parent } : {}),
    ...(identity.inside !== undefined ? { inside: identity.inside } : {}),
  });
  if (isWindow && isPlaceholderUrl(url) && contextFact) {
    pending.fact = contextFact;
    pending.reannounce = bind(emitter.emit as (fact: unknown) => unknown, emitter);
  }

  patchToString();
  patchMessageChannel(rt);
  patchMessagePort(rt);
  if (global.EventTarget?.prototype) patchListeners(rt, global.EventTarget.prototype);
  patchCarriers(rt, kind);
  if (rt.config.inWorker) probeBlobWorkers(rt);

  apply(nativeAddEventListener, global, ['error', onReportedError, true]);
  if (isWindow && pageTransitionPersisted)
    apply(nativeAddEventListener, global, ['pagehide', bind(onPageHide, undefined, rt), true]);
  // Module-level functions bound to this runtime, not closures here: they compile when called,
  // after the page's first script, and cost `install`'s compilation nothing.
  return {
    ctx,
    configure: bind(configure, undefined, rt),
    flush: bind(flush, undefined, rt),
    blobWorkersAllowedBefore: bind(allowedBefore, undefined, rt),
  };
}
