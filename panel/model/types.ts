/**
 * The model's public surface: what the panel, the CLI, the trace viewer and the Playwright
 * fixture read. The model is a spec implementation of channel messaging fed by facts
 * (protocol/facts.ts); it correlates local ids of many contexts into global channels and
 * ports. Pure TypeScript: no DOM, no extension APIs.
 *
 * Global ids are short strings, stable for a given fact stream: channels `c1`, ports `p1`,
 * messages `m1`, carrier messages `k1`, transfers `t1`, diagnostics `d1`.
 */
import type { CallSite, CarrierKind, ContextKind, Fact, Preview, TransferItem } from '../../protocol/facts.ts';
import type { DiagnosticCode, DropReason, Summary } from '../../protocol/summary.ts';

export type { DiagnosticCode, DropReason, Summary };

export interface ModelOptions {
  /** Message bodies kept (preview, site); older ones are evicted oldest-first. Default 100,000. */
  messageCap?: number;
  /**
   * Characters of message bodies kept (previews and call sites, estimated as in bodySize.ts);
   * older bodies are evicted first, counted with messageCap's. Default 32 Mi (about 64 MB).
   */
  bodyCharsCap?: number;
  /**
   * A port message queue deeper than this raises `queue-growing`, while it keeps growing: a
   * queue not enabled (it cannot drain), or one whose oldest message has waited
   * `queueGrowingMs` and that is deeper than it was `queueGrowingMs` before. Default 100.
   */
  queueGrowingThreshold?: number;
  /** How long (fact time, ms) a started queue must stay behind to be called growing. Default 1000. */
  queueGrowingMs?: number;
  /** Ports created and never used nor closed beyond this count raise `port-leak`. Default 50. */
  portLeakThreshold?: number;
  /** Raw facts kept for trace export. Default 1,000,000; overflow is counted in stats. */
  factLogCap?: number;
  /** Characters of raw facts kept for trace export (estimated as in bodySize.ts). Default 64 Mi; overflow is counted with factLogCap's. */
  factLogCharsCap?: number;
  /**
   * Whole MessageRecords kept, oldest evicted first. A queued message loses its record but stays
   * counted in its port message queue (see CountedRun.evicted); a queued message that carries
   * ports keeps its record until dispatched (the model needs it to read the receiving side).
   * Default 2 × messageCap.
   */
  recordCap?: number;
  /**
   * How long (in fact time, ms) a context waits for another context's facts before the model
   * infers what it could not observe (a received port whose sender is silent). Default 3000.
   */
  correlationGraceMs?: number;
  /** Facts held per waiting context before the model stops waiting and infers. Default 20,000. */
  backlogCap?: number;
  /**
   * Channels kept. Past it the oldest finished channels (both ports closed, collected or gone
   * with their context; nothing queued or in transit) are evicted, counted in stats. Default 10,000.
   */
  channelCap?: number;
  /** Changes of depth kept per port message queue (queueDepth), oldest cut first and counted. Default 10,000. */
  queueSeriesCap?: number;
  /**
   * Told of each fact the model could not apply because applying it threw (it is counted in
   * `stats.unmatched` as `error:<kind>` either way). For tests and debugging: the model itself
   * never rethrows, so a bad fact cannot take the panel down.
   */
  onFactError?: (error: unknown, fact: Fact) => void;
}

export type ContextSeen = 'inside' | 'inside-protocol' | 'inside-bootstrap' | 'outside';

export interface ContextNode {
  id: string;
  /** `unknown` when the context was referenced but never announced and nothing says what it is. */
  kind: ContextKind | 'unknown';
  url: string;
  origin: string;
  framePath: string;
  parent?: string;
  /** False when the context was only seen from outside (e.g. a worker without in-worker instrumentation). */
  observed: boolean;
  /**
   * How it is seen: `inside` (a document's own runtime), `inside-protocol` (a worker whose runtime
   * went in through the DevTools protocol before its first line), `inside-bootstrap` (a worker
   * built from the in-worker bootstrap), `outside` (drawn from what its peers saw).
   */
  seen?: ContextSeen;
  createdAt: number;
  destroyed?: { time: number; reason: string };
  /** No runtime can run in this document (its relay said so: scripts do not run there, `no-runtime`). */
  noRuntime?: true;
}

export interface ChannelNode {
  id: string;
  ports: [string, string];
  /** The context that called `new MessageChannel()`; undefined when the channel was only inferred. */
  createdIn?: string;
  createdAt: number;
  site?: CallSite;
  /** The well-known library whose code created it, when its creation site says so (libraries.ts). */
  library?: string;
}

export interface PortHolder {
  context: string;
  /** The port's local id in that context. */
  localId: number;
  since: number;
}

export interface PortNode {
  id: string;
  channel: string;
  /** The entangled peer's global id; null once disentangled (closed, collected). */
  entangled: string | null;
  /** The context that holds the port now (the last holder). */
  context: string;
  enabled: boolean;
  enabledHow?: 'start' | 'onmessage';
  /** `has been shipped`: the port was transferred at least once. */
  shipped: boolean;
  closed: boolean;
  collected: boolean;
  /** True when something about this port was inferred rather than observed (unobserved holder, inferred transfer). */
  partiallyObserved: boolean;
  /** First seen when used: the object arrived by a path the runtime did not observe (`port-seen`, how `late`). */
  seenLate?: true;
  listeners: { message: number; messageerror: number; close: number; onmessage: boolean };
  /**
   * The port message queue's recorded messages: ids of messages posted by the peer, not yet
   * dispatched here, oldest first. Messages counted rather than recorded have no id: see
   * `queueEntries` and `countedQueued`.
   */
  portMessageQueue: string[];
  /** The whole port message queue in order: recorded messages by id, and runs of counted ones (one entry per run). */
  queueEntries: (string | CountedRun)[];
  /** Messages waiting in the queue, counted ones included (cheap to read). */
  queued: number;
  /** How many of `queued` were counted, not recorded (no preview, no record). */
  countedQueued: number;
  /** How many of `queued` were recorded but had their records evicted (recordCap) while they waited. */
  evictedQueued: number;
  /** postedAt of the oldest message waiting in the queue (its age is now − this), or null when empty. */
  oldestQueuedAt: number | null;
  /** Messages posted on this port (every outcome). */
  posted: number;
  /** Messages dispatched at this port. */
  delivered: number;
  /** How many of `posted` were counted, not recorded (posted while nobody watched the tab). */
  countedPosted: number;
  /** How many of `delivered` were counted, not recorded. */
  countedDelivered: number;
  /** Messages posted on this port that were dropped, by reason. */
  dropped: number;
  droppedBy: Partial<Record<DropReason, number>>;
  /** Holders in order; `localId` 0 for a holder that is not observed. */
  holders: PortHolder[];
  createdAt: number;
  site?: CallSite;
}

/**
 * Consecutive messages counted rather than recorded (`messages-counted`: nobody watched the
 * tab), waiting in a port message queue as one entry however many they are. A run marked
 * `evicted` stands for messages that were recorded, whose records were evicted (recordCap)
 * while they waited: the queue stays exact, their content is gone.
 */
export interface CountedRun {
  counted: number;
  /** When the first of them was reported posted (an upper bound of its post time). */
  postedAt: number;
  /** The context the sending port was in. */
  from: string;
  /** The messages were recorded; their records were evicted while they waited. */
  evicted?: true;
}

/** `unobserved`: sent to a port held by a context the runtime does not run in; its dispatch cannot be seen. */
export type MessageState = 'queued' | 'delivered' | 'dropped' | 'unobserved';

export interface MessageRecord {
  id: string;
  /** The sending port and the context it was posted from. */
  from: { port: string; context: string };
  /** The receiving port (the sender's entangled peer at post time) and the context that dispatched it, when known. */
  to: { port: string | null; context: string | null };
  postedAt: number;
  dispatchedAt?: number;
  state: MessageState;
  dropReason?: DropReason;
  /** Undefined once the body was evicted by `messageCap`. */
  preview?: Preview;
  bytes: number;
  fingerprint: string;
  transfer: TransferItem[];
  /** Global ids of ports transferred in this message, in transfer order. */
  transferredPorts: string[];
  site?: CallSite;
  handlers?: number;
  duration?: number;
  threw?: { name: string; message: string };
  /** False when only the dispatch was seen (the sender's context is not observed); the post is inferred. */
  postObserved: boolean;
  /** The dispatch was a `messageerror` (deserialization failed in the receiving realm). */
  messageerror?: true;
  /**
   * The post was counted, not recorded (nobody watched the sending tab then): the record was
   * made when its dispatch was recorded, so only the dispatch side (preview, handlers) is known.
   */
  counted?: true;
  /** Delivered by a dispatch that was counted, not recorded: no handler count, duration or exception is known. */
  dispatchCounted?: true;
  /**
   * The post was recorded, but its record was evicted (recordCap) while the message waited in
   * the queue: this record was made at its dispatch, with what the dispatch tells.
   */
  postEvicted?: true;
}

export interface CarrierRecord {
  id: string;
  carrier: CarrierKind;
  from: string | null;
  to: string | null;
  time: number;
  preview?: Preview;
  bytes: number;
  transferredPorts: string[];
  targetOrigin?: string;
}

export interface TransferEdge {
  id: string;
  kind: 'port' | 'arraybuffer' | 'other';
  /** Global port id for `port` transfers. */
  port?: string;
  byteLength?: number;
  from: string;
  /** Null until (or unless) the receiving context is known. */
  to: string | null;
  time: number;
  carrier: CarrierKind;
  /** The message (`m…`) or carrier message (`k…`) that carried it. */
  via: string;
  inferred: boolean;
  /**
   * Inferred at first (no sender fact), then proven: this message, posted on the port's peer, was
   * dispatched by the port where it arrived (transfers.ts, proveByDelivery).
   */
  provenBy?: string;
  /**
   * Inferred while other ports of the source context fitted as well: which port moved is the
   * most likely reading, not a proven one (docs/model-inference.md); no diagnostic rests on it.
   */
  ambiguous?: true;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  id: string;
  code: DiagnosticCode;
  severity: Severity;
  port: string | null;
  context: string | null;
  /** One line in plain words, e.g. "port p4 in iframe /child.html has 12 messages waiting: ...". */
  message: string;
  /** What to do about it. */
  hint: string;
  site?: CallSite;
  /** First time the condition was seen. */
  time: number;
  /** How many occurrences this (deduplicated) diagnostic stands for. */
  count: number;
}

export interface ModelStats {
  facts: number;
  /** Message bodies evicted by messageCap. */
  evictedMessages: number;
  /** Raw facts not kept in the fact log (factLogCap). */
  evictedFacts: number;
  /** Facts dropped before reaching the model, as reported by `facts-dropped` facts and the relay, per kind. */
  droppedFacts: Record<string, number>;
  /** Facts the model could not apply (unknown port, inconsistent), counted by reason. */
  unmatched: Record<string, number>;
  /**
   * Whole MessageRecords evicted by recordCap, oldest first (a queued one stays counted in its
   * port message queue; one that carries ports is kept until dispatched).
   */
  evictedRecords: number;
  /** Finished channels evicted by channelCap, and their ports (see retention.ts). */
  evictedChannels: number;
  /**
   * Destroyed contexts evicted past channelCap contexts, once no kept port, channel or context
   * refers to them (see retention.ts); a later fact from one is counted as `evicted-context`.
   */
  evictedContexts: number;
  evictedPorts: number;
  /** Messages posted on evicted ports (so that totals read from ports stay exact). */
  evictedPortsPosted: number;
  /** Correlations the model inferred instead of observing (counted by kind). */
  inferred: Record<string, number>;
  /** Facts currently held back because their context waits for another context's facts. */
  waiting: number;
  /** Messages counted rather than recorded (`messages-counted`): posted, and dispatched. */
  counted: { posted: number; delivered: number };
  /** Carrier messages counted rather than recorded (`carriers-counted`): posted, and received. */
  countedCarriers: CountedCarriers;
}

/**
 * How long a delivered message waited in the port message queue (clocks.ts). `approximate` when
 * post and dispatch were stamped by two contexts' clocks (aligned by causal order, never
 * negative), or when one of the times is a report's time (counted messages).
 */
export interface MessageWait {
  ms: number;
  approximate: boolean;
}

/** One channel's traffic (channelStats.ts), for the noise control of the Channels view. */
export interface ChannelStats {
  channel: string;
  /** Messages posted on either port, every outcome, counted ones included. */
  messages: number;
  /** Messages per second between the channel's first and last post; null with fewer than two, or no time between. */
  rate: number | null;
  /** Bytes of the recorded messages (as the sender's preview measured them; counted messages have no size). */
  bytes: number;
  /** Waits of the recorded messages delivered (MessageWait); approximate when any crossed two clocks. */
  wait: { mean: number; max: number; samples: number; approximate: boolean } | null;
  /** The deepest either port's message queue has been. */
  peakQueue: number;
}

/** A port's queue state, decided by the model only (queueState.ts says how each arises). */
export type QueueState = 'enabled' | 'not-started' | 'unknown' | 'closed';

/** One change of a port message queue's size: the time of the fact that changed it, and the depth after. */
export interface QueueDepthChange {
  time: number;
  depth: number;
}

/** A port message queue's depth over time (queueDepthSeries.ts), bounded by `queueSeriesCap`. */
export interface QueueDepth {
  changes: readonly QueueDepthChange[];
  /** Oldest changes cut to stay within the bound. */
  cut: number;
  /** Changes reported with a time earlier than the one before (another clock, a late flush): placed at that one. */
  late: number;
}

/**
 * Carrier messages counted, not recorded, as each context counted them: one message may be
 * counted posted where it was sent and received where it arrived.
 */
export interface CountedCarriers {
  posted: number;
  received: number;
}

/** What the model counted in all, evicted channels and ports included. */
export interface ModelTotals {
  /** Every channel seen (kept and evicted). */
  channels: number;
  /** Every port seen (kept and evicted). */
  ports: number;
  /** `posted` = delivered + queued + dropped + unobserved (once every message is placed). */
  messages: { posted: number; delivered: number; queued: number; dropped: number; unobserved: number };
  /** Carrier messages (window, worker, service worker postMessage) with ports, kept or not. */
  carriers: number;
  /** Messages counted rather than recorded (nobody watched the tab). */
  counted: { posted: number; delivered: number; queued: number };
  /** Worker and window carrier messages without ports counted rather than recorded (not in `carriers`). */
  countedCarriers: CountedCarriers;
  /** Queue depth changes cut from the per-port series (queueSeriesCap). */
  cutQueueChanges: number;
}

export interface ChannelModel {
  /** Applies a batch of facts. Facts of one context arrive in `seq` order; contexts interleave arbitrarily. */
  apply(facts: readonly Fact[]): void;
  /** Forgets everything (a new session). */
  clear(): void;
  /**
   * The user's Clear: drops the records of messages no longer queued, keeping every context,
   * channel, port and port message queue (clearing.ts). Returns how many records went.
   */
  dropMessageRecords(): number;
  /** Increments on every apply/clear, so a UI can tell cheaply whether anything changed. */
  readonly revision: number;
  readonly contexts: ReadonlyMap<string, ContextNode>;
  readonly channels: ReadonlyMap<string, ChannelNode>;
  readonly ports: ReadonlyMap<string, PortNode>;
  /** Messages posted on MessagePorts, in post order. */
  readonly messages: readonly MessageRecord[];
  readonly carriers: readonly CarrierRecord[];
  readonly transfers: readonly TransferEdge[];
  diagnostics(): readonly Diagnostic[];
  readonly stats: ModelStats;
  /** The raw facts applied so far (bounded by factLogCap), for trace export. */
  factLog(): readonly Fact[];
  /** A message by id (undefined once its whole record was evicted). */
  message(id: string): MessageRecord | undefined;
  /**
   * Stops waiting for facts that have not arrived: every context held back (see
   * correlationGraceMs) resumes, inferring what it waited for. Call it when a recording ends or
   * the stream is idle. `summary()` settles first.
   */
  settle(): void;
  /** The stable `portscope summary --json` view (settles first). */
  summary(): Summary;
  /** A port's queue state; undefined for a port the model does not keep. */
  queueState(port: string): QueueState | undefined;
  /** A port's queue depth over time; undefined for a port the model does not keep. */
  queueDepth(port: string): QueueDepth | undefined;
  /** Totals over everything seen (the status bar's numbers). */
  totals(): ModelTotals;
  /** Each kept channel's traffic, by channel id. */
  channelStats(): ReadonlyMap<string, ChannelStats>;
  /** How long a delivered message waited (clocks aligned across contexts); undefined when not known. */
  wait(message: MessageRecord): MessageWait | undefined;
}

/** Implemented in ./model.ts: `export function createModel(options?: ModelOptions): ChannelModel`. */
export type CreateModel = (options?: ModelOptions) => ChannelModel;
