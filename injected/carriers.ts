/**
 * Carriers move ports between contexts: window.postMessage, Worker / DedicatedWorkerGlobalScope
 * postMessage, SharedWorker's port, ServiceWorker and Client postMessage. Sends are traced
 * like port posts (post.ts); arrivals are seen by the runtime's own capture `message`
 * listener on the global and on each Worker object, added before any page script.
 */
import type { CarrierKind, Fact } from '../protocol/facts.ts';
import { replaceConstructor, replaceValue, type OnApply } from './disguise.ts';
import { newCarrierId, newWorkerId } from './ids.ts';
import {
  NativeWeakMap,
  apply,
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
import { guarded } from './guard.ts';
import { framePathOf } from './frames.ts';
import { secondArgument } from './transfer.ts';

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
function sequenceOrOptionsPost(rt: Runtime, carrier: CarrierKind, target: (self: unknown) => string): (native: NativeFn) => OnApply {
  return (native) => (self, args) => {
    const count = args.length;
    if (count === 0) return apply(native, self, args);
    let callArgs: unknown[];
    let items: unknown[];
    if (count === 1) {
      callArgs = [args[0]];
      items = [];
    } else {
      const converted = secondArgument(args[1], rt.portOptionKeys, rt.iteratorReads);
      if (converted === undefined) return apply(native, self, args);
      callArgs = [args[0], converted.standIn];
      if (!converted.complete) return apply(native, self, callArgs);
      items = converted.items;
    }
    const posted = tracedPost(rt, native, self, callArgs, items, carrier, 0);
    guarded(rt, 'carrier-posted', () => carrierPosted(rt, carrier, target(self), undefined, posted));
    return undefined;
  };
}

/** Where a method lives: own property of the global or somewhere on its prototype chain. */
function holderOf(o: object, key: string): object | undefined {
  for (let p: object | null = o, depth = 0; p !== null && depth < 8; p = getPrototypeOf(p), depth++) {
    if (getOwnPropertyDescriptor(p, key)) return p;
  }
  return undefined;
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
    (event: Event) => guarded(rt, 'observe-carrier', () => {
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
    }),
    true,
  ]);
}

export function patchCarriers(rt: Runtime, contextKind: string): void {
  const g = rt.global;
  if (contextKind === 'window' || contextKind === 'iframe') {
    // window.postMessage is deliberately NOT replaced. Its `event.source` (and the meaning of
    // targetOrigin "/") come from the *incumbent* realm, which the engine takes from the
    // topmost script frame: a replacement living in the target window's realm would become
    // that frame, and `parentWindow.postMessage(...)` from a child would arrive with the
    // parent itself as `source` (measured in Chromium 156; see the conformance scenario
    // "window: event.source and origin across same-origin realms"). Sends through windows
    // are therefore seen only where they arrive (carrier-received, port-received).
    observeCarrier(rt, g, 'window', (event) => {
      const origin = messageEventOrigin(event) as string;
      return { source: framePathOf(messageEventSource(event), g.top), sourceOrigin: origin };
    });
  } else if (contextKind === 'worker') {
    const holder = holderOf(g, 'postMessage');
    if (holder) replaceValue(holder, 'postMessage', sequenceOrOptionsPost(rt, 'worker', () => 'parent'));
    observeCarrier(rt, g, 'worker', () => ({ source: 'parent' }));
  }
  if (contextKind === 'worker' || contextKind === 'sharedworker') {
    // self.close(): the last chance to hand over what is buffered.
    const closeHolder = holderOf(g, 'close');
    if (closeHolder)
      replaceValue(closeHolder, 'close', (native) => (self, args) => {
        const result = apply(native, self, args);
        guarded(rt, 'worker-close', () => {
          rt.emitter.emit({ kind: 'context-destroyed', ctx: rt.ctx, reason: 'close' });
          rt.emitter.flush();
        });
        return result;
      });
  }

  const workerProto = g.Worker?.prototype as object | undefined;
  if (workerProto) {
    replaceValue(workerProto, 'postMessage', sequenceOrOptionsPost(rt, 'worker', (self) => 'worker:' + (weakMapGet(workers, self) ?? 0)));
    replaceValue(workerProto, 'terminate', (native) => (self, args) => {
      const result = apply(native, self, args);
      guarded(rt, 'worker-terminated', () => {
        const id = weakMapGet(workers, self) as number | undefined;
        if (id !== undefined) rt.emitter.emit({ kind: 'worker-terminated', ctx: rt.ctx, worker: id });
      });
      return result;
    });
    replaceConstructor(g, 'Worker', (worker, args) => guarded(rt, 'worker-created', () => {
      const id = newWorkerId();
      weakMapSet(workers, worker, id);
      rt.emitter.emit({ kind: 'worker-created', ctx: rt.ctx, worker: id, workerKind: 'worker', url: scriptUrl(args[0]), module: isModule(args[1]) });
      observeCarrier(rt, worker, 'worker', () => ({ source: 'worker:' + id }));
    }));
  }

  if (g.SharedWorker && sharedWorkerPort) {
    replaceConstructor(g, 'SharedWorker', (worker, args) => guarded(rt, 'sharedworker-created', () => {
      const id = newWorkerId();
      weakMapSet(workers, worker, id);
      rt.emitter.emit({ kind: 'worker-created', ctx: rt.ctx, worker: id, workerKind: 'sharedworker', url: scriptUrl(args[0]), module: isModule(args[1]) });
      seePort(rt, sharedWorkerPort!(worker) as object, 'sharedworker');
    }));
  }

  for (const key of ['ServiceWorker', 'Client'] as const) {
    const proto = g[key]?.prototype as object | undefined;
    if (proto) replaceValue(proto, 'postMessage', sequenceOrOptionsPost(rt, 'serviceworker', () => key));
  }
}
