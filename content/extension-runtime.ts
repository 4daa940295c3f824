/**
 * The relay's way to the extension: the browser's own `runtime` namespace, `chrome.runtime` in
 * Chrome and `browser.runtime` in Firefox, not webextension-polyfill's. The relay uses only
 * `runtime.connect` (its Port: postMessage, disconnect, onMessage, onDisconnect) and
 * `runtime.onMessage` with a listener that never answers, which both browsers provide alike, so
 * the polyfill's promise wrappers would do nothing here; yet the relay is evaluated at
 * document_start in every frame, and the polyfill was a third of its Chrome bundle (10 KB of
 * 36 KB minified) to parse there, plus the bundler's module interop copying every property of
 * the namespace it returns (BENCHMARKS.md, "The relay at document_start"). The background and the
 * panel, which use its promises, keep it.
 */
import type { Browser, Runtime } from 'webextension-polyfill';

/** The build's browser (vite.config.ts): 'chrome' or 'firefox'. */
declare const __PORTSCOPE_BROWSER__: string;

/** The part of `runtime` the relay uses (typed as the polyfill's, which both browsers' match there). */
export type RelayRuntime = Pick<Runtime.Static, 'connect' | 'onMessage'>;

export function extensionRuntime(): RelayRuntime {
  const api = globalThis as unknown as { browser?: Browser; chrome?: Browser };
  const namespace = __PORTSCOPE_BROWSER__ === 'firefox' ? api.browser : api.chrome;
  if (!namespace?.runtime) throw new Error('Portscope: the relay runs only as an extension content script');
  return namespace.runtime;
}
