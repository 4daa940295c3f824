/**
 * MAIN-world entry (document_start, every frame): the private handshake with the isolated
 * content script (BROWSERS.md), then install. The private channel is made with the captured
 * native constructor before anything is patched, so it has no id and emits no facts; it is
 * offered on `document` in a synchronous MessageEvent the content script stops at once, and
 * offered again if the content script announces itself later.
 */
import type { Fact } from '../protocol/facts.ts';
import { DEFAULT_RUNTIME_CONFIG, HANDSHAKE_ANNOUNCE, HANDSHAKE_OFFER, type RuntimeConfig, type RuntimeToRelay } from '../protocol/handshake.ts';
import { install } from './install.ts';
import { encodeBatch } from './batch-json.ts';
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
  nativeRemoveEventListener,
} from './natives.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const g = G;
const doc: Document | undefined = g.document;

// An exception escaping this script would reach the page's window.onerror: never let one out.
try {
  if (NativeMessageChannel && NativeMessageEvent && doc) connect(doc);
} catch {
  // The page runs uninstrumented rather than differently.
}

function connect(doc: Document): void {
  const channel = construct(NativeMessageChannel as never, []);
  const port1 = messageChannelPort1(channel) as MessagePort;
  const port2 = messageChannelPort2(channel) as MessagePort;
  let seq = 1;
  let connected = false;

  const offer = () => {
    const event = construct(NativeMessageEvent as never, [HANDSHAKE_OFFER, { ports: [port2] }]);
    apply(nativeDispatchEvent, doc, [event]);
  };
  // The content script announces once, when it starts listening: offer again, then stop listening.
  const onAnnounce = () => {
    apply(nativeRemoveEventListener, doc, [HANDSHAKE_ANNOUNCE, onAnnounce, true]);
    if (!connected) offer();
  };
  apply(nativeAddEventListener, doc, [HANDSHAKE_ANNOUNCE, onAnnounce, true]);

  const runtime = install(g, {
    deliver(facts: Fact[]) {
      // Batches wait in the private port's queue until the content script starts it. One string
      // is cheap to clone and to forward; objects are the fallback when the page could see
      // JSON.stringify at work (injected/batch-json.ts).
      const encoded = encodeBatch(facts);
      const message: RuntimeToRelay = encoded ? { type: 'batch', seq: seq++, count: facts.length, kinds: encoded.kinds, json: encoded.json } : { type: 'batch', seq: seq++, facts };
      apply(nativePortPostMessage, port1, [message]);
    },
  }, DEFAULT_RUNTIME_CONFIG);

  apply(nativeAddEventListener, port1, [
    'message',
    (event: Event) => {
      connected = true;
      const data = messageEventData(event) as { type?: unknown; config?: Partial<RuntimeConfig>; workerRuntime?: unknown; recordMessages?: unknown } | null;
      if (data && data.type === 'config' && typeof data.config === 'object' && data.config !== null) {
        // In-worker instrumentation writes this text into its bootstraps. It comes with the
        // config (only while the setting is on) rather than in this script: most frames never
        // need its 36 KB parsed (vite.config.ts).
        if (typeof data.workerRuntime === 'string' && workerRuntimeSource() === undefined) setWorkerRuntimeSource(asWorkerRuntimeFunction(data.workerRuntime));
        // A relay that does not say keeps the runtime as it is (recording until told).
        runtime.configure({ captureStacks: !!data.config.captureStacks, inWorker: !!data.config.inWorker }, typeof data.recordMessages === 'boolean' ? data.recordMessages : undefined);
      }
    },
  ]);
  apply(nativePortStart, port1, []);
  apply(nativePortPostMessage, port1, [{ type: 'hello', ctx: runtime.ctx }]);
  offer();
}
