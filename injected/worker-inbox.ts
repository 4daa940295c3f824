/**
 * How facts of in-worker instrumented workers reach the page-side runtime: a native
 * BroadcastChannel whose name is random per document and known only to the runtime and the
 * bootstrap texts it writes (a page cannot listen for it, nothing is added to the worker's own
 * message stream). Each batch is `{ ctx, facts }`; the page-side runtime hands the facts to its
 * own sink, after its buffered facts (the `worker-created` that announced the child). Nested
 * workers inherit the name, so their batches come straight here too.
 */
import type { Fact } from '../protocol/facts.ts';
import type { BatchSink } from './emitter.ts';
import { newContextId } from './context.ts';
import {
  hasOwn,
  apply,
  construct,
  isArray,
  mapGet,
  mapSet,
  messageEventData,
  nativeAddEventListener,
  NativeMap,
  getOwnPropertyDescriptor,
  eventIsTrusted,
} from './natives.ts';
import type { Runtime } from './runtime.ts';
import { mapDelete, nativeBroadcastChannel, revokeObjectURL } from './worker-natives.ts';
import { guarded } from './guard.ts';

/** A batch bigger than the emitter's batch size did not come from our runtime. */
const MAX_BATCH = 1_000;
/** Bootstraps whose blob: URLs wait for the worker's first batch; the oldest is revoked past this. */
const MAX_PENDING = 64;

let forward: BatchSink | undefined;
let name: string | undefined;
let inherited = false;
const pending = new NativeMap<string, string[]>();
const pendingOrder: string[] = [];

/** install.ts hands over the sink the page's own batches go to. */
export function forwardWorkerFactsTo(sink: BatchSink): void {
  forward = sink;
}

/** Inside a worker: batches go to the document's channel (this worker has no inbox of its own). */
export function inheritInbox(channel: string): void {
  name = channel;
  inherited = true;
}

/** Blobs to revoke once `ctx` has delivered its first batch (bounded). */
export function revokeWhenStarted(ctx: string, blobs: string[]): void {
  mapSet(pending, ctx, blobs);
  pendingOrder[pendingOrder.length] = ctx;
  if (pendingOrder.length > MAX_PENDING) {
    const oldest = pendingOrder[0];
    for (let i = 1; i < pendingOrder.length; i++) pendingOrder[i - 1] = pendingOrder[i];
    pendingOrder.length--;
    release(oldest);
  }
}

function release(ctx: string): void {
  const blobs = mapGet(pending, ctx) as string[] | undefined;
  if (!blobs) return;
  mapDelete(pending, ctx);
  for (let i = 0; i < blobs.length; i++) revokeObjectURL(blobs[i]);
}

function dataOf(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  const d = getOwnPropertyDescriptor(o, key);
  return d && hasOwn(d, 'value') ? d.value : undefined;
}

/** The channel name for a new bootstrap, opening the document's inbox on first use. Undefined when impossible. */
export function inboxName(rt: Runtime): string | undefined {
  if (name !== undefined) return name;
  const BroadcastChannelCtor = nativeBroadcastChannel();
  if (inherited || !BroadcastChannelCtor || !forward) return undefined;
  const channel = 'portscope-' + newContextId();
  const bc = construct(BroadcastChannelCtor as never, [channel]) as object;
  apply(nativeAddEventListener, bc, [
    'message',
    (event: Event) =>
      guarded(rt, 'in-worker-inbox', () => {
        if (!eventIsTrusted(event)) return;
        const data = messageEventData(event);
        const ctx = dataOf(data, 'ctx');
        const facts = dataOf(data, 'facts');
        if (typeof ctx !== 'string' || !isArray(facts) || (facts as unknown[]).length > MAX_BATCH) return;
        release(ctx);
        rt.emitter.flush();
        forward!.deliver(facts as Fact[]);
      }),
  ]);
  name = channel;
  return name;
}
