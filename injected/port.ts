/**
 * MessageChannel and MessagePort: the constructor (two entangled ports with ids), and
 * postMessage / start / close / onmessage / onmessageerror / onclose on MessagePort.prototype.
 * Every replacement calls the captured native with the page's own `this`, so brand checks,
 * argument-count errors and exceptions are the native's own.
 */
import type { CallSite, Fact } from '../protocol/facts.ts';
import { replaceAccessor, replaceValue, disguise } from './disguise.ts';
import { newChannelId, portRecord } from './ids.ts';
import { wrapHandler } from './handlers.ts';
import {
  NativeWeakMap,
  apply,
  construct,
  defineProperty,
  getOwnPropertyDescriptor,
  messageChannelPort1,
  messageChannelPort2,
  nativePortClose,
  nativePortPostMessage,
  nativePortStart,
  weakMapDelete,
  weakMapGet,
  weakMapSet,
} from './natives.ts';
import { adoptPort } from './observe.ts';
import { shipPorts, tracedPost } from './post.ts';
import type { Runtime } from './runtime.ts';
import { callSite } from './site.ts';
import { secondArgument } from './transfer.ts';

export function patchMessageChannel(rt: Runtime): void {
  const g = rt.global;
  const Native = g.MessageChannel as typeof MessageChannel | undefined;
  if (!Native) return;
  const MessageChannel: typeof globalThis.MessageChannel = function MessageChannel(this: unknown): MessageChannel {
    // Called without `new`: let the native throw its own TypeError.
    if (new.target === undefined) return apply(Native as never, this, arguments);
    const channel = construct(Native as never, arguments, new.target) as MessageChannel;
    const port1 = messageChannelPort1(channel) as MessagePort;
    const port2 = messageChannelPort2(channel) as MessagePort;
    const r1 = adoptPort(rt, port1);
    const r2 = adoptPort(rt, port2, r1.id);
    r1.peer = r2.id;
    const fact = { kind: 'channel-created', ctx: rt.ctx, channel: newChannelId(), port1: r1.id, port2: r2.id } as Extract<Fact, { kind: 'channel-created' }>;
    const site = callSite();
    if (site) fact.site = site;
    rt.emitter.emit(fact);
    return channel;
  } as unknown as typeof MessageChannel;
  disguise(MessageChannel, Native);
  const proto = Native.prototype;
  defineProperty(MessageChannel, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
  const ctorDesc = getOwnPropertyDescriptor(proto, 'constructor');
  if (ctorDesc) defineProperty(proto, 'constructor', { value: MessageChannel, writable: ctorDesc.writable, enumerable: ctorDesc.enumerable, configurable: ctorDesc.configurable });
  const globalDesc = getOwnPropertyDescriptor(g, 'MessageChannel');
  if (globalDesc) defineProperty(g, 'MessageChannel', { value: MessageChannel, writable: globalDesc.writable, enumerable: globalDesc.enumerable, configurable: globalDesc.configurable });
}

export function patchMessagePort(rt: Runtime): void {
  const proto = rt.global.MessagePort?.prototype as object | undefined;
  if (!proto) return;

  const postMessage = {
    postMessage(this: unknown, message: unknown): unknown {
      const record = portRecord(this);
      const count = arguments.length;
      if (record === undefined || count === 0) return apply(nativePortPostMessage, this, arguments);
      let args: unknown[];
      let items: unknown[];
      if (count === 1) {
        args = [message];
        items = [];
      } else {
        const converted = secondArgument(arguments[1]);
        if (converted === undefined) return apply(nativePortPostMessage, this, arguments);
        args = [message, converted.standIn];
        if (!converted.complete) return apply(nativePortPostMessage, this, args);
        items = converted.items;
      }
      const wasClosed = record.closed;
      const wasShipped = record.shipped;
      const posted = tracedPost(rt, nativePortPostMessage, this, args, items, 'port', record.id);
      let doomed = false;
      for (let i = 0; i < posted.ports.length; i++) if (record.peer !== 0 && posted.ports[i].id === record.peer) doomed = true;
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
      } as Extract<Fact, { kind: 'port-posted' }>;
      if (posted.site) fact.site = posted.site;
      rt.emitter.emit(fact);
      shipPorts(rt, posted.ports, 'port', msg);
      return undefined;
    },
  }.postMessage;

  const start = {
    start(this: unknown): unknown {
      const result = apply(nativePortStart, this, arguments);
      const record = portRecord(this);
      if (record && !record.enabled) {
        record.enabled = true;
        rt.emitter.emit({ kind: 'port-enabled', ctx: rt.ctx, port: record.id, how: 'start' });
      }
      return result;
    },
  }.start;

  const close = {
    close(this: unknown): unknown {
      const result = apply(nativePortClose, this, arguments);
      const record = portRecord(this);
      if (record) {
        record.closed = true;
        const fact = { kind: 'port-closed', ctx: rt.ctx, port: record.id } as { kind: 'port-closed'; ctx: string; port: number; site?: CallSite };
        const site = callSite();
        if (site) fact.site = site;
        rt.emitter.emit(fact);
      }
      return result;
    },
  }.close;

  replaceValue(proto, 'postMessage', postMessage);
  replaceValue(proto, 'start', start);
  replaceValue(proto, 'close', close);
  patchHandlerAttribute(rt, proto, 'onmessage', 'message', true);
  patchHandlerAttribute(rt, proto, 'onmessageerror', 'messageerror', false);
  patchHandlerAttribute(rt, proto, 'onclose', 'close', false);
}

/**
 * An event handler IDL attribute. The getter answers exactly what the page set; the setter
 * hands the native a wrapper for a function (so the native still starts the queue for
 * `onmessage`) and anything else unchanged (the native converts it as usual).
 */
function patchHandlerAttribute(rt: Runtime, proto: object, name: 'onmessage' | 'onmessageerror' | 'onclose', type: 'message' | 'messageerror' | 'close', enables: boolean): void {
  const d = getOwnPropertyDescriptor(proto, name);
  if (!d || !d.get || !d.set) return;
  const nativeGet = d.get;
  const nativeSet = d.set;
  const values = new NativeWeakMap<object, unknown>();
  const accessors = {
    get [name]() {
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const self = this as unknown;
      const current = apply(nativeGet, self, arguments);
      if (current !== null && current !== undefined) {
        const value = weakMapGet(values, self);
        if (value !== undefined) return value;
      }
      return current;
    },
    set [name](value: unknown) {
      const self = this as unknown;
      const record = portRecord(self);
      if (record === undefined || arguments.length === 0) {
        apply(nativeSet, self, arguments);
        return;
      }
      const had = weakMapGet(values, self) !== undefined;
      if (typeof value !== 'function') {
        apply(nativeSet, self, [value]);
        weakMapDelete(values, self);
        if (had) rt.emitter.emit({ kind: 'listener-removed', ctx: rt.ctx, port: record.id, type, via: name });
        return;
      }
      apply(nativeSet, self, [type === 'close' ? value : wrapHandler(value)]);
      weakMapSet(values, self as object, value);
      rt.emitter.emit({ kind: 'listener-added', ctx: rt.ctx, port: record.id, type, via: name });
      if (enables && !record.enabled) {
        record.enabled = true;
        rt.emitter.emit({ kind: 'port-enabled', ctx: rt.ctx, port: record.id, how: 'onmessage' });
      }
    },
  };
  const ad = getOwnPropertyDescriptor(accessors, name)!;
  replaceAccessor(proto, name, ad.get!, ad.set!);
}
