/**
 * The model's internal state: the public records (ContextNode, PortNode, MessageRecord...) plus
 * what correlation needs (local bindings, queues, waiting contexts). One object, passed to the
 * modules that each implement one part of the HTML Standard's channel messaging.
 */
import type { Fact } from '../../protocol/facts.ts';
import type {
  CarrierRecord,
  ChannelNode,
  ContextNode,
  Diagnostic,
  MessageRecord,
  ModelOptions,
  ModelStats,
  PortNode,
  TransferEdge,
} from './types.ts';
import { Fifo } from './fifo.ts';
import { BodyMeasure } from './bodySize.ts';
import { emptyCounts } from '../../protocol/messages.ts';
import type { PortMessageQueue } from './portMessageQueue.ts';

export interface Settings {
  messageCap: number;
  bodyCharsCap: number;
  recordCap: number;
  queueGrowingThreshold: number;
  queueGrowingMs: number;
  portLeakThreshold: number;
  factLogCap: number;
  factLogCharsCap: number;
  channelCap: number;
  correlationGraceMs: number;
  backlogCap: number;
  queueSeriesCap: number;
}

export function settingsFrom(options: ModelOptions = {}): Settings {
  const messageCap = positive(options.messageCap, 100_000, 'messageCap');
  return {
    messageCap,
    bodyCharsCap: positive(options.bodyCharsCap, 32 * 1024 * 1024, 'bodyCharsCap'),
    recordCap: positive(options.recordCap, messageCap * 2, 'recordCap'),
    queueGrowingThreshold: positive(options.queueGrowingThreshold, 100, 'queueGrowingThreshold'),
    queueGrowingMs: positive(options.queueGrowingMs, 1000, 'queueGrowingMs'),
    portLeakThreshold: positive(options.portLeakThreshold, 50, 'portLeakThreshold'),
    factLogCap: positive(options.factLogCap, 1_000_000, 'factLogCap'),
    factLogCharsCap: positive(options.factLogCharsCap, 64 * 1024 * 1024, 'factLogCharsCap'),
    channelCap: positive(options.channelCap, 10_000, 'channelCap'),
    correlationGraceMs: positive(options.correlationGraceMs, 3000, 'correlationGraceMs'),
    backlogCap: positive(options.backlogCap, 20_000, 'backlogCap'),
    queueSeriesCap: positive(options.queueSeriesCap, 10_000, 'queueSeriesCap'),
  };
}

export class ModelOptionError extends Error {
  constructor(
    readonly option: string,
    value: unknown,
  ) {
    super(`ModelOptions.${option} must be a positive integer, got ${String(value)}`);
    this.name = 'ModelOptionError';
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new ModelOptionError(name, value);
  return value;
}

/** One port object in one context (a transferred port is a new object, hence a new binding). */
export interface Binding {
  port: PortState;
  ctx: string;
  local: number;
  /** False once this object was shipped away: its later facts concern a detached object. */
  live: boolean;
}

export interface PortState {
  node: PortNode;
  /** The other port of the channel: the only port this one can ever be entangled with. */
  channelPeer: PortState;
  /** Entangled right now (the node's `entangled` mirrors it). */
  entangled: boolean;
  queue: PortMessageQueue;
  /**
   * Counted dispatches at this port reported before the counted posts they took (both ports in
   * one context, whose counts are reported per port): the next counted posts to it pay this first.
   */
  owed: number;
  /** The live object, or null while in transit, held by an unobserved context, or lost. */
  binding: Binding | null;
  /** Held by a context whose facts we will never see (or shipped in a dropped message). */
  unobservedHolder: boolean;
  /** When this port was closed or collected (it disentangled both ends then). */
  disentangledAt: number | null;
  /** Posted on, enabled, or given a listener by page code: not a leak candidate. */
  used: boolean;
  /** The edge of the transfer under way (shipped, not yet received). */
  inTransit: TransferEdge | null;
  /** The last transfer edge, to upgrade an inferred transfer once the sender's facts arrive. */
  lastEdge: TransferEdge | null;
  createdIn: string | null;
  /** Posts counted on it when it went into an unobserved context: more since, and it was used there. */
  postedWhenHidden?: number;
  /** Partially observed only because its last arrival was inferred (transfers.ts can prove it later). */
  partialByInference?: boolean;
  /** What was posted on this port and how long it waited (channelStats.ts). */
  traffic: Traffic;
  /**
   * Shipped to the stand-in for an origin's service workers: the fingerprint of the carrying
   * message (serviceWorkerPorts.ts).
   */
  toServiceWorker?: string;
}

/** What was posted on a port and how long it waited, tallied as messages go (channelStats.ts). */
export interface Traffic {
  bytes: number;
  firstPostAt: number | null;
  lastPostAt: number | null;
  waits: number;
  waitSum: number;
  waitMax: number;
  waitApproximate: boolean;
}

export interface ContextState {
  node: ContextNode;
  /** The runtime runs (or will run: a worker announced with childCtx) in this context. */
  expectFacts: boolean;
  /**
   * A stand-in for a frame path no context has announced (yet): the real context may still
   * announce itself, so its silence proves nothing until the grace period ends.
   */
  standIn: boolean;
  lastSeq: number;
  /** Time of the last fact applied from this context: it has reported up to here. */
  clock: number;
  /** Ports created here (channel-created/port-seen), for port-leak and inference; bounded. */
  created: PortState[];
  /** Ports whose live object is here. */
  held: Set<PortState>;
  /** The most recent SharedWorker constructed here, for linking `port-seen`. */
  lastSharedWorker: string | null;
  /** The last carrier message received here: tells where a port that came with it was sent from. */
  lastCarrierReceived: { carrier: string; fingerprint: string; source: string | null } | null;
  /** Facts held back while this context waits (the first one is the fact that waits). */
  backlog: Fifo<Fact>;
  waiting: Wait | null;
  /**
   * A frame's initial placeholder document (`about:blank`, or "" in Firefox) unloaded, and
   * nothing yet says whether its Window ended: the real document may reuse it (lifecycle.ts).
   */
  placeholderUnload?: { time: number; reason: string } | null;
  /** When this context announced its real document after a placeholder (same Window). */
  placeholderReplacedAt?: number;
  /** A service worker: its `Client#postMessage` posts per window client URL (clientMessageQueue.ts); bounded. */
  clientPosts?: Map<string, { posted: number; since: number }>;
  /** A client: how its client message queue was first enabled, and the messages dispatched from it. */
  clientQueue?: { enabledBy: string | null; dispatched: number };
}

export type Wait =
  /** A dispatch (or a port arriving in a dispatched message) needs the post from the peer. */
  | { on: 'queue'; port: PortState; since: number }
  /** A received port needs the sender's ship facts (or the sender's clock to pass, to infer). */
  | { on: 'sender'; since: number };

/** A carrier message with ports, waiting for its receiving side. */
export interface CarrierEntry {
  record: CarrierRecord;
  key: string;
  from: string;
  to: string | null;
  /** For window carriers: the target frame path, matched against the receiver's framePath. */
  toPath: string | null;
  ports: (PortState | null)[];
  bound: number;
  claimedBy: string | null;
  ctx: string;
  carrierId: number;
}

export interface ModelState {
  settings: Settings;
  contexts: Map<string, ContextState>;
  contextNodes: Map<string, ContextNode>;
  channels: Map<string, ChannelNode>;
  ports: Map<string, PortState>;
  portNodes: Map<string, PortNode>;
  bindings: Map<string, Binding>;
  /** framePath → the latest context announced with it. */
  byFramePath: Map<string, string>;
  /** `${ownerCtx}#${worker}` → the worker's context id. */
  workers: Map<string, string>;
  /**
   * Per shared worker seen from inside: the far ends of `SharedWorker.port`s its documents made,
   * waiting for the `connect` port that is each of them (shared-worker-ends.ts).
   */
  sharedWorkerEnds: Map<string, PortState[]>;
  messages: MessageRecord[];
  messageById: Map<string, MessageRecord>;
  /** Messages whose body (preview, site) is still kept, oldest first. */
  bodies: Fifo<MessageRecord>;
  /** Each kept body's size in characters (bodySize.ts), in the same order as `bodies`. */
  bodySizes: Fifo<number>;
  /** The sum of `bodySizes`. */
  bodyChars: number;
  /** Sizes of the fact being logged and of the message it becomes, measured once (bodySize.ts). */
  bodyMeasure: BodyMeasure;
  /** `messages` longer than this starts an eviction pass (eviction.ts). */
  recordLimit: number;
  carriers: CarrierRecord[];
  carrierById: Map<string, CarrierRecord>;
  /** Carrier messages awaiting their receipt, by `${carrier}|${fingerprint}`. */
  unreceived: Map<string, CarrierEntry[]>;
  unreceivedCount: number;
  /** `${ctx}#${carrierId}` → entry, so port-shipped can find its carrier message. */
  carrierByLocal: Map<string, CarrierEntry>;
  transfers: TransferEdge[];
  stats: ModelStats;
  totals: { posted: number; delivered: number; dropped: number; unobserved: number; carriers: number };
  ids: { c: number; p: number; m: number; k: number; t: number; d: number };
  /** The latest fact time seen from any context. */
  clock: number;
  /** Facts held back in all backlogs. */
  waitingFacts: number;
  /** The fact log for trace export: the most recent facts, plus context announcements pinned. */
  factLog: { recent: Fifo<Fact>; sizes: Fifo<number>; chars: number; pinned: Fact[]; pinnedAfterPrune: number };
  /** Contexts that can resume now. */
  ready: Set<ContextState>;
  /** What a waiting `messages-counted` fact still has to dispatch (the fact itself stays as logged). */
  countedLeft: WeakMap<Fact, number>;
  /** Ports with counted dispatches whose posts are not reported yet (PortState.owed). */
  owing: Set<PortState>;
  /** Contexts waiting on a port's queue, by port. */
  queueWaiters: Map<PortState, Set<ContextState>>;
  /** Contexts waiting for a sender's facts. */
  senderWaiters: Set<ContextState>;
  /** Every context with a `waiting` (backlog.ts), so that a batch walks these, not every context. */
  waitingContexts: Set<ContextState>;
  /** Channels that may have finished, oldest first (retention.ts). */
  finishedChannels: Set<string>;
  /** Per context, the highest local port id of an evicted channel (retention.ts). */
  evictedLocals: Map<string, number>;
  /** Ids of evicted contexts, oldest first, at most 4 × channelCap (retention.ts). */
  evictedContexts: Set<string>;
  /** `contexts.size` when eviction last looked at every context (retention.ts). */
  contextsScannedAt: number;
  /** Per sending context, per receiving context, the smallest dispatch − post measured (clocks.ts). */
  leastMeasures: Map<string, Map<string, number>>;
  /** Pairs in `leastMeasures` (bounded). */
  measuredPairs: number;
  /** Deduplicated diagnostics by `${code}|${port}|${context}`. */
  diagnostics: Map<string, DiagnosticEntry>;
}

export interface DiagnosticEntry {
  diagnostic: Diagnostic;
  /** Builds the message and hint from current counts (only when diagnostics are read). */
  render: (entry: DiagnosticEntry) => { message: string; hint: string };
  /** Numbers the message shows (occurrences, depth, names...). */
  detail: Record<string, string | number>;
  /** False while a condition-based diagnostic (e.g. port-never-started) does not hold. */
  active: boolean;
}

export function createState(settings: Settings): ModelState {
  return {
    settings,
    contexts: new Map(),
    contextNodes: new Map(),
    channels: new Map(),
    ports: new Map(),
    portNodes: new Map(),
    bindings: new Map(),
    byFramePath: new Map(),
    workers: new Map(),
    sharedWorkerEnds: new Map(),
    messages: [],
    messageById: new Map(),
    bodies: new Fifo(),
    bodySizes: new Fifo(),
    bodyChars: 0,
    bodyMeasure: new BodyMeasure(),
    recordLimit: settings.recordCap + Math.max(64, Math.floor(settings.recordCap / 8)),
    carriers: [],
    carrierById: new Map(),
    unreceived: new Map(),
    unreceivedCount: 0,
    carrierByLocal: new Map(),
    transfers: [],
    // Counts keyed by wire-supplied names (facts-dropped kinds) have no prototype (see emptyCounts).
    stats: {
      facts: 0,
      evictedMessages: 0,
      evictedFacts: 0,
      droppedFacts: emptyCounts(),
      unmatched: emptyCounts(),
      evictedRecords: 0,
      evictedChannels: 0,
      evictedContexts: 0,
      evictedPorts: 0,
      evictedPortsPosted: 0,
      inferred: emptyCounts(),
      waiting: 0,
      counted: { posted: 0, delivered: 0 },
      countedCarriers: { posted: 0, received: 0 },
    },
    totals: { posted: 0, delivered: 0, dropped: 0, unobserved: 0, carriers: 0 },
    ids: { c: 0, p: 0, m: 0, k: 0, t: 0, d: 0 },
    clock: -Infinity,
    waitingFacts: 0,
    factLog: { recent: new Fifo(), sizes: new Fifo(), chars: 0, pinned: [], pinnedAfterPrune: 0 },
    ready: new Set(),
    countedLeft: new WeakMap(),
    owing: new Set(),
    queueWaiters: new Map(),
    senderWaiters: new Set(),
    waitingContexts: new Set(),
    diagnostics: new Map(),
    leastMeasures: new Map(),
    measuredPairs: 0,
    finishedChannels: new Set(),
    evictedLocals: new Map(),
    evictedContexts: new Set(),
    contextsScannedAt: 0,
  };
}

export function nextId(state: ModelState, kind: keyof ModelState['ids']): string {
  return `${kind}${++state.ids[kind]}`;
}

export function count(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (Object.hasOwn(record, key) ? record[key] : 0) + by;
}

export function bindingKey(ctx: string, local: number): string {
  return `${ctx}#${local}`;
}
