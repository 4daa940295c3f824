/**
 * Workers instrumented through the DevTools protocol (the CLI's Chromium, cli/workers.ts): the
 * recorder evaluates this same runtime in each worker while the worker is paused before its
 * first line, so the worker runs its own script from its own URL and nothing is built from a
 * blob. What is left to the runtime is naming: the page says which ctx each worker it
 * constructs will announce (`worker-created.childCtx`), and the worker announces exactly that.
 *  - A dedicated worker gets a fresh id; the recorder, which sees both the page's
 *    `worker-created` and the worker's target, hands the id to the worker (cli/workers.ts).
 *  - A shared worker is one worker for every document that names the same script URL and
 *    name, so its id is derived from those two: every document and the worker itself compute
 *    the same one without talking to each other.
 */
import type { WorkerIdentity } from './worker-identity.ts';
import {
  hasOwn,
  G,
  construct,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  apply,
  NativeURL,
  nodeBaseURI,
  stringSlice,
  urlHref,
  workerLocationHref,
} from './natives.ts';
import { newContextId } from './context.ts';

/**
 * What this runtime names: every worker (the recorder, which attaches to all of them), or only
 * dedicated workers (the extension's "See inside workers": through `chrome.debugger` only they
 * can be paused before their first line, so a shared worker named here would be waited for in vain).
 */
let naming: false | 'all' | 'dedicated' = false;

/** The page-side runtime names the workers it constructs (set by the recorder's config, or the extension's debugger). */
export function nameWorkersForProtocol(which: 'all' | 'dedicated' = 'all'): void {
  naming = which;
}

/** Whether the dedicated workers made here are instrumented through the DevTools protocol. */
export function namesDedicatedWorkers(): boolean {
  return naming !== false;
}

/** Whether service workers are seen from inside too, so their messages to this client are watched. */
export function namesWorkers(): boolean {
  return naming === 'all';
}

/** Past this a derived id would not be a valid ctx (protocol LIMITS.id): the shared worker keeps a random one. */
const MAX_ID = 256;

function sharedWorkerCtx(url: string, name: string): string | undefined {
  const id = 'sharedworker:' + name + '@' + url;
  return id.length <= MAX_ID ? id : undefined;
}

/** A data property as dictionary conversion would read it; undefined also when a getter (page code) is in the way. */
function dataMember(o: object, key: string): { value: unknown } | undefined {
  for (let p: object | null = o, depth = 0; p !== null && depth < 16; p = getPrototypeOf(p), depth++) {
    const d = getOwnPropertyDescriptor(p, key);
    if (d) return hasOwn(d, 'value') ? { value: d.value } : undefined;
  }
  return { value: undefined };
}

/** The absolute script URL as the constructor resolves it, without running page code; undefined when that cannot be told. */
function resolvedScriptUrl(g: any, source: unknown): string | undefined {
  if (typeof source !== 'string' || !NativeURL || !urlHref) return undefined;
  const base =
    g.document && nodeBaseURI
      ? (nodeBaseURI(g.document) as string)
      : g.location && workerLocationHref
        ? (workerLocationHref(g.location) as string)
        : undefined;
  try {
    return urlHref(construct(NativeURL as never, base === undefined ? [source] : [source, base])) as string;
  } catch {
    return undefined;
  }
}

/** A URL object (read through the captured getter: no page code runs) whose href is a blob: URL. */
function isBlobUrlObject(source: unknown): boolean {
  if (!urlHref || typeof source !== 'object' || source === null) return false;
  try {
    return stringSlice(urlHref(source) as string, 0, 5) === 'blob:';
  } catch {
    return false;
  }
}

/** The ctx a worker constructed here with `args` will announce; undefined when not naming, or when it cannot be told. */
export function protocolChildCtx(g: any, kind: 'Worker' | 'SharedWorker', args: unknown[]): string | undefined {
  if (!naming) return undefined;
  const url = resolvedScriptUrl(g, args[0]);
  // A blob: worker starts before the recorder's first command reaches it (measured, Chromium
  // 156): it cannot be instrumented, so it is not named, and is seen from outside.
  if (url !== undefined ? stringSlice(url, 0, 5) === 'blob:' : isBlobUrlObject(args[0])) return undefined;
  if (kind === 'Worker') return newContextId();
  if (url === undefined || naming === 'dedicated') return undefined;
  const options = args.length > 1 ? args[1] : undefined;
  let name: unknown = '';
  if (typeof options === 'string') name = options;
  else if (typeof options === 'object' && options !== null) {
    const member = dataMember(options, 'name');
    if (!member) return undefined;
    name = member.value === undefined ? '' : member.value;
  } else if (options !== undefined) return undefined;
  if (typeof name !== 'string') return undefined;
  return sharedWorkerCtx(url, name);
}

/** What the recorder told a worker about itself (`__portscopeConfig.worker`). */
export interface ProtocolWorkerConfig {
  ctx?: string;
  parent?: string;
}

/** The identity a worker's runtime announces: the recorder's, or for a shared worker the one its documents derived. */
export function protocolIdentity(config: ProtocolWorkerConfig | undefined): WorkerIdentity {
  const identity: WorkerIdentity = { inside: 'protocol' };
  if (typeof config !== 'object' || config === null) return identity;
  if (typeof config.ctx === 'string' && config.ctx !== '') identity.ctx = config.ctx;
  if (typeof config.parent === 'string' && config.parent !== '') identity.parent = config.parent;
  const shared = G.SharedWorkerGlobalScope;
  if (identity.ctx === undefined && typeof shared === 'function' && workerLocationHref) {
    let nameGet: (() => unknown) | undefined;
    // A [Global] interface's attributes live on the global itself in some engines, on its prototypes in others.
    for (
      let p: object | null = G, depth = 0;
      p !== null && depth < 8 && nameGet === undefined;
      p = getPrototypeOf(p), depth++
    )
      nameGet = getOwnPropertyDescriptor(p, 'name')?.get;
    const name = nameGet ? apply(nameGet, G, []) : '';
    const ctx = typeof name === 'string' ? sharedWorkerCtx(workerLocationHref(G.location) as string, name) : undefined;
    if (ctx !== undefined) identity.ctx = ctx;
  }
  return identity;
}
