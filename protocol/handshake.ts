/**
 * The private handshake between the MAIN-world runtime and the isolated content script: a
 * MessagePort handed over without the page seeing it. The offer is dispatched once, before any
 * page script runs, and the content script accepts it only then (content/handshake.ts): its
 * event name is no secret (the build's nonce is the same in every copy of a release) and need not be.
 */
import type { PreviewBounds } from './facts.ts';

declare const __PORTSCOPE_NONCE__: string;

const nonce = typeof __PORTSCOPE_NONCE__ === 'string' ? __PORTSCOPE_NONCE__ : 'dev';

/** Dispatched by the MAIN world on `document` with `ports: [port]`. */
export const HANDSHAKE_OFFER = `portscope-offer-${nonce}`;

/**
 * Dispatched by the content script on its end of the private channel as it takes the offer,
 * with the realm bridge's secret (a string no page script can read) as `data`.
 */
export const HANDSHAKE_SECRET = `portscope-secret-${nonce}`;

/**
 * Dispatched by the MAIN world, synchronously, on the content script's end of the private
 * channel (a port no page code holds), with a `batch` message as `data`.
 */
export const RUNTIME_BATCH_EVENT = `portscope-batch-${nonce}`;

/**
 * Dispatched by the content script, synchronously, on its end of the private channel when
 * in-worker instrumentation is known at document_start (Firefox: a content script the
 * background registers while the setting is on and this document's URL was seen to allow blob:
 * workers, extension/early-in-worker.ts), before any page script runs; `data` is the in-worker
 * runtime's text. The tab's own config, which comes later, still decides for later workers.
 */
export const EARLY_IN_WORKER = `portscope-early-in-worker-${nonce}`;

/**
 * Names in the content scripts' own global (the isolated world, which no page script sees) by
 * which the registered script (`in-worker-early.js`, vite.config.ts) reaches the relay,
 * whichever of the two the browser runs first: the relay's function, or the text left for it.
 */
export const EARLY_IN_WORKER_HOOK = 'portscopeEarlyInWorker';
export const EARLY_IN_WORKER_TEXT = 'portscopeEarlyInWorkerText';

/** What travels from the MAIN world to the content script. */
export type RuntimeToRelay =
  /** A batch as objects (no longer sent by this runtime, still accepted by the relay). */
  | { type: 'batch'; seq: number; facts: unknown[] }
  /**
   * A batch as one text (the compact wire of protocol/wire.ts), so neither side walks an object graph on
   * the page's thread. `count` and `kinds` (facts per kind, summing to `count`) let the relay
   * bound and account for it without parsing it; the background parses and validates it.
   */
  | { type: 'batch'; seq: number; count: number; kinds: Record<string, number>; json: string }
  | { type: 'hello'; ctx: string };

/** What travels over the private port, content script → MAIN world. */
export type RelayToRuntime = {
  type: 'config';
  config: RuntimeConfig;
  /**
   * The in-worker runtime's text (vite.config.ts), sent only while `config.inWorker` is on, so
   * the MAIN-world script need not carry it in every frame; otherwise null. Always present, so
   * the runtime never looks it up on a prototype the page may have patched.
   */
  workerRuntime: string | null;
  /**
   * Record every message (true), or count plain traffic (`messages-counted` facts) because
   * nobody watches the tab: the background decides (extension/router.ts). Until the first
   * config arrives the runtime records, so a page loaded with DevTools open misses nothing.
   */
  recordMessages: boolean;
};

export interface RuntimeConfig {
  /** Capture a stack for every post (off by default: it is the expensive part). */
  captureStacks: boolean;
  /** Instrument dedicated and shared workers from inside (opt-in). */
  inWorker: boolean;
  /**
   * How much of each message the preview records (facts.ts PreviewBounds); PREVIEW_BOUNDS when
   * absent. PREVIEW_FULL is "capture full data".
   */
  preview?: PreviewBounds;
}

export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = { captureStacks: false, inWorker: false };
