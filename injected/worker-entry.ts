/**
 * The runtime inside an in-worker instrumented worker (built as one IIFE and embedded in the
 * bootstrap, worker-bootstrap.ts). Runs before the worker's own script: resolves relative URLs
 * against the original script URL, then installs the runtime with the ctx the page announced
 * in `worker-created.childCtx`; batches leave over the document's BroadcastChannel.
 * The wrapping function (worker-source.ts) gives the params and its own source text, so a
 * worker that starts a worker instruments it the same way.
 */
import type { Fact } from '../protocol/facts.ts';
import { install } from './install.ts';
import { ownPreviewBounds } from './preview.ts';
import { G, apply, construct, functionToString } from './natives.ts';
import type { WorkerParams } from './worker-bootstrap.ts';
import { knownAllowed } from './worker-csp.ts';
import { inheritInbox } from './worker-inbox.ts';
import { broadcastPost, nativeBroadcastChannel } from './worker-natives.ts';
import { resolveAgainstOriginal } from './worker-relative-urls.ts';
import { hideBootstrapEntry } from './worker-resource-entries.ts';
import { setWorkerRuntimeSource } from './worker-source.ts';

declare const __portscopeWorkerParams: WorkerParams;
declare const portscopeWorkerRuntime: () => void;

const g = G;

// An exception escaping this script would be the worker's uncaught error: never let one out.
try {
  const params = __portscopeWorkerParams;
  setWorkerRuntimeSource(apply(functionToString, portscopeWorkerRuntime, []) as string);
  inheritInbox(params.channel);
  knownAllowed();
  resolveAgainstOriginal(g, params.url);
  hideBootstrapEntry(g, params.url);
  const BroadcastChannelCtor = nativeBroadcastChannel();
  const post = broadcastPost();
  const channel = BroadcastChannelCtor
    ? (construct(BroadcastChannelCtor as never, [params.channel]) as object)
    : undefined;
  const installed = install(
    g,
    {
      deliver(facts: Fact[]) {
        if (!channel || !post) return;
        try {
          apply(post, channel, [{ ctx: params.ctx, facts }]);
        } catch {
          // A fact that cannot be cloned is lost rather than thrown into the worker.
        }
      },
    },
    { captureStacks: !!params.captureStacks, inWorker: true, preview: ownPreviewBounds(params) },
    {},
    { ctx: params.ctx, parent: params.parent, inside: 'bootstrap' },
  );
  // The context fact leaves at once: a worker terminated from outside within the emitter's
  // flush delay would otherwise never be announced (what it buffers after is lost with it).
  installed.flush();
} catch {
  // The worker runs uninstrumented rather than differently.
}
