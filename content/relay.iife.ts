/**
 * The relay: isolated world, document_start, every frame. Takes the private port of the
 * MAIN-world runtime, checks the envelope of what arrives on it (the runtime's JSON texts are
 * not parsed here: this script runs on the page's thread), and forwards it in numbered batches to the
 * background (content/link.ts). It must stay one synchronous bundle (the `.iife.ts` name tells
 * crxjs so): the handshake listener has to be in place before the MAIN-world script runs.
 */
import {
  EARLY_IN_WORKER,
  EARLY_IN_WORKER_HOOK,
  EARLY_IN_WORKER_TEXT,
  HANDSHAKE_SECRET,
  RUNTIME_BATCH_EVENT,
  type RelayToRuntime,
  type RuntimeConfig,
} from '../protocol/handshake.ts';
import { extensionRuntime } from './extension-runtime.ts';
import { acceptRuntimePort } from './handshake.ts';
import { BackgroundLink } from './link.ts';
import { notObservable } from './not-observable.ts';
import { Outbox } from './outbox.ts';
import { realmSecret } from './realm-secret.ts';
import { ProtocolError, partitionFacts, validateRuntimeToRelay } from '../protocol/validate.ts';

/** The build's browser (vite.config.ts): 'chrome' or 'firefox'. */
declare const __PORTSCOPE_BROWSER__: string;

/** Facts arriving within this window travel in one batch. */
const FLUSH_DELAY_MS = 25;

function randomId(): string {
  // crypto.randomUUID exists only in secure contexts; relays run on plain http pages too.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const runtime = extensionRuntime();
const outbox = new Outbox();
let runtimePort: MessagePort | null = null;
let config: RuntimeConfig | null = null;
/** The in-worker runtime's text, once the background sent it (only while in-worker is on). */
let workerRuntime: string | null = null;
/** The background's latest word on whether the tab is watched (meaningful once `config` is set). */
let recordMessages = true;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
/** The document is being unloaded (pagehide, not into the back/forward cache). */
let unloading = false;

function sendConfig() {
  if (runtimePort && config)
    runtimePort.postMessage({
      type: 'config',
      config,
      workerRuntime: config.inWorker ? workerRuntime : null,
      recordMessages,
    } satisfies RelayToRuntime);
}

const link = new BackgroundLink(
  outbox,
  { relay: randomId(), url: () => location.href, top: window === window.top, userAgent: () => navigator.userAgent },
  {
    connect: (name) => runtime.connect({ name }),
    onConfig(next, text, record) {
      config = next;
      if (text !== undefined) workerRuntime = text;
      recordMessages = record;
      sendConfig();
    },
    onOrphaned() {
      runtimePort?.close();
      runtimePort = null;
    },
  },
);

function flush() {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  link.pump();
}

function receive(raw: unknown) {
  try {
    const m = validateRuntimeToRelay(raw);
    if (m.type !== 'batch') return;
    if ('json' in m) {
      // Forwarded unparsed: the background parses and validates it, off the page's thread.
      outbox.addEncoded({ json: m.json, count: m.count, kinds: m.kinds });
    } else {
      // The runtime's fallback form (objects): validated here, as the relay keeps no unchecked objects.
      const { facts, rejected, firstError } = partitionFacts(m.facts, 'batch.facts');
      outbox.add(facts);
      if (rejected) outbox.reject(rejected, firstError?.message ?? 'rejected');
    }
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    outbox.reject(1, e.message);
  }
  // While the document unloads there is no later task: what arrives goes at once.
  if (unloading || outbox.waitingCount >= 2_000) flush();
  else flushTimer ??= setTimeout(flush, FLUSH_DELAY_MS);
}

// Made (or found among the same-origin relatives' relays) before the runtime offers, so that it
// can be handed over with the offer.
const secret = realmSecret(window);

/**
 * In-worker instrumentation known at document_start: the script the background registers while
 * the setting is on (extension/early-in-worker.ts) hands over the in-worker runtime's text
 * through the content scripts' own global (measured in Firefox ESR 153: the static content
 * scripts run first, then the registered one, then the page's first script; all of an add-on's
 * content scripts in a frame share that global, which no page script sees). The runtime is told
 * synchronously, on its private port, before any page script.
 */
let earlyText: string | null = null;
function earlyInWorker(text: unknown): void {
  if (typeof text !== 'string' || earlyText !== null) return;
  earlyText = text;
  workerRuntime = text;
  runtimePort?.dispatchEvent(new MessageEvent(EARLY_IN_WORKER, { data: text }));
}
const contentGlobal = globalThis as unknown as Record<string, unknown>;
contentGlobal[EARLY_IN_WORKER_HOOK] = earlyInWorker;

acceptRuntimePort(
  document,
  window,
  __PORTSCOPE_BROWSER__ === 'chrome',
  (port, inRelayTask) => {
    // Synchronous, inside the runtime's offer: the runtime keys its realm bridge before any page script runs.
    if (inRelayTask) port.dispatchEvent(new MessageEvent(HANDSHAKE_SECRET, { data: secret }));
    runtimePort = port;
    port.onmessage = (event) => receive(event.data);
    port.addEventListener(RUNTIME_BATCH_EVENT, (event) => receive((event as MessageEvent).data));
    // The registered script ran first (the browser may order them so): it left the text.
    if (EARLY_IN_WORKER_TEXT in contentGlobal) earlyInWorker(contentGlobal[EARLY_IN_WORKER_TEXT]);
    else if (earlyText !== null) port.dispatchEvent(new MessageEvent(EARLY_IN_WORKER, { data: earlyText }));
    sendConfig();
  },
  () => {
    // No runtime runs here (a frame sandboxed without scripts): say so rather than stay silent.
    outbox.add(notObservable(randomId(), location.href, origin, window === window.top));
    flushTimer ??= setTimeout(flush, FLUSH_DELAY_MS);
  },
);

runtime.onMessage.addListener((m: unknown) => {
  if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'resync') link.resync();
  return undefined;
});

// A prerendered document stays quiet until it is shown; one in the back/forward cache too.
if ((document as Document & { prerendering?: boolean }).prerendering) {
  link.pause();
  document.addEventListener('prerenderingchange', () => link.resume(), { once: true });
} else {
  link.pump();
}
addEventListener('pagehide', (e) => {
  if (e.persisted) {
    link.pause();
    return;
  }
  // The runtime's last facts (context-destroyed among them) arrive during this same event,
  // after this listener: each is sent as it comes (receive), on a connection opened now if needed.
  unloading = true;
  link.unload();
  flush();
});
addEventListener('pageshow', (e) => {
  if (e.persisted) link.restore(randomId());
});
