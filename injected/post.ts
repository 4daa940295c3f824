/**
 * The common path of every postMessage the runtime watches (ports and carriers): describe the
 * transfer list before the call (a transferred ArrayBuffer is detached after it, so its size and
 * that of a view posted with it are taken then), call the
 * native with stand-in arguments, report a thrown error as `clone-error` and rethrow the same
 * object, and after success preview the message and mark transferred ports as shipped.
 */
import type { CallSite, CarrierKind, Fact, Preview, TransferItem } from '../protocol/facts.ts';
import type { Unstamped } from './emitter.ts';
import { describeThrown } from './errors.ts';
import { portRecord, type PortRecord } from './ids.ts';
import {
  NativeMap,
  apply,
  dataViewByteLength,
  isMessagePort,
  mapSet,
  probeByteLength,
  typedArrayByteLength,
  typedArrayLength,
  typedArrayTag,
} from './natives.ts';
import { portIdOf, seePort } from './observe.ts';
import { describe, fingerprint, safeTag, type SizesBeforePost } from './preview.ts';
import { arrayBufferIsView } from './slots.ts';
import type { Runtime } from './runtime.ts';
import { guarded, noteFailure } from './guard.ts';
import { callSite, hideRuntimeFrames } from './site.ts';
import { countPost, settleCounts } from './counted.ts';
import { append, EMPTY, putIndex } from './own-index.ts';

export interface Posted {
  transfer: TransferItem[];
  /** Records of the transferred ports, in transfer order. */
  ports: PortRecord[];
  preview: Preview;
  bytes: number;
  fingerprint: string;
  site?: CallSite;
}

/**
 * Calls `native` on `self` with `args`; `items` is the already-converted transfer list.
 * Returns what was sent; throws what the native threw (after a `clone-error` fact).
 */
export function tracedPost(
  rt: Runtime,
  native: (...a: unknown[]) => unknown,
  self: unknown,
  args: unknown[],
  items: unknown[],
  carrier: CarrierKind,
  port: number,
): Posted {
  const n = items.length;
  // Most posts transfer nothing: no per-post lists then (the frozen empty ones are only read).
  const byteLengths: (number | undefined)[] = n === 0 ? EMPTY : [];
  const records: (PortRecord | undefined)[] = n === 0 ? EMPTY : [];
  for (let i = 0; i < n; i++) {
    const item = items[i];
    putIndex(records, i, portRecord(item));
    putIndex(byteLengths, i, records[i] === undefined ? probeByteLength(item) : undefined);
  }
  const before = n === 0 ? undefined : sizesBeforePost(items, byteLengths, args[0]);
  const site = rt.config.captureStacks ? callSite() : undefined;
  try {
    apply(native, self, args);
  } catch (e) {
    reportCloneError(rt, e, carrier, port, site);
    throw e;
  }
  try {
    return sent(rt, items, records, byteLengths, args[0], site, before);
  } catch (e) {
    noteFailure(rt, 'posted', e);
    return { transfer: [], ports: [], preview: { t: 'more' }, bytes: 0, fingerprint: '' };
  }
}

/**
 * Sizes the post is about to detach (undefined when it transfers no ArrayBuffer). Before the
 * clone the message may still be a Proxy, so only what no trap sees runs on it: `ArrayBuffer.isView`
 * and the views' internal-slot getters (never its prototype or its properties).
 */
function sizesBeforePost(
  items: unknown[],
  byteLengths: (number | undefined)[],
  data: unknown,
): SizesBeforePost | undefined {
  let buffers: Map<object, number> | undefined;
  for (let i = 0; i < items.length; i++) {
    if (byteLengths[i] === undefined) continue;
    buffers ??= new NativeMap<object, number>();
    mapSet(buffers, items[i] as object, byteLengths[i]!);
  }
  if (!buffers) return undefined;
  // Literals only: an assignment could run a setter the page put on Object.prototype.
  return arrayBufferIsView(data) ? { buffers, view: viewSize(data as object) } : { buffers };
}

function viewSize(view: object): SizesBeforePost['view'] {
  try {
    if (typedArrayTag(view) !== undefined) {
      return { of: view, length: typedArrayLength(view), byteLength: typedArrayByteLength(view) };
    }
    const byteLength = dataViewByteLength(view) as number;
    return { of: view, length: byteLength, byteLength };
  } catch {
    // Already detached: the native throws a DataCloneError, and nothing is described.
    return undefined;
  }
}

export function reportCloneError(
  rt: Runtime,
  e: unknown,
  carrier: CarrierKind,
  port: number,
  site: CallSite | undefined,
): void {
  guarded(rt, 'clone-error', () => {
    const { name, message } = describeThrown(e);
    hideRuntimeFrames(e, name);
    const fact: Unstamped<Extract<Fact, { kind: 'clone-error' }>> = {
      kind: 'clone-error',
      ctx: rt.ctx,
      port,
      carrier,
      name,
      message,
      // In the literal, never assigned afterwards (a page setter on Object.prototype).
      site: site || undefined,
    };
    rt.emitter.emit(fact);
  });
}

/** Whether a converted transfer list holds a MessagePort (such a post is always recorded). */
export function transfersPort(items: unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (portRecord(item) !== undefined) return true;
    // ArrayBuffers first: the brand check throws for them, and a throw costs more than the transfer.
    if (probeByteLength(item) === undefined && isMessagePort(item)) return true;
  }
  return false;
}

/**
 * A port's post while counting (port.ts decided it ships no port and finds the port neither
 * closed nor shipped, so it is 'sent'): the native call and a count, nothing described. A
 * clone error is still reported, in full; its call site is taken here, inside the same
 * wrapper frame, since none was taken before the call.
 */
export function countedPost(
  rt: Runtime,
  native: (...a: unknown[]) => unknown,
  self: unknown,
  args: unknown[],
  record: PortRecord,
): void {
  try {
    apply(native, self, args);
  } catch (e) {
    settleCounts(rt, record);
    reportCloneError(rt, e, 'port', record.id, rt.config.captureStacks ? callSite() : undefined);
    throw e;
  }
  countPost(rt, record);
}

/** What was sent, described after the native accepted it. */
function sent(
  rt: Runtime,
  items: unknown[],
  records: (PortRecord | undefined)[],
  byteLengths: (number | undefined)[],
  data: unknown,
  site: CallSite | undefined,
  before: SizesBeforePost | undefined,
): Posted {
  const n = items.length;
  // A post with no transfer list shares one frozen empty list for each: its fact only reads them.
  const transfer: TransferItem[] = n === 0 ? EMPTY : [];
  const ports: PortRecord[] = n === 0 ? EMPTY : [];
  for (let i = 0; i < n; i++) {
    const item = items[i] as object;
    let record = records[i];
    if (record === undefined && byteLengths[i] === undefined && isMessagePort(item))
      record = seePort(rt, item, 'other');
    if (record !== undefined) {
      putIndex<TransferItem>(transfer, i, { t: 'port', port: record.id });
      append(ports, record);
    } else if (byteLengths[i] !== undefined)
      putIndex<TransferItem>(transfer, i, { t: 'arraybuffer', byteLength: byteLengths[i]! });
    else putIndex<TransferItem>(transfer, i, { t: 'other', tag: safeTag(item) });
  }
  // The post's fact names each transferred port: what was counted on them goes first.
  for (let i = 0; i < ports.length; i++) settleCounts(rt, ports[i]);
  const { preview, bytes } = describe(data, portIdOf(rt), false, before, rt.config.preview);
  const posted: Posted = { transfer, ports, preview, bytes, fingerprint: fingerprint(data), site: site || undefined };
  return posted;
}

/** After the carrying message left: each transferred port object is now shipped. */
export function shipPorts(rt: Runtime, ports: PortRecord[], carrier: CarrierKind, carrierId: number): void {
  for (let i = 0; i < ports.length; i++) {
    ports[i].shipped = true;
    rt.emitter.emit({ kind: 'port-shipped', ctx: rt.ctx, port: ports[i].id, carrier, carrierId, index: i });
  }
}
