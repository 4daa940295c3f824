/**
 * Carriers move ports between contexts: window.postMessage, Worker / DedicatedWorkerGlobalScope
 * postMessage, SharedWorker's port, ServiceWorker and Client postMessage. Sends are traced
 * like port posts (post.ts); arrivals are seen by the runtime's own capture `message`
 * listener on the global and on each Worker object, added before any page script.
 */
import type { CarrierKind, Fact } from '../protocol/facts.ts';
import { disguise, replaceValue } from './disguise.ts';
import { newCarrierId, newWorkerId } from './ids.ts';
import {
  NativeWeakMap,
  apply,
  construct,
  defineProperty,
  eventIsTrusted,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  messageEventData,
  messageEventOrigin,
  messageEventPorts,
  messageEventSource,
  nativeAddEventListener,
  sharedWorkerPort,
  urlHref,
  weakMapGet,
  weakMapSet,
} from './natives.ts';
import { receivePorts, seePort } from './observe.ts';
import { shipPorts, tracedPost } from './post.ts';
import { fingerprint } from './preview.ts';
import type { Runtime } from './runtime.ts';
import { framePathOf } from './frames.ts';
import { fromOptions, iteratorMethod, secondArgument, toObjectSequence } from './transfer.ts';

const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';
const workers = new NativeWeakMap<object, number>();

type NativeFn = (...a: unknown[]) => unknown;

function carrierPosted(rt: Runtime, carrier: CarrierKind, target: string, targetOrigin: string | undefined, posted: ReturnType<typeof tracedPost>): void {
  const carrierId = newCarrierId();
  const fact = { kind: 'carrier-posted', ctx: rt.ctx, carrierId, carrier, target, fingerprint: posted.fingerprint, preview: posted.preview, bytes: posted.bytes, transfer: posted.transfer } as Extract<Fact, { kind: 'carrier-posted' }>;
  if (targetOrigin !== undefined) fact.targetOrigin = targetOrigin;
  if (posted.site) fact.site = posted.site;
  rt.emitter.emit(fact);
  shipPorts(rt, posted.ports, carrier, carrierId);
}

/** Replacement for a `postMessage(message, transfer | options)` method (Worker, ServiceWorker, Client, worker global). */
function sequenceOrOptionsPost(rt: Runtime, native: NativeFn, carrier: CarrierKind, target: (self: unknown) => string): NativeFn {
  return {
    postMessage(this: unknown, message: unknown): unknown {
      const count = arguments.length;
      if (count === 0) return apply(native, this, arguments);
      let args: unknown[];
      let items: unknown[];
      if (count === 1) {
        args = [message];
        items = [];
      } else {
        const converted = secondArgument(arguments[1]);
        if (converted === undefined) return apply(native, this, arguments);
        args = [message, converted.standIn];
        if (!converted.complete) return apply(native, this, args);
        items = converted.items;
      }
      const posted = tracedPost(rt, native, this, args, items, carrier, 0);
      carrierPosted(rt, carrier, target(this), undefined, posted);
      return undefined;
    },
  }.postMessage;
}

/** window.postMessage(message, targetOrigin, transfer) / (message, options). */
function windowPost(rt: Runtime, native: NativeFn): NativeFn {
  return {
    postMessage(this: unknown, message: unknown): unknown {
      const count = arguments.length;
      if (count === 0) return apply(native, this, arguments);
      let args: unknown[];
      let items: unknown[] = [];
      let targetOrigin: string | undefined;
      const second = arguments[1];
      if (count === 1) args = [message];
      else if (count === 2 && (second === undefined || second === null || isObject(second))) {
        // WindowPostMessageOptions: inherited `transfer` first, then `targetOrigin`.
        const converted = fromOptions(second, ['targetOrigin']);
        args = [message, second === undefined || second === null ? second : converted.standIn];
        if (!converted.complete) return apply(native, this, args);
        items = converted.items;
        const origin = (converted.standIn as { targetOrigin?: unknown }).targetOrigin;
        targetOrigin = typeof origin === 'string' ? origin : origin === undefined ? '/' : undefined;
      } else {
        if (typeof second === 'symbol') return apply(native, this, arguments);
        targetOrigin = `${second as string}`;
        if (count === 2) args = [message, targetOrigin];
        else {
          const transfer = arguments[2];
          if (transfer === undefined) args = [message, targetOrigin, undefined];
          else if (!isObject(transfer)) return apply(native, this, [message, targetOrigin, transfer]);
          else {
            const converted = toObjectSequence(transfer, iteratorMethod(transfer));
            args = [message, targetOrigin, converted.standIn];
            if (!converted.complete) return apply(native, this, args);
            items = converted.items;
          }
        }
      }
      const posted = tracedPost(rt, native, this, args, items, 'window', 0);
      const top = rt.global.top;
      carrierPosted(rt, 'window', framePathOf(this === undefined ? rt.global : this, top), targetOrigin, posted);
      return undefined;
    },
  }.postMessage;
}

/** Where a method lives: own property of the global or somewhere on its prototype chain. */
function holderOf(o: object, key: string): object | undefined {
  for (let p: object | null = o, depth = 0; p !== null && depth < 8; p = getPrototypeOf(p), depth++) {
    if (getOwnPropertyDescriptor(p, key)) return p;
  }
  return undefined;
}

/** Replaces a constructor, keeping prototype identity, `prototype.constructor`, name and length. */
function replaceConstructor(rt: Runtime, key: string, after: (instance: object, args: IArguments) => void): void {
  const g = rt.global;
  const Native = g[key] as NativeFn | undefined;
  const globalDesc = getOwnPropertyDescriptor(g, key);
  if (!Native || !globalDesc || !('value' in globalDesc)) return;
  const replacement = function (this: unknown): unknown {
    if (new.target === undefined) return apply(Native, this, arguments);
    const instance = construct(Native, arguments, new.target) as object;
    after(instance, arguments);
    return instance;
  };
  disguise(replacement, Native);
  const proto = (Native as unknown as { prototype: object }).prototype;
  defineProperty(replacement, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
  const ctorDesc = getOwnPropertyDescriptor(proto, 'constructor');
  if (ctorDesc) defineProperty(proto, 'constructor', { value: replacement, writable: ctorDesc.writable, enumerable: ctorDesc.enumerable, configurable: ctorDesc.configurable });
  defineProperty(g, key, { value: replacement, writable: globalDesc.writable, enumerable: globalDesc.enumerable, configurable: globalDesc.configurable });
}

function scriptUrl(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (urlHref) {
    try {
      return urlHref(arg) as string;
    } catch {
      // Not a URL object (a TrustedScriptURL or a page object): its string form would run page code.
    }
  }
  return '';
}

/** `type: 'module'` read from a data property only: a page getter must not run twice. */
function isModule(options: unknown): boolean {
  if (!isObject(options)) return false;
  const d = getOwnPropertyDescriptor(options, 'type');
  return !!d && 'value' in d && d.value === 'module';
}

/** The runtime's own capture listener for carrier messages arriving at `target`. */
export function observeCarrier(rt: Runtime, target: object, carrier: CarrierKind, source: (event: Event) => { source: string; sourceOrigin?: string }): void {
  apply(nativeAddEventListener, target, [
    'message',
    (event: Event) => {
      if (!eventIsTrusted(event)) return;
      const ports = messageEventPorts(event) as readonly object[];
      const print = fingerprint(messageEventData(event));
      const from = source(event);
      const ids = ports.length
        ? receivePorts(rt, ports, carrier === 'window' ? { carrier, fingerprint: print, sourcePath: from.source, sourceOrigin: from.sourceOrigin } : { carrier, fingerprint: print })
        : [];
      const fact = { kind: 'carrier-received', ctx: rt.ctx, carrier, source: from.source, fingerprint: print, ports: ids } as Extract<Fact, { kind: 'carrier-received' }>;
      if (from.sourceOrigin !== undefined) fact.sourceOrigin = from.sourceOrigin;
      rt.emitter.emit(fact);
    },
    true,
  ]);
}

export function patchCarriers(rt: Runtime, contextKind: string): void {
  const g = rt.global;
  if (contextKind === 'window' || contextKind === 'iframe') {
    const d = getOwnPropertyDescriptor(g, 'postMessage');
    if (d && 'value' in d && typeof d.value === 'function') replaceValue(g, 'postMessage', windowPost(rt, d.value));
    observeCarrier(rt, g, 'window', (event) => {
      const origin = messageEventOrigin(event) as string;
      return { source: framePathOf(messageEventSource(event), g.top), sourceOrigin: origin };
    });
  } else if (contextKind === 'worker') {
    const holder = holderOf(g, 'postMessage');
    const d = holder && getOwnPropertyDescriptor(holder, 'postMessage');
    if (holder && d && 'value' in d && typeof d.value === 'function') replaceValue(holder, 'postMessage', sequenceOrOptionsPost(rt, d.value, 'worker', () => 'parent'));
    observeCarrier(rt, g, 'worker', () => ({ source: 'parent' }));
  }

  const workerProto = g.Worker?.prototype as object | undefined;
  if (workerProto) {
    const post = getOwnPropertyDescriptor(workerProto, 'postMessage');
    if (post && typeof post.value === 'function') replaceValue(workerProto, 'postMessage', sequenceOrOptionsPost(rt, post.value, 'worker', (self) => 'worker:' + (weakMapGet(workers, self) ?? 0)));
    const terminate = getOwnPropertyDescriptor(workerProto, 'terminate');
    if (terminate && typeof terminate.value === 'function') {
      const nativeTerminate = terminate.value as NativeFn;
      replaceValue(workerProto, 'terminate', {
        terminate(this: unknown): unknown {
          const result = apply(nativeTerminate, this, arguments);
          const id = weakMapGet(workers, this) as number | undefined;
          if (id !== undefined) rt.emitter.emit({ kind: 'worker-terminated', ctx: rt.ctx, worker: id });
          return result;
        },
      }.terminate);
    }
    replaceConstructor(rt, 'Worker', (worker, args) => {
      const id = newWorkerId();
      weakMapSet(workers, worker, id);
      rt.emitter.emit({ kind: 'worker-created', ctx: rt.ctx, worker: id, workerKind: 'worker', url: scriptUrl(args[0]), module: isModule(args[1]) });
      observeCarrier(rt, worker, 'worker', () => ({ source: 'worker:' + id }));
    });
  }

  if (g.SharedWorker && sharedWorkerPort) {
    replaceConstructor(rt, 'SharedWorker', (worker, args) => {
      const id = newWorkerId();
      weakMapSet(workers, worker, id);
      rt.emitter.emit({ kind: 'worker-created', ctx: rt.ctx, worker: id, workerKind: 'sharedworker', url: scriptUrl(args[0]), module: isModule(args[1]) });
      seePort(rt, sharedWorkerPort!(worker) as object, 'sharedworker');
    });
  }

  for (const key of ['ServiceWorker', 'Client'] as const) {
    const proto = g[key]?.prototype as object | undefined;
    const post = proto && getOwnPropertyDescriptor(proto, 'postMessage');
    if (proto && post && typeof post.value === 'function') replaceValue(proto, 'postMessage', sequenceOrOptionsPost(rt, post.value, 'serviceworker', () => key));
  }
}
