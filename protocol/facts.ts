/**
 * Facts: what the injected runtime in one context (a window, an iframe, a worker) saw,
 * in the HTML Standard's terms, with *local* ids. The runtime knows nothing of other
 * contexts; the model (panel/model) correlates local ids of many contexts into global
 * channels and ports. Every boundary (injected → content → background → panel, trace
 * files) carries these facts and validates them on receipt (protocol/validate.ts) with the
 * checks derived from their shapes (protocol/fact-shapes.ts, bounds included); these types are
 * checked against those shapes when type-checking.
 *
 * Ids:
 *  - `ctx`  a context id: random, unique per global (per document or worker instance).
 *  - `port` a local port id: a small positive integer, unique within its context, given
 *           to a MessagePort object on first sight (constructor, event.ports, SharedWorker.port).
 *           A port transferred into a context is a *new object* there, so it gets a new local id;
 *           the model links the two through shipped/received facts.
 *  - `channel` a local channel id, unique within the context that created the channel.
 */

export type ContextKind = 'window' | 'iframe' | 'worker' | 'sharedworker' | 'serviceworker';

/** A bounded, JSON-safe picture of a structured-clone value. Never the value itself. */
export type Preview =
  | { t: 'undefined' }
  | { t: 'null' }
  | { t: 'boolean'; v: boolean }
  | { t: 'number'; v: number | 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  /** `len` and `truncated` only when the digits were cut at the preview bound. */
  | { t: 'bigint'; v: string; len?: number; truncated?: true }
  /** `len` is the full length; `v` holds at most the preview bound; `truncated` when cut. */
  | { t: 'string'; v: string; len: number; truncated?: true }
  | { t: 'array'; len: number; items: Preview[]; truncated?: true }
  /**
   * A plain object; `entries` in own-key order. An accessor property shows as `{t:'getter'}`.
   * A key longer than the preview's string bound is cut; its entry's third item is its length.
   */
  | { t: 'object'; entries: [string, Preview, number?][]; keys: number; truncated?: true }
  | { t: 'map'; size: number; entries: [Preview, Preview][]; truncated?: true }
  | { t: 'set'; size: number; items: Preview[]; truncated?: true }
  | { t: 'date'; v: number }
  // A `…Len` field is present only when that text was cut at the preview's string bound.
  | { t: 'regexp'; source: string; flags: string; sourceLen?: number }
  | { t: 'arraybuffer'; byteLength: number; shared?: true }
  | { t: 'typedarray'; ctor: string; length: number; byteLength: number }
  | { t: 'dataview'; byteLength: number }
  | { t: 'blob'; size: number; type: string; name?: string; typeLen?: number; nameLen?: number }
  | { t: 'error'; name: string; message: string; nameLen?: number; messageLen?: number }
  | { t: 'boxed'; inner: Preview }
  | { t: 'messageport'; port: number }
  | { t: 'getter' }
  /** A host object we do not describe further (ImageBitmap, CryptoKey, ...). */
  | { t: 'host'; tag: string; tagLen?: number }
  /**
   * A container the runtime did not walk (the depth or node bound was reached): its kind and
   * size (enumerable own keys, length, or entries), so the inspector can say what is behind it.
   * Traces written before the cut was described hold `{t:'more'}` alone.
   */
  | { t: 'more'; kind?: CutKind; size?: number }
  /** A reference to an object already shown earlier in this preview (cycle or shared). */
  | { t: 'ref'; path: string }
  | { t: 'function' }
  | { t: 'symbol' };

/** What a `more` node stands for. */
export type CutKind = 'object' | 'array' | 'map' | 'set';

/** One entry of a transfer list, in its original order. */
export type TransferItem =
  | { t: 'port'; port: number }
  | { t: 'arraybuffer'; byteLength: number }
  | { t: 'other'; tag: string };

/** Where a carrier message went or came from. */
export type CarrierKind =
  | 'window' // window.postMessage
  | 'worker' // Worker#postMessage (from the owner) and DedicatedWorkerGlobalScope#postMessage (from inside)
  | 'sharedworker' // SharedWorker port / onconnect
  | 'serviceworker' // ServiceWorker#postMessage, client.postMessage, navigator.serviceWorker message
  | 'port' // a port carried inside a message on another MessagePort
  | 'broadcast'; // BroadcastChannel (cannot carry ports; counted only)

export interface CallSite {
  /** Raw `Error().stack` lines, page frames only (the runtime's own frames removed), bounded. */
  stack: string[];
}

interface FactBase {
  /** Context-local sequence number, strictly increasing from 1. Ordering within a context. */
  seq: number;
  /** Wall-clock time in ms (performance.timeOrigin + performance.now()), fractional. */
  time: number;
}

export type Fact =
  /** The first fact of every context. */
  | (FactBase & {
      kind: 'context';
      ctx: string;
      contextKind: ContextKind;
      url: string;
      origin: string;
      /** `top`, `top.frames[1].frames[0]`; for workers the owner's path plus `/worker[n]`. Empty when unknown. */
      framePath: string;
      /** The parent context id when known (same-origin parent), else undefined. */
      parent?: string;
      /** Whether the runtime runs inside this context (false for a worker seen from outside). */
      observed: boolean;
      /**
       * The context's `navigator.userAgent`. Absent as the extension's MAIN-world runtime sends it
       * (it does not read `navigator` at document_start): the background fills it in from what
       * the relay says with its first batch, so facts past the background carry it unless the relay said none.
       */
      userAgent?: string;
      /**
       * How the runtime got inside a worker: evaluated before its first line through the DevTools
       * protocol, or built into it by the in-worker bootstrap (a blob: script). Absent for documents.
       */
      inside?: 'protocol' | 'bootstrap';
    })
  /** The context is going away (pagehide without persistence, iframe removed, worker closed/terminated). */
  | (FactBase & { kind: 'context-destroyed'; ctx: string; reason: 'unload' | 'terminate' | 'close' | 'removed' })
  /** `new MessageChannel()`: two new ports, entangled. */
  | (FactBase & {
      kind: 'channel-created';
      ctx: string;
      channel: number;
      port1: number;
      port2: number;
      site?: CallSite;
    })
  /**
   * A port object seen for the first time that this context did not create (e.g. SharedWorker.port).
   * `late`: a port of this context first seen when used (it arrived by a path the runtime missed).
   */
  | (FactBase & { kind: 'port-seen'; ctx: string; port: number; how: 'sharedworker' | 'other' | 'late' })
  /**
   * `port.postMessage(message, transfer)` returned normally. `msg` numbers posts on this port
   * from 1 (the model pairs the k-th dispatch at the peer with the k-th post here).
   * `outcome` is what this context can tell locally: `sent` (entangled, queued at the peer as far
   * as we know), `closed` (this port was closed: dropped), `shipped` (this object was
   * transferred away earlier: dropped), `doomed` (the peer was in the transfer list: dropped).
   */
  | (FactBase & {
      kind: 'port-posted';
      ctx: string;
      port: number;
      msg: number;
      preview: Preview;
      /** Estimated serialized size in bytes (lower bound when the preview was truncated). */
      bytes: number;
      fingerprint: string;
      transfer: TransferItem[];
      outcome: 'sent' | 'closed' | 'shipped' | 'doomed';
      site?: CallSite;
    })
  /** A postMessage (on a port or a carrier) threw; nothing was sent. */
  | (FactBase & {
      kind: 'clone-error';
      ctx: string;
      /** The port posted on, or 0 when the carrier was not a port. */
      port: number;
      carrier: CarrierKind;
      name: string;
      message: string;
      site?: CallSite;
    })
  /** The port message queue was enabled: `start()` or the first `onmessage` assignment. */
  | (FactBase & { kind: 'port-enabled'; ctx: string; port: number; how: 'start' | 'onmessage' })
  | (FactBase & {
      kind: 'listener-added' | 'listener-removed';
      ctx: string;
      port: number;
      type: 'message' | 'messageerror' | 'close';
      via: 'addEventListener' | 'onmessage' | 'onmessageerror' | 'onclose';
    })
  /**
   * A `message` event was dispatched at a port. `handlers` is how many page handlers ran,
   * `duration` their total time in ms, `threw` the first exception one of them threw.
   * `ports` are the local ids of the ports that arrived in `event.ports`.
   * `preview` and `fingerprint` are left out when this context reported the message's
   * `port-posted` itself (the post carries both); `fingerprint` stays when `ports` is non-empty.
   */
  | (FactBase & {
      kind: 'message-dispatched';
      ctx: string;
      port: number;
      fingerprint?: string;
      preview?: Preview;
      ports: number[];
      handlers: number;
      duration: number;
      threw?: { name: string; message: string };
    })
  /**
   * Messages counted rather than recorded: while nobody watches the tab (no DevTools open on it,
   * no recorder, "record while DevTools is closed" off), the runtime records no per-message
   * facts for plain traffic. `posted` counts this port object's posts that were sent with no
   * port in their transfer list; `dispatched` counts `message` events at it with empty
   * `event.ports`; both since the port's previous `messages-counted`. Everything else (posts
   * with ports or that were not sent, port-received, shipped, closed, errors...) is still
   * recorded, and a port's counts are reported before any later fact about that port, so the
   * order of its queue is kept. Counted messages have no preview, site, or handler timing.
   */
  | (FactBase & { kind: 'messages-counted'; ctx: string; port: number; posted: number; dispatched: number })
  /** A `messageerror` event at a port (deserialization failed in this realm). */
  | (FactBase & { kind: 'messageerror'; ctx: string; port: number })
  /**
   * This port object was transferred away in a carrier message. `via` names the carrier;
   * `carrierId` is this context's id of that carrier message (see carrier-posted), `index` the
   * position of the port among the message's transferred ports.
   */
  | (FactBase & {
      kind: 'port-shipped';
      ctx: string;
      port: number;
      carrier: CarrierKind;
      carrierId: number;
      index: number;
    })
  /**
   * A new port object arrived here in `event.ports`. `carrier` says how; for `port` carriers,
   * `viaPort` is the local port the carrying message was dispatched at.
   * `fingerprint` is the carrying message's fingerprint, `index` the position in event.ports.
   */
  | (FactBase & {
      kind: 'port-received';
      ctx: string;
      port: number;
      carrier: CarrierKind;
      viaPort?: number;
      /** For window carriers: the frame path of `event.source` when computable, and `event.origin`. */
      sourcePath?: string;
      sourceOrigin?: string;
      fingerprint: string;
      index: number;
      count: number;
    })
  /** `port.close()` was called. */
  | (FactBase & { kind: 'port-closed'; ctx: string; port: number; site?: CallSite })
  /** A `close` event fired at the port (its peer was closed or collected). */
  | (FactBase & { kind: 'close-event'; ctx: string; port: number })
  /** The port object was garbage collected (FinalizationRegistry). */
  | (FactBase & { kind: 'port-collected'; ctx: string; port: number })
  /**
   * A carrier message left this context: `window.postMessage`, `worker.postMessage`,
   * `self.postMessage` in a worker, `serviceWorker.postMessage`, `client.postMessage`.
   * Only emitted when it carried ports or when carrier tracing counts it (every carrier post
   * is counted; `ports` lists shipped local ports).
   */
  | (FactBase & {
      kind: 'carrier-posted';
      ctx: string;
      carrierId: number;
      carrier: CarrierKind;
      /** For `window`: frame path of the target window when computable; for workers: the worker's local id. */
      target: string;
      targetOrigin?: string;
      /**
       * For `Client#postMessage` in a service worker: the target client's `url` and `type`, as the
       * service worker's `Client` object reports them (absent when too long to carry).
       */
      clientUrl?: string;
      clientType?: 'window' | 'worker' | 'sharedworker';
      fingerprint: string;
      preview: Preview;
      bytes: number;
      transfer: TransferItem[];
      site?: CallSite;
    })
  /** A carrier message arrived in this context (window/worker/sharedworker/serviceworker `message`). */
  | (FactBase & {
      kind: 'carrier-received';
      ctx: string;
      carrier: CarrierKind;
      source: string;
      sourceOrigin?: string;
      fingerprint: string;
      ports: number[];
    })
  /** A Worker/SharedWorker was constructed here. `worker` is a local id (unique within ctx). */
  | (FactBase & {
      kind: 'worker-created';
      ctx: string;
      worker: number;
      workerKind: 'worker' | 'sharedworker';
      url: string;
      module: boolean;
      /** The ctx id the worker's own runtime will announce, when in-worker instrumentation is on. */
      childCtx?: string;
    })
  | (FactBase & { kind: 'worker-terminated'; ctx: string; worker: number })
  /** The runtime dropped facts it could not hold (bounded buffer); counted per kind. */
  | (FactBase & { kind: 'facts-dropped'; ctx: string; counts: Record<string, number> })
  /** Something the runtime wants to tell the user (e.g. in-worker instrumentation refused by CSP). */
  | (FactBase & { kind: 'runtime-note'; ctx: string; code: string; message: string })
  /**
   * This context's client message queue (`navigator.serviceWorker`, where what a service worker
   * posts to this client waits) was enabled for the first time: `startMessages()`, the first
   * `onmessage` assignment, or the document's own rule (DOMContentLoaded was dispatched; also
   * reported when the runtime arrived after the document stopped `loading`). Emitted once per
   * context; the document's rule is reported only where the recorder watches the queue.
   */
  | (FactBase & {
      kind: 'client-message-queue-enabled';
      ctx: string;
      how: 'startMessages' | 'onmessage' | 'document';
    })
  /**
   * Carrier messages counted rather than recorded: while nobody watches the tab (see
   * `messages-counted`), a `worker` or `window` carrier message that transfers no port is not
   * described one by one. `posted` counts this context's posts on that carrier that would have
   * been a `carrier-posted` fact (for `window`, only posts with a transfer list: those without
   * one are never traced); `received` counts trusted `message` events of that carrier here with
   * empty `event.ports` (each would have been a `carrier-received`); both since this context's
   * previous `carriers-counted` for the carrier. Carrier messages that transfer a port, and every
   * `serviceworker` carrier message, are still recorded. Counted ones have no preview,
   * fingerprint, source or target.
   */
  | (FactBase & {
      kind: 'carriers-counted';
      ctx: string;
      carrier: 'worker' | 'window';
      posted: number;
      received: number;
    });

export type FactKind = Fact['kind'];

export const FACT_KINDS: readonly FactKind[] = [
  'context',
  'context-destroyed',
  'channel-created',
  'port-seen',
  'port-posted',
  'clone-error',
  'port-enabled',
  'listener-added',
  'listener-removed',
  'message-dispatched',
  'messages-counted',
  'messageerror',
  'port-shipped',
  'port-received',
  'port-closed',
  'close-event',
  'port-collected',
  'carrier-posted',
  'carrier-received',
  'worker-created',
  'worker-terminated',
  'facts-dropped',
  'runtime-note',
  'client-message-queue-enabled',
  'carriers-counted',
];

/** Where the runtime sends facts. The runtime knows nothing beyond this interface. */
export interface FactSink {
  emit(fact: Fact): void;
}

/**
 * How much of a message the runtime records in its preview: containers are walked to `depth`
 * levels (below it a container is a described `more`), at most `keys` entries of each, texts
 * cut at `stringLength`, at most `nodes` nodes and `chars` characters of text in all.
 */
export interface PreviewBounds {
  depth: number;
  keys: number;
  stringLength: number;
  nodes: number;
  chars: number;
}

/**
 * The default, dehydrated: chosen from a CPU profile of a page posting 1 KB records (BENCHMARKS.md,
 * "Dehydrated previews"), where the preview's cost grows with every node it writes.
 */
export const PREVIEW_BOUNDS: PreviewBounds = {
  depth: 2,
  keys: 10,
  stringLength: 120,
  nodes: 100,
  chars: 8_192,
};

/**
 * "Capture full data": every node, up to these safety limits, which bound one preview's memory
 * (about 0.5 M characters of JSON at most) and which no setting may exceed. The validators
 * (limits.ts) accept what these make.
 */
export const PREVIEW_FULL: PreviewBounds = {
  depth: 24,
  keys: 1_000,
  stringLength: 16_384,
  nodes: 10_000,
  chars: 262_144,
};

/** The smallest value each bound may be set to. */
export const PREVIEW_MIN: PreviewBounds = {
  depth: 1,
  keys: 1,
  stringLength: 16,
  nodes: 16,
  chars: 1_024,
};
