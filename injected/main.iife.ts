/**
 * MAIN-world entry (document_start, every frame): the private handshake with the isolated
 * content script (protocol/handshake.ts), then install. The private channel is made with the
 * captured native constructor before anything is patched, so it has no id and emits no facts; it
 * is offered on `document` in a synchronous MessageEvent the content script stops at once,
 * exactly once: the content script runs first (it is listed first in the manifest), and a second
 * offer could only be taken by the page.
 */
import type { Fact } from '../protocol/facts.ts';
import {
  DEFAULT_RUNTIME_CONFIG,
  EARLY_IN_WORKER,
  HANDSHAKE_OFFER,
  HANDSHAKE_SECRET,
  RUNTIME_BATCH_EVENT,
  type RuntimeConfig,
  type RuntimeToRelay,
} from '../protocol/handshake.ts';
import { awaitBridgeKey, keyBridge } from './realm.ts';
import { takeWorkerNaming } from './worker-naming-flag.ts';
import { install } from './install.ts';
import { encodeBatches } from './batch-json.ts';
import { RUNTIME_JSON_MAX_CHARS } from '../protocol/messages.ts';
import { ownPreviewBounds } from './preview.ts';
import { asWorkerRuntimeFunction, setWorkerRuntimeSource, workerRuntimeSource } from './worker-source.ts';
import {
  G,
  NativeMessageChannel,
  NativeMessageEvent,
  apply,
  construct,
  messageChannelPort1,
  messageChannelPort2,
  messageEventData,
  nativeAddEventListener,
  nativeDispatchEvent,
  nativePortPostMessage,
  nativePortStart,
} from './natives.ts';

const g = G;
const doc: Document | undefined = g.document;

// Before install and before any page script: whether the extension's "See inside workers" asked
// this document to name the dedicated workers it makes (extension/worker-targets.ts).
takeWorkerNaming(g);

// An exception escaping this script would reach the page's window.onerror: never let one out.
try {
  if (NativeMessageChannel && NativeMessageEvent && doc) connect(doc);
} catch {
  // The page runs uninstrumented rather than differently.
}

function connect(doc: Document): void {
  // The realm bridge answers the relay's secret only (injected/realm.ts), handed with the offer below.
  awaitBridgeKey();
  const channel = construct(NativeMessageChannel as never, []);
  const port1 = messageChannelPort1(channel) as MessagePort;
  const port2 = messageChannelPort2(channel) as MessagePort;
  let seq = 1;
  let earlyInWorker = false;

  const runtime = install(
    g,
    {
      deliver(facts: Fact[]) {
        // Each batch is one JSON text (injected/batch-json.ts), handed over synchronously as an
        // event on the relay's own end of the private channel, which no page code can reach: a
        // port message would still be queued when the document unloads, and lost uncounted.
        encodeBatches(facts, RUNTIME_JSON_MAX_CHARS, (encoded, count) => {
          const message: RuntimeToRelay = {
            type: 'batch',
            seq: seq++,
            count,
            kinds: encoded.kinds,
            json: encoded.json,
          };
          // A null-prototype init dictionary: reading its members runs no page getter.
          apply(nativeDispatchEvent, port2, [
            construct(NativeMessageEvent as never, [RUNTIME_BATCH_EVENT, { __proto__: null, data: message }]),
          ]);
        });
      },
    },
    DEFAULT_RUNTIME_CONFIG,
    {},
    // The relay says the userAgent (install.ts Announced): no `navigator` read before the page's first script.
    { userAgentByRelay: true },
  );

  apply(nativeAddEventListener, port1, [
    'message',
    (event: Event) => {
      const data = messageEventData(event) as {
        type?: unknown;
        config?: Partial<RuntimeConfig>;
        workerRuntime?: unknown;
        recordMessages?: unknown;
      } | null;
      if (data && data.type === 'config' && typeof data.config === 'object' && data.config !== null) {
        // In-worker instrumentation writes this text into its bootstraps. It comes with the
        // config (only while the setting is on) rather than in this script: most frames never
        // need its 36 KB parsed (vite.config.ts).
        if (typeof data.workerRuntime === 'string' && workerRuntimeSource() === undefined)
          setWorkerRuntimeSource(asWorkerRuntimeFunction(data.workerRuntime));
        // A relay that does not say keeps the runtime as it is (recording until told).
        runtime.configure(
          {
            captureStacks: !!data.config.captureStacks,
            inWorker: !!data.config.inWorker,
            preview: ownPreviewBounds(data.config),
          },
          typeof data.recordMessages === 'boolean' ? data.recordMessages : undefined,
        );
      }
    },
  ]);
  apply(nativePortStart, port1, []);
  apply(nativePortPostMessage, port1, [{ type: 'hello', ctx: runtime.ctx }]);
  // In-worker instrumentation known at document_start (Firefox: extension/early-in-worker.ts):
  // the relay says so synchronously, before any page script, so that the workers of the page's
  // first script are built from the bootstrap. The tab's config, arriving later, has the last word.
  apply(nativeAddEventListener, port2, [
    EARLY_IN_WORKER,
    (event: Event) => {
      const text = messageEventData(event);
      if (typeof text !== 'string' || earlyInWorker) return;
      earlyInWorker = true;
      if (workerRuntimeSource() === undefined) setWorkerRuntimeSource(asWorkerRuntimeFunction(text));
      runtime.blobWorkersAllowedBefore();
      runtime.configure({ captureStacks: DEFAULT_RUNTIME_CONFIG.captureStacks, inWorker: true });
    },
  ]);
  // The relay answers the offer, synchronously, with the realm bridge's secret (realm.ts).
  apply(nativeAddEventListener, port2, [
    HANDSHAKE_SECRET,
    (event: Event) => {
      const secret = messageEventData(event);
      if (typeof secret === 'string') keyBridge(secret);
    },
  ]);
  apply(nativeDispatchEvent, doc, [construct(NativeMessageEvent as never, [HANDSHAKE_OFFER, { ports: [port2] }])]);
}
