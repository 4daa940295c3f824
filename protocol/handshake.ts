/**
 * The private handshake between the MAIN-world runtime and the isolated content script
 * (see ../shared/BROWSERS.md). The event type names carry a nonce chosen at build time
 * (vite `define`), so a page cannot listen for them, and the content script accepts only
 * the first port it is handed: the MAIN-world script runs before any page script.
 */
declare const __PORTSCOPE_NONCE__: string;

const nonce = typeof __PORTSCOPE_NONCE__ === 'string' ? __PORTSCOPE_NONCE__ : 'dev';

/** Dispatched by the MAIN world on `document` with `ports: [port]`. */
export const HANDSHAKE_OFFER = `portscope-offer-${nonce}`;
/** Dispatched by the content script on `document` to ask the MAIN world to offer (again). */
export const HANDSHAKE_ANNOUNCE = `portscope-announce-${nonce}`;

/** What travels over the private port, MAIN world → content script. */
export type RuntimeToRelay =
  /** A batch as objects: the fallback when JSON text could be seen by the page (injected/batch-json.ts). */
  | { type: 'batch'; seq: number; facts: unknown[] }
  /**
   * A batch as one JSON text (a JSON array of facts), so neither side walks an object graph on
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
}

export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = { captureStacks: false, inWorker: false };
