/**
 * Standalone runtime (built to `portscope-injected.js`): for the headless recorder and tests.
 * The recorder exposes `__portscopeEmit` (Playwright `exposeBinding`) and optionally
 * `__portscopeConfig`; both are captured and deleted at once so the page never sees them.
 * Each batch goes out as one JSON string: {"type":"batch","seq":N,"facts":[...]}.
 */
import type { Fact } from '../protocol/facts.ts';
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../protocol/handshake.ts';
import { install } from './install.ts';
import { G, apply, getPrototypeOf, jsonStringify, stringIndexOf, stringSlice } from './natives.ts';
import { documentUrl } from './document-url.ts';
import { ownPreviewBounds } from './preview.ts';
import { nameWorkersForProtocol, protocolIdentity, type ProtocolWorkerConfig } from './worker-protocol.ts';
import { asWorkerRuntimeFunction, setWorkerRuntimeSource } from './worker-source.ts';

declare const __PORTSCOPE_WORKER_RUNTIME__: string;

const g = G;

// Captured here rather than in natives.ts: the add-on's bundle has no promise to handle, and
// every global it names is one a page can see resolved (docs/firefox.md).
const PromiseProto = Promise.prototype;
const promiseThen = PromiseProto.then;

function take(name: string): unknown {
  const value = g[name];
  try {
    delete g[name];
  } catch {
    // Non-configurable: nothing more we can do without changing the page.
  }
  return value;
}

const emit = take('__portscopeEmit');
/**
 * `workerContexts` and `worker`: the recorder instruments workers through the DevTools protocol
 * (injected/worker-protocol.ts); `worker` is what it tells a worker about itself. `'dedicated'`:
 * the extension's debugger, which names dedicated workers only.
 */
const rawConfig = take('__portscopeConfig') as
  | (Partial<RuntimeConfig> & {
      workerContexts?: boolean | 'dedicated';
      worker?: ProtocolWorkerConfig;
      /** `--browser firefox --workers`: the document URL whose policy the recorder read to allow blob: workers (cli/blob-policy.ts). */
      blobWorkersAllowedAt?: string;
    })
  | undefined;
const config: RuntimeConfig = {
  captureStacks:
    typeof rawConfig === 'object' && rawConfig !== null
      ? !!rawConfig.captureStacks
      : DEFAULT_RUNTIME_CONFIG.captureStacks,
  inWorker:
    typeof rawConfig === 'object' && rawConfig !== null ? !!rawConfig.inWorker : DEFAULT_RUNTIME_CONFIG.inWorker,
  preview: typeof rawConfig === 'object' && rawConfig !== null ? ownPreviewBounds(rawConfig) : undefined,
};
const ignore = () => undefined;

/** Whether this global is the document at `url` (fragments aside). */
function isDocument(url: string): boolean {
  if (g.document === undefined) return false;
  const here = documentUrl(g);
  const cut = (u: string) => {
    const i = stringIndexOf(u, '#');
    return i < 0 ? u : stringSlice(u, 0, i);
  };
  return cut(here) === cut(url);
}
let seq = 1;

try {
  // `portscope record --workers` turns in-worker instrumentation on: its bootstraps need this text.
  if (config.inWorker && typeof __PORTSCOPE_WORKER_RUNTIME__ === 'string')
    setWorkerRuntimeSource(asWorkerRuntimeFunction(__PORTSCOPE_WORKER_RUNTIME__));
  const workerContexts = typeof rawConfig === 'object' && rawConfig !== null ? rawConfig.workerContexts : undefined;
  const byProtocol = workerContexts === true || workerContexts === 'dedicated';
  if (byProtocol) nameWorkersForProtocol(workerContexts === 'dedicated' ? 'dedicated' : 'all');
  const installed = install(
    g,
    {
      deliver(facts: Fact[]) {
        if (typeof emit !== 'function') return;
        const result = apply(emit as () => unknown, undefined, [jsonStringify({ type: 'batch', seq: seq++, facts })]);
        // A rejected binding call must not surface as the page's unhandledrejection.
        if (typeof result === 'object' && result !== null && getPrototypeOf(result) === PromiseProto)
          apply(promiseThen, result, [ignore, ignore]);
      },
    },
    config,
    {},
    byProtocol && rawConfig!.worker !== undefined ? protocolIdentity(rawConfig!.worker) : {},
  );
  if (
    config.inWorker &&
    typeof rawConfig!.blobWorkersAllowedAt === 'string' &&
    isDocument(rawConfig!.blobWorkersAllowedAt)
  )
    installed.blobWorkersAllowedBefore();
  // A worker's context fact leaves at once: one terminated within the flush delay would otherwise never be announced.
  if (byProtocol && rawConfig!.worker !== undefined) installed.flush();
} catch {
  // An exception escaping this script would reach the page's window.onerror: the page runs uninstrumented instead.
}
