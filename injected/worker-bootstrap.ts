/**
 * The bootstrap script an in-worker instrumented worker runs instead of its own: first the
 * runtime, then the original script by its absolute URL, so the original keeps its own URL as
 * script base URL (`import.meta.url`, relative static and dynamic imports, `importScripts`
 * inside it) and runs to completion before the worker's port message queue is enabled, as
 * natively:
 *  - classic: `{ const i = importScripts; (runtime)(params); i(original) }` — one blob;
 *  - module:  `import "<runtime blob>"; import "<original>";` — static imports evaluate in
 *    order and the whole graph is fetched before anything runs, like the native graph; no
 *    top-level await, so nothing is deferred past the point where messages start to flow.
 */
import type { PreviewBounds } from '../protocol/facts.ts';
import { createObjectURL, jsonStringify, textBlob } from './worker-natives.ts';

export interface WorkerParams {
  /** The ctx the worker's runtime announces (the page's worker-created carries it as childCtx). */
  ctx: string;
  /** The owner's ctx. */
  parent: string;
  /** The original script URL, absolute. */
  url: string;
  /** The BroadcastChannel name the worker's batches go to (worker-inbox.ts). */
  channel: string;
  captureStacks: boolean;
  /** The owner's preview bounds (a copy with no prototype, for the same reason as these params). */
  preview?: PreviewBounds;
}

export interface Bootstrap {
  /** The URL to construct the native worker with. */
  url: string;
  /** Every blob: URL made for it (revoked once the worker's runtime has spoken). */
  blobs: string[];
}

function blobUrl(text: string): string {
  return createObjectURL(textBlob(text));
}

export function bootstrap(source: string, params: WorkerParams, module: boolean): Bootstrap {
  const runtime = '(' + source + ')(' + jsonStringify(params) + ');\n';
  if (!module) {
    // The native importScripts, taken before the runtime replaces it: the original script's
    // top-level stack then shows the bootstrap's frame only, not the replacement's (block-scoped,
    // so nothing is added to the worker's global).
    const url = blobUrl('{\nconst i = importScripts;\n' + runtime + 'i(' + jsonStringify(params.url) + ');\n}\n');
    return { url, blobs: [url] };
  }
  const runtimeUrl = blobUrl(runtime);
  const url = blobUrl('import ' + jsonStringify(runtimeUrl) + ';\nimport ' + jsonStringify(params.url) + ';\n');
  return { url, blobs: [url, runtimeUrl] };
}
