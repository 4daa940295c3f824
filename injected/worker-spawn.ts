/**
 * `new Worker(url, options)` / `new SharedWorker(url, options)` with in-worker instrumentation:
 * when the config asks for it and the script is a same-origin http(s) or blob: URL, the native
 * worker is built from a bootstrap (worker-bootstrap.ts) that runs the runtime, then the
 * original script. Anything the runtime cannot do without the page noticing — an options
 * getter it would have to run, a URL object it would have to stringify, a cross-origin or
 * data: URL (whose worker has an opaque origin), a policy that refuses blob: workers — gets the
 * native construction with the page's own arguments: the worker is then observed from outside.
 *
 * Shared workers: the bootstrap blob is reused per (script URL, type, name) within this
 * document, so `new SharedWorker` twice still reaches one worker; another document gets
 * another blob, hence another worker — documented in docs/in-worker.md.
 */
import {
  hasOwn,
  apply,
  construct,
  objectCreate,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  mapGet,
  mapSet,
  NativeMap,
  NativeURL,
  nodeBaseURI,
  urlHref,
  workerLocationHref,
} from './natives.ts';
import { installConstructor, wrapNative, type NativeFn } from './disguise.ts';
import { newContextId } from './context.ts';
import type { PreviewBounds } from '../protocol/facts.ts';
import type { Runtime } from './runtime.ts';
import { againstApiBase, apiBaseOverride, copyArguments } from './worker-api-base.ts';
import { bootstrap, type WorkerParams } from './worker-bootstrap.ts';
import { blobWorkersAllowed, watchViolations } from './worker-csp.ts';
import { inboxName, revokeWhenStarted } from './worker-inbox.ts';
import { canMakeBlobWorkers, globalOrigin, revokeObjectURL, urlOrigin, urlProtocol } from './worker-natives.ts';
import { workerRuntimeSource } from './worker-source.ts';
import { guarded } from './guard.ts';
import { namesDedicatedWorkers, protocolChildCtx } from './worker-protocol.ts';

export type AfterWorker = (instance: object, args: unknown[], childCtx: string | undefined) => void;

/** Distinct shared-worker bootstraps kept per document; past it, shared workers are observed from outside. */
const MAX_SHARED = 32;
const shared = new NativeMap<string, { url: string; ctx: string }>();
let sharedCount = 0;

interface Plan {
  url: string;
  module: boolean;
  /** SharedWorker name (part of its identity). */
  name: string;
}

const INVALID = objectCreate(null) as object;

/** A property as the native dictionary conversion would read it, or `invalid` when a getter (page code) is in the way. */
function dictionaryMember(o: object, key: string): unknown {
  for (let p: object | null = o, depth = 0; p !== null && depth < 16; p = getPrototypeOf(p), depth++) {
    const d = getOwnPropertyDescriptor(p, key);
    if (d) return hasOwn(d, 'value') ? d.value : INVALID;
  }
  return undefined;
}

function baseUrl(rt: Runtime): string | undefined {
  const g = rt.global;
  const override = apiBaseOverride();
  if (override !== undefined) return override;
  if (g.document && nodeBaseURI) return nodeBaseURI(g.document) as string;
  if (g.location && workerLocationHref) return workerLocationHref(g.location) as string;
  return undefined;
}

function plan(rt: Runtime, args: unknown[], kind: 'Worker' | 'SharedWorker'): Plan | undefined {
  if (
    !rt.config.inWorker ||
    !canMakeBlobWorkers() ||
    !blobWorkersAllowed() ||
    args.length === 0 ||
    !NativeURL ||
    !urlHref
  )
    return undefined;
  const source = args[0];
  let url: object;
  if (typeof source === 'string') {
    const base = baseUrl(rt);
    try {
      url = construct(NativeURL as never, base === undefined ? [source] : [source, base]);
    } catch {
      return undefined;
    }
  } else {
    try {
      urlHref(source);
      url = source as object;
    } catch {
      // A TrustedScriptURL or a page object: converting it would run its code.
      return undefined;
    }
  }
  const protocol = urlProtocol(url);
  if (protocol !== 'http:' && protocol !== 'https:' && protocol !== 'blob:') return undefined;
  const origin = globalOrigin();
  if (origin === '' || origin === 'null' || urlOrigin(url) !== origin) return undefined;

  const options = args.length > 1 ? args[1] : undefined;
  let type: unknown;
  let name: unknown = '';
  if (typeof options === 'object' && options !== null) {
    type = dictionaryMember(options, 'type');
    if (kind === 'SharedWorker') name = dictionaryMember(options, 'name');
  } else if (kind === 'SharedWorker' && typeof options === 'string') {
    name = options;
  } else if (options !== undefined) {
    return undefined;
  }
  if (type === INVALID || name === INVALID) return undefined;
  if (type !== undefined && type !== 'classic' && type !== 'module') return undefined;
  if (name === undefined) name = '';
  if (typeof name !== 'string') return undefined;
  return { url: urlHref(url) as string, module: type === 'module', name };
}

function paramsFor(rt: Runtime, ctx: string, url: string, channel: string): WorkerParams {
  // No prototype: JSON.stringify must find no page-defined toJSON on the way.
  const p = objectCreate(null) as WorkerParams;
  p.ctx = ctx;
  p.parent = rt.ctx;
  p.url = url;
  p.channel = channel;
  p.captureStacks = rt.config.captureStacks;
  const bounds = rt.config.preview;
  if (bounds) {
    const b = objectCreate(null) as PreviewBounds;
    b.depth = bounds.depth;
    b.keys = bounds.keys;
    b.stringLength = bounds.stringLength;
    b.nodes = bounds.nodes;
    b.chars = bounds.chars;
    p.preview = b;
  }
  return p;
}

/** The arguments the native gets when the worker is not instrumented: the page's own (a relative URL resolved as natively). */
function nativeArgs(args: unknown[]): unknown[] {
  if (apiBaseOverride() === undefined || args.length === 0) return args;
  const out = copyArguments(args);
  out[0] = againstApiBase(out[0]);
  return out;
}

function construction(rt: Runtime, Native: NativeFn, kind: 'Worker' | 'SharedWorker', after: AfterWorker) {
  return (args: unknown[], newTarget: object): object => {
    // A dedicated worker the debugger will instrument from its first line (the extension's "See
    // inside workers") is not also built from the bootstrap: each worker is seen one way only.
    const p =
      kind === 'Worker' && namesDedicatedWorkers()
        ? undefined
        : guarded(rt, 'in-worker-plan', () => plan(rt, args, kind));
    const source = workerRuntimeSource();
    const channel = p && source !== undefined ? guarded(rt, 'in-worker-inbox', () => inboxName(rt)) : undefined;
    if (p && source !== undefined && channel !== undefined) {
      let ctx: string;
      let url: string;
      let blobs: string[] = [];
      const key = (p.module ? 'm ' : 'c ') + p.name + ' ' + p.url;
      const known =
        kind === 'SharedWorker' ? (mapGet(shared, key) as { url: string; ctx: string } | undefined) : undefined;
      if (known) {
        ctx = known.ctx;
        url = known.url;
      } else if (kind === 'SharedWorker' && sharedCount >= MAX_SHARED) {
        ctx = '';
        url = '';
      } else {
        ctx = newContextId();
        const made = bootstrap(source, paramsFor(rt, ctx, p.url, channel), p.module);
        url = made.url;
        blobs = made.blobs;
      }
      if (url !== '') {
        const callArgs = copyArguments(args);
        callArgs[0] = url;
        let instance: object | undefined;
        try {
          instance = construct(Native as never, callArgs, newTarget as never) as object;
        } catch {
          // Whatever refused it, the page's own arguments get the native's own answer below.
          for (let i = 0; i < blobs.length; i++) revokeObjectURL(blobs[i]);
        }
        if (instance !== undefined) {
          if (kind === 'SharedWorker') {
            if (!known) {
              mapSet(shared, key, { url, ctx });
              sharedCount++;
            }
          } else revokeWhenStarted(ctx, blobs);
          after(instance, args, ctx);
          return instance;
        }
      }
    }
    const instance = construct(Native as never, nativeArgs(args), newTarget as never) as object;
    // Through the DevTools protocol the recorder holds the new worker paused until it has read
    // this worker-created (its childCtx is what the worker will announce): it leaves at once.
    const childCtx = guarded(rt, 'protocol-child-ctx', () => protocolChildCtx(rt.global, kind, args));
    after(instance, args, childCtx);
    if (childCtx !== undefined) guarded(rt, 'protocol-child-flush', () => rt.emitter.flush());
    return instance;
  };
}

/**
 * Replaces `holder[key]` (Worker or SharedWorker) like disguise.ts replaceConstructor, with the
 * construction above; `after` records the worker (carriers.ts).
 */
export function replaceWorkerConstructor(
  rt: Runtime,
  holder: object,
  key: 'Worker' | 'SharedWorker',
  after: AfterWorker,
): boolean {
  const d = getOwnPropertyDescriptor(holder, key);
  if (!d || !hasOwn(d, 'value') || typeof d.value !== 'function') return false;
  const Native = d.value as NativeFn;
  if (key === 'Worker') watchViolations(rt.global);
  const replacement = wrapNative(
    Native,
    (self, args) => apply(Native, self, args),
    construction(rt, Native, key, after),
  );
  return installConstructor(holder, key, d, Native, replacement);
}
