/**
 * MessageChannel and MessagePort: the constructor (two entangled ports with ids), and
 * postMessage / start / close / onmessage / onmessageerror / onclose on MessagePort.prototype.
 * Every replacement calls the captured native with the page's own `this`, so brand checks,
 * argument-count errors and exceptions are the native's own.
 */
import type { CallSite, Fact } from '../protocol/facts.ts';
import {
  recaptureFromTrap,
  replaceAccessorWith,
  replaceConstructorWith,
  replaceMethod,
  type NativeFn,
} from './disguise.ts';
import { entangle, newChannelId, noteSent, noteUnaccounted, portRecord, type PortRecord } from './ids.ts';
import { wrapHandler } from './handlers.ts';
import { UNSTAMPED_TIME } from './emitter.ts';
import {
  NativeWeakMap,
  apply,
  construct,
  getPrototypeOf,
  isMessagePort,
  messageChannelPort1,
  messageChannelPort2,
  weakMapDelete,
  weakMapGet,
  weakMapSet,
} from './natives.ts';
import { adoptPort, seePort, settleObserver } from './observe.ts';
import { countedPost, shipPorts, tracedPost, transfersPort, type Posted } from './post.ts';
import { settleCounts } from './counted.ts';
import type { Runtime } from './runtime.ts';
import { guarded, noteFailure } from './guard.ts';
import { callSite } from './site.ts';
import { EMPTY } from './own-index.ts';
import { postArguments } from './transfer.ts';

function channelConstructed(rt: Runtime, Native: NativeFn, args: unknown[], newTarget: object): object {
  const channel = construct(Native as never, args, newTarget as never) as object;
  guarded(rt, 'channel-created', () => {
    const port1 = messageChannelPort1(channel) as MessagePort;
    const port2 = messageChannelPort2(channel) as MessagePort;
    const r1 = adoptPort(rt, port1);
    const r2 = adoptPort(rt, port2);
    entangle(r1, r2);
    const site = callSite() || undefined;
    // Optional fields in the literal (undefined: absent on the wire), never assigned afterwards:
    // that [[Set]] would reach a page setter on Object.prototype.
    const fact = {
      kind: 'channel-created',
      ctx: rt.ctx,
      channel: newChannelId(),
      port1: r1.id,
      port2: r2.id,
      site,
    } as Extract<Fact, { kind: 'channel-created' }>;
    rt.emitter.emit(fact);
  });
  return channel;
}

export function patchMessageChannel(rt: Runtime): void {
  replaceConstructorWith(rt.global, 'MessageChannel', channelConstructed, rt);
}

/**
 * The native called for a receiver that is not a port: it fails its receiver check before
 * anything else, and its TypeError is made to carry the page's frames only, as natively.
 */
function callForNonPort(native: (...a: unknown[]) => unknown, self: unknown, args: unknown[]): unknown {
  try {
    return apply(native, self, args);
  } catch (e) {
    if (!isMessagePort(self)) recaptureFromTrap(e);
    throw e;
  }
}

function unaccounted(record: PortRecord, result: unknown): unknown {
  noteUnaccounted(record);
  return result;
}

/** The port-posted fact, and what the post did to this context's port records. */
function reportPost(rt: Runtime, record: PortRecord, posted: Posted, wasClosed: boolean, wasShipped: boolean): void {
  let doomed = false;
  for (let i = 0; i < posted.ports.length; i++) if (posted.ports[i] === record.peerRecord) doomed = true;
  const msg = ++record.posted;
  const fact = {
    kind: 'port-posted',
    ctx: rt.ctx,
    port: record.id,
    msg,
    preview: posted.preview,
    bytes: posted.bytes,
    fingerprint: posted.fingerprint,
    transfer: posted.transfer,
    outcome: wasClosed ? 'closed' : wasShipped ? 'shipped' : doomed ? 'doomed' : 'sent',
    // Own fields from the start, so the emitter stamps them in place (and no `site` setter a
    // page put on Object.prototype runs: the literal holds that field too, undefined when absent).
    site: posted.site,
    seq: 0,
    time: UNSTAMPED_TIME,
  } as Extract<Fact, { kind: 'port-posted' }>;
  const reported = rt.emitter.emitBuilt(fact) !== undefined;
  if (fact.outcome === 'sent') noteSent(record, reported);
  shipPorts(rt, posted.ports, 'port', msg);
}

/**
 * The record of port `self`. A port of this realm that the runtime never saw arrive (it came by
 * a path not observed, such as a service worker's `client.postMessage`) is adopted at its first
 * use and announced as seen late, so its posts, start and close are recorded, never passed by.
 */
function recordOf(rt: Runtime, proto: object, self: unknown): PortRecord | undefined {
  const record = portRecord(self);
  if (record !== undefined) return record;
  // The brand check first: it runs no page code, while getPrototypeOf would call a Proxy's trap.
  if (!isMessagePort(self)) return undefined;
  const port = self as object;
  if (getPrototypeOf(port) !== proto) return undefined;
  return guarded(rt, 'port-seen', () => seePort(rt, port, 'late'));
}

/** What every replacement on MessagePort.prototype is installed with. */
interface PortPatch {
  rt: Runtime;
  /** This realm's MessagePort.prototype: a late port is adopted only with this prototype. */
  proto: object;
}

function portPostMessage({ rt, proto }: PortPatch, native: NativeFn, self: unknown, args: unknown[]): unknown {
  const record = recordOf(rt, proto, self);
  if (record === undefined) return callForNonPort(native, self, args);
  // Counting, the message alone: no transfer list to convert, so no conversion object either.
  if (args.length === 1 && !rt.recordMessages && !record.closed && !record.shipped) {
    countedPost(rt, native, self, args, record);
    return undefined;
  }
  // The message alone (most posts): nothing to convert, the page's own argument list goes on.
  let callArgs = args;
  let items: unknown[] = EMPTY;
  if (args.length !== 1) {
    const call = postArguments(args);
    // These calls throw in the native; should one ever return, its message is unaccounted for.
    if (call === undefined) return unaccounted(record, apply(native, self, args));
    if (!call.complete) return unaccounted(record, apply(native, self, call.callArgs));
    callArgs = call.callArgs;
    items = call.items;
  }
  const wasClosed = record.closed;
  const wasShipped = record.shipped;
  // Counting: a post that will be 'sent' and ships no port is counted, not described.
  if (!rt.recordMessages && !wasClosed && !wasShipped && (items.length === 0 || !transfersPort(items))) {
    countedPost(rt, native, self, callArgs, record);
    return undefined;
  }
  settleCounts(rt, record);
  const posted = tracedPost(rt, native, self, callArgs, items, 'port', record.id);
  // The rank this post takes if it is 'sent': the receiver reads event.ports for it (observe.ts).
  if (items.length !== 0) record.transferredUpTo = record.sentHere + 1;
  try {
    reportPost(rt, record, posted, wasClosed, wasShipped);
  } catch (e) {
    noteFailure(rt, 'port-posted', e);
    noteUnaccounted(record);
  }
  return undefined;
}

function portStart({ rt, proto }: PortPatch, native: NativeFn, self: unknown, args: unknown[]): unknown {
  const result = callForNonPort(native, self, args);
  guarded(rt, 'start', () => {
    const record = recordOf(rt, proto, self);
    if (record && !record.enabled) {
      record.enabled = true;
      settleCounts(rt, record);
      rt.emitter.emit({ kind: 'port-enabled', ctx: rt.ctx, port: record.id, how: 'start' });
    }
  });
  return result;
}

function portClose({ rt, proto }: PortPatch, native: NativeFn, self: unknown, args: unknown[]): unknown {
  const result = callForNonPort(native, self, args);
  guarded(rt, 'close', () => {
    const record = recordOf(rt, proto, self);
    if (record) {
      record.closed = true;
      settleCounts(rt, record);
      const fact: { kind: 'port-closed'; ctx: string; port: number; site?: CallSite } = {
        kind: 'port-closed',
        ctx: rt.ctx,
        port: record.id,
        // In the literal, never assigned afterwards (a page setter on Object.prototype).
        site: callSite() || undefined,
      };
      rt.emitter.emit(fact);
    }
  });
  return result;
}

/** What an event handler IDL attribute's getter and setter are installed with. */
interface HandlerPatch extends PortPatch {
  name: 'onmessage' | 'onmessageerror' | 'onclose';
  type: 'message' | 'messageerror' | 'close';
  /** Setting it enables the port message queue (`onmessage`). */
  enables: boolean;
  /** What the page set, by port: the getter answers it. */
  values: WeakMap<object, unknown>;
}

/** The attributes replaced, and the event each handles. */
const HANDLER_ATTRIBUTES: readonly Pick<HandlerPatch, 'name' | 'type' | 'enables'>[] = [
  { name: 'onmessage', type: 'message', enables: true },
  { name: 'onmessageerror', type: 'messageerror', enables: false },
  { name: 'onclose', type: 'close', enables: false },
];

export function patchMessagePort(rt: Runtime): void {
  const proto = rt.global.MessagePort?.prototype as object | undefined;
  if (!proto) return;
  const patch: PortPatch = { rt, proto };
  replaceMethod(proto, 'postMessage', portPostMessage, patch);
  replaceMethod(proto, 'start', portStart, patch);
  replaceMethod(proto, 'close', portClose, patch);
  // The native ran first: a late port is adopted only once the call proved it a port.
  for (let i = 0; i < HANDLER_ATTRIBUTES.length; i++) {
    const { name, type, enables } = HANDLER_ATTRIBUTES[i];
    // Indexed and destructured from an object: iterating an array would resolve the global `Iterator` in Firefox.
    const handler: HandlerPatch = { rt, proto, name, type, enables, values: new NativeWeakMap<object, unknown>() };
    replaceAccessorWith(proto, name, handlerGet, handlerSet, handler);
  }
}

/**
 * An event handler IDL attribute. The getter answers exactly what the page set; the setter
 * hands the native a wrapper for a function (so the native still starts the queue for
 * `onmessage`) and anything else unchanged (the native converts it as usual).
 */
function handlerGet({ values }: HandlerPatch, nativeGet: NativeFn, self: unknown, args: unknown[]): unknown {
  const current = callForNonPort(nativeGet, self, args);
  if (current !== null && current !== undefined) {
    const value = weakMapGet(values, self);
    if (value !== undefined) return value;
  }
  return current;
}

function handlerSet(patch: HandlerPatch, nativeSet: NativeFn, self: unknown, args: unknown[]): unknown {
  const { rt, proto, name, type, enables, values } = patch;
  const record = recordOf(rt, proto, self);
  if (record === undefined || args.length === 0) return callForNonPort(nativeSet, self, args);
  const value = args[0];
  const had = weakMapGet(values, self) !== undefined;
  if (typeof value !== 'function') {
    apply(nativeSet, self, [value]);
    weakMapDelete(values, self);
    if (had) {
      guarded(rt, 'handler-attribute', () => {
        // The event handler's listener is gone (or calls nothing): the runtime observes again.
        if (type === 'message') {
          record.handlers--;
          settleObserver(record, self as object);
        }
        settleCounts(rt, record);
        rt.emitter.emit({ kind: 'listener-removed', ctx: rt.ctx, port: record.id, type, via: name });
      });
    }
    return undefined;
  }
  const observes = type === 'message' && record.observer !== undefined;
  apply(nativeSet, self, [type === 'close' ? value : wrapHandler(value, observes ? { rt, record } : undefined)]);
  weakMapSet(values, self as object, value);
  guarded(rt, 'handler-attribute', () => {
    // One event handler listener per attribute, whatever function it calls now.
    if (type === 'message' && !had) {
      record.handlers++;
      settleObserver(record, self as object);
    }
    settleCounts(rt, record);
    rt.emitter.emit({ kind: 'listener-added', ctx: rt.ctx, port: record.id, type, via: name });
    if (enables && !record.enabled) {
      record.enabled = true;
      rt.emitter.emit({ kind: 'port-enabled', ctx: rt.ctx, port: record.id, how: 'onmessage' });
    }
  });
  return undefined;
}
