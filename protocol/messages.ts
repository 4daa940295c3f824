/**
 * Messages between the extension's parts (validated on receipt: protocol/validate.ts, from the
 * shapes of protocol/message-shapes.ts, against which these types are checked).
 *
 *   content relay ──(runtime port "portscope-content")──► background ◄──(runtime port "portscope-panel")── panel
 *
 * A *relay* is one content-script instance: one document in one frame of one tab. Its id is
 * random, and it numbers its batches 1, 2, 3... (`seq`). The background acknowledges each
 * batch; after the background was stopped (Chrome may stop the service worker any time) the
 * relay says hello again and re-sends what the background does not have, so a batch is never
 * lost and never counted twice. The same (source, seq) pairs reach the panel, which keeps a
 * `Cursor` and sends it when it subscribes again, so replays do not reach it twice either.
 *
 * A *session* is one top-level document: its id is the id of the top frame's relay.
 */
import type { Fact } from './facts.ts';
import type { RuntimeConfig } from './handshake.ts';

export const CONTENT_PORT_NAME = 'portscope-content';
export const PANEL_PORT_NAME = 'portscope-panel';
/** The devtools page's connection: open exactly while a DevTools window is open on its tab. */
export const DEVTOOLS_PORT_NAME = 'portscope-devtools';
/**
 * browser.storage.local key of the "Record while DevTools is closed" preference (boolean,
 * default false): the panel's settings write it, the background follows it.
 */
export const RECORD_WHILE_CLOSED_KEY = 'portscope.recordWhileClosed';

/**
 * browser.storage.session key prefix of the Chrome extension's "See inside workers" setting,
 * per inspected tab (`portscope.seeInsideWorkers.<tabId>`, true when on): the panel's settings
 * write it, the background attaches `chrome.debugger` to the tab while it is on and a panel is
 * open (extension/worker-debugger.ts). Session storage: it ends with the browser.
 */
export const SEE_INSIDE_WORKERS_PREFIX = 'portscope.seeInsideWorkers.';

/**
 * The longest JSON text of one runtime batch the relay accepts (characters). The runtime sends
 * a longer batch as objects instead, which the relay checks fact by fact.
 */
export const RUNTIME_JSON_MAX_CHARS = 16 * 1024 * 1024;

/** Per fact kind (`port-posted`...), how many facts were lost. */
export type DropCounts = Record<string, number>;

/**
 * An empty set of counts. Keys come from the page or the wire, so the object has no prototype:
 * a key named `constructor`, `toString` or `__proto__` is a count like any other.
 */
export function emptyCounts(): DropCounts {
  return Object.create(null) as DropCounts;
}

/** Adds `from`'s counts into `into`, kind by kind (own keys only on both sides). */
export function addCounts(into: DropCounts, from: DropCounts | undefined): void {
  if (!from) return;
  for (const kind of Object.keys(from)) into[kind] = (Object.hasOwn(into, kind) ? into[kind] : 0) + from[kind];
}

// ── content relay → background ──────────────────────────────────────────────

export type ContentToBackground =
  /** First message on every connection (and again after a reconnect). */
  | {
      type: 'hello';
      relay: string;
      /** The session this relay belongs to, when the background told it earlier (null on first contact). */
      session: string | null;
      /** The document's URL (for the session message of a top frame). */
      url: string;
      /** True for a top-level document. */
      top: boolean;
      /** The last seq this relay has sent (0 before any). */
      lastSeq: number;
      /** The first seq it still holds (older batches were evicted from its bounded log). */
      firstRetained: number;
      /** Per kind, facts of those evicted batches (a background that restarted will never see them). */
      evicted?: DropCounts;
    }
  | (BatchHeader & { type: 'batch'; facts: Fact[] })
  /**
   * The runtime's texts (the compact wire of protocol/wire.ts), forwarded unparsed (parsing them
   * on the page's thread is the cost this form avoids). The background decodes and validates each
   * one; a text it cannot read costs only itself, a bad record only its fact, counted as rejected.
   */
  | (BatchHeader & { type: 'json-batch'; json: EncodedFacts[] });

/** What every numbered batch of a relay carries besides its facts. */
export interface BatchHeader {
  seq: number;
  /** Facts the relay dropped (its own bounds) since the last batch, per kind. */
  dropped?: DropCounts;
  /** Facts the relay rejected as malformed since the last batch, and the first error. */
  rejected?: number;
  error?: string;
  /**
   * The document's `navigator.userAgent`, on the first batch of each connection: the background
   * adds it to the `context` facts of this relay's runtime, which does not read it at
   * document_start (injected/install.ts Announced). Not in the hello, which the relay says at
   * document_start: the first batch leaves in a later task.
   */
  userAgent?: string;
}

/**
 * One runtime batch as the runtime serialized it: `count` facts in the compact wire of
 * protocol/wire.ts (a JSON text), or a plain JSON array of them.
 */
export interface EncodedFacts {
  json: string;
  count: number;
}

/** A relay batch after the background decoded it: facts, whatever form it travelled in. */
export type DecodedBatch = BatchHeader & {
  type: 'batch';
  facts: Fact[];
  /** Facts the background itself rejected in this batch, and the first error. */
  rejectedFacts?: number;
  factError?: string;
  /** Characters of the texts the facts came as (absent when they came as objects). */
  chars?: number;
  /**
   * The texts as they came, when every fact of them was accepted (absent when they came as
   * objects or one was refused): sent on to panels as they are while nothing changes the facts.
   */
  texts?: EncodedFacts[];
};

// ── background → content relay ──────────────────────────────────────────────

export type BackgroundToContent =
  /**
   * Reply to hello: re-send everything after `resumeAfter`. `recordMessages`: whether someone
   * watches the tab (DevTools open, a subscribed panel, or the "Record while DevTools is closed"
   * preference); when false the runtime counts plain messages instead of recording them.
   */
  | {
      type: 'welcome';
      session: string;
      resumeAfter: number;
      config: RuntimeConfig;
      workerRuntime?: string;
      recordMessages: boolean;
    }
  | { type: 'ack'; seq: number }
  /**
   * Sent when the panel changes the config or the tab's `recordMessages` changes.
   * `workerRuntime`: the in-worker runtime's text, present exactly when `config.inWorker` is on (the relay forwards it
   * to the MAIN world).
   */
  | { type: 'config'; config: RuntimeConfig; workerRuntime?: string; recordMessages: boolean }
  /** The panel cleared the log: forget retained batches up to `seq`. */
  | { type: 'forget'; seq: number };

/** One-shot message (tabs.sendMessage) to every relay of a tab: connect and say hello. */
export type ResyncRequest = { type: 'resync' };

// ── panel → background ──────────────────────────────────────────────────────

/** Per source (relay id), the highest batch seq the panel has applied. */
export type Cursor = Record<string, number>;

export type PanelToBackground =
  /** Send me the tab's buffered facts after `cursor`, then everything new. */
  | { type: 'subscribe'; tabId: number; cursor?: Cursor }
  | { type: 'clear'; tabId: number }
  /** For the subscribed tab; forwarded to every frame's runtime. */
  | { type: 'config'; config: RuntimeConfig }
  /** Is Portscope in this tab's page at all? Answered with `presence`. */
  | { type: 'probe'; tabId: number };

// ── devtools page → background ──────────────────────────────────────────────

/** The only message on a devtools connection: the tab this DevTools window inspects (it is watched until the connection ends). */
export type DevtoolsToBackground = { type: 'inspect'; tabId: number };

// ── background → panel ──────────────────────────────────────────────────────

export type BackgroundToPanel =
  /**
   * A chunk of the tab's log (one relay batch) as the compact wire texts of protocol/wire.ts, one
   * string per part rather than a graph of objects: Chrome's extension messaging serializes a
   * string far more cheaply than the facts' objects, in the background, the browser process and
   * the panel. The texts are the relay's own where they are exactly the facts the background kept,
   * else the background's encoding of them (injected/batch-json.ts, the one encoder). The panel
   * decodes and checks every fact (validate.ts, receiveBackgroundToPanel) and applies all of the
   * chunk or none of it.
   */
  | { type: 'facts-text'; tabId: number; session: string; source: string; seq: number; json: EncodedFacts[] }
  /** A new top-level document (reload, navigation, bfcache restore). The panel keeps the old one when "preserve log" is on. */
  | { type: 'session'; tabId: number; session: string; url: string }
  | {
      type: 'status';
      tabId: number;
      /** Facts lost before reaching the background (relay bounds), per kind. */
      dropped: DropCounts;
      /** Facts evicted from the background's bounded buffer (a panel that was connected has them; a later one does not). */
      evicted: DropCounts;
      /** Facts held in the background's buffer for this tab. */
      buffered: number;
      /** Malformed facts and messages rejected on the way, and the first error. */
      rejected: number;
      lastError?: string;
    }
  /**
   * A Clear: the messages of the facts sent before it go, the structure stays. Sent to the tab's
   * other panels when one clears, and to a panel that subscribes without a cursor where the
   * latest Clear falls in its replay.
   */
  | { type: 'cleared'; tabId: number }
  /**
   * Reply to `probe`. `relays`: content relays of the tab's current session still connected;
   * `contentScript`: whether the tab answered a message to its content scripts (false when none
   * runs in it: a page loaded before the extension, or one extensions may not script).
   */
  | { type: 'presence'; tabId: number; relays: number; contentScript: boolean };

/**
 * A `facts-text` chunk as the panel applies it, its texts decoded and every fact checked
 * (validate.ts, receiveBackgroundToPanel). Never sent as it is: objects cost Chrome's extension
 * messaging several times what one string does.
 */
export interface FactsChunk {
  type: 'facts';
  tabId: number;
  session: string;
  source: string;
  seq: number;
  facts: Fact[];
}

/**
 * For the panel: true when a chunk is new (not a replay it already applied), and
 * records it in the cursor. Batches of one source arrive in seq order.
 */
export function advanceCursor(cursor: Cursor, msg: { source: string; seq: number }): boolean {
  if ((cursor[msg.source] ?? 0) >= msg.seq) return false;
  cursor[msg.source] = msg.seq;
  return true;
}
