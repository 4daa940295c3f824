/**
 * The client message queue (Service Workers, ServiceWorkerContainer): what a service worker
 * posts to a client with `Client#postMessage` waits in the client's `navigator.serviceWorker`
 * queue until it is enabled — `startMessages()`, the first `onmessage` assignment, or, for a
 * document, once it has fired DOMContentLoaded (HTML, "the end"). A queue is called never
 * started only when the facts prove it (docs/in-worker.md, § Service workers):
 *  - a service worker seen from inside posted to a window client whose URL is that of exactly
 *    one document in the recording, seen from inside and not ended;
 *  - that document reported none of the three enablings and nothing was dispatched from it;
 *  - no fact that could have said otherwise was dropped.
 * Anything else (two documents with that URL, a client the recording does not hold, a trace
 * without the client's URL) is unknown, and says nothing.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { ContextState, ModelState } from './state.ts';
import { count } from './state.ts';

/** Client URLs tracked per service worker; past it, posts to further URLs are counted, not tracked. */
export const CLIENT_URLS_PER_WORKER = 1_000;

export function clientPosted(
  state: ModelState,
  ctx: ContextState,
  fact: Extract<Fact, { kind: 'carrier-posted' }>,
): void {
  if (ctx.node.kind !== 'serviceworker' || fact.carrier !== 'serviceworker' || fact.target !== 'Client') return;
  if (fact.clientUrl === undefined || fact.clientType !== 'window') return;
  ctx.clientPosts ??= new Map();
  let entry = ctx.clientPosts.get(fact.clientUrl);
  if (!entry) {
    if (ctx.clientPosts.size >= CLIENT_URLS_PER_WORKER) {
      count(state.stats.unmatched, 'client-url-untracked');
      return;
    }
    entry = { posted: 0, since: fact.time };
    ctx.clientPosts.set(fact.clientUrl, entry);
  }
  entry.posted++;
}

export function clientQueueEnabled(ctx: ContextState, how: string): void {
  ctx.clientQueue ??= { enabledBy: null, dispatched: 0 };
  ctx.clientQueue.enabledBy ??= how;
}

/** A `message` from a service worker was dispatched at this context's container: its queue was enabled. */
export function clientDispatched(ctx: ContextState, fact: Extract<Fact, { kind: 'carrier-received' }>): void {
  if (fact.carrier !== 'serviceworker' || fact.source !== 'ServiceWorker') return;
  ctx.clientQueue ??= { enabledBy: null, dispatched: 0 };
  ctx.clientQueue.dispatched++;
}

export interface NeverStartedClientQueue {
  /** The document whose queue was never enabled. */
  context: string;
  /** The service worker that posted the most to it. */
  serviceWorker: string;
  /** Messages posted to it, all still waiting (none was dispatched). */
  waiting: number;
  /** When the first of them was posted. */
  since: number;
}

const isDocument = (c: ContextState) => c.node.kind === 'window' || c.node.kind === 'iframe';
const isWebUrl = (url: string) => url.startsWith('https:') || url.startsWith('http:');

/** Facts whose loss could hide an enabling or a dispatch: then nothing is proven. */
function enablingMayBeLost(state: ModelState): boolean {
  const dropped = state.stats.droppedFacts;
  return (dropped['client-message-queue-enabled'] ?? 0) > 0 || (dropped['carrier-received'] ?? 0) > 0;
}

export function neverStartedClientQueues(state: ModelState): NeverStartedClientQueue[] {
  const posts = new Map<string, { waiting: number; since: number; serviceWorker: string; most: number }>();
  for (const ctx of state.contexts.values()) {
    if (!ctx.clientPosts || ctx.node.kind !== 'serviceworker' || !ctx.node.observed) continue;
    for (const [url, entry] of ctx.clientPosts) {
      const sum = posts.get(url);
      if (!sum) {
        posts.set(url, { waiting: entry.posted, since: entry.since, serviceWorker: ctx.node.id, most: entry.posted });
        continue;
      }
      sum.waiting += entry.posted;
      sum.since = Math.min(sum.since, entry.since);
      if (entry.posted > sum.most) [sum.serviceWorker, sum.most] = [ctx.node.id, entry.posted];
    }
  }
  if (posts.size === 0 || enablingMayBeLost(state)) return [];
  const byUrl = new Map<string, ContextState[]>();
  for (const ctx of state.contexts.values()) {
    if (!isDocument(ctx) || !posts.has(ctx.node.url)) continue;
    const list = byUrl.get(ctx.node.url);
    if (list) list.push(ctx);
    else byUrl.set(ctx.node.url, [ctx]);
  }
  const found: NeverStartedClientQueue[] = [];
  for (const [url, sum] of posts) {
    const candidates = byUrl.get(url);
    // Which document the client is rests on its URL: with two, either could be it.
    if (!isWebUrl(url) || candidates?.length !== 1) continue;
    const client = candidates[0];
    const node = client.node;
    if (!node.observed || node.noRuntime || node.destroyed || client.standIn) continue;
    if (client.clientQueue && (client.clientQueue.enabledBy !== null || client.clientQueue.dispatched > 0)) continue;
    found.push({ context: node.id, serviceWorker: sum.serviceWorker, waiting: sum.waiting, since: sum.since });
  }
  return found;
}
