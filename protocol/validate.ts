/**
 * Validation of facts on every receiving side (content relay, background, panel, trace import).
 * Facts come from page-adjacent code and files, so they are untrusted: every field is checked,
 * every string and list is bounded, and the result is a fresh object holding only the known
 * fields (nothing a sender smuggled in travels further). Errors name the exact path:
 * `facts[12].transfer[0].port: expected a positive integer, got "x"`.
 */
import { FACT_KINDS, PREVIEW_BOUNDS, type Fact, type Preview, type TransferItem, type CallSite } from './facts.ts';
import type { RuntimeConfig, RuntimeToRelay } from './handshake.ts';
import { RUNTIME_JSON_MAX_CHARS, emptyCounts, type BackgroundToContent, type BackgroundToPanel, type ContentToBackground, type Cursor, type DecodedBatch, type DevtoolsToBackground, type DropCounts, type EncodedFacts, type PanelToBackground } from './messages.ts';

export class ProtocolError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ProtocolError';
  }
}

/**
 * Bounds for untrusted input: what the runtime can emit (PREVIEW_BOUNDS, injected/site.ts) with
 * a small margin, so that a fact the runtime never makes is rejected (and counted) instead of
 * costing the background and the panel memory. One fact's preview holds at most
 * `previewChars` characters; before these bounds a fact could hold 2,000 × 65,536.
 */
export const LIMITS = {
  /** Any single string field outside a preview (URLs, error messages). */
  string: 65_536,
  /** Ids such as `ctx`. */
  id: 256,
  /**
   * Nodes in one preview tree. The runtime stops expanding at PREVIEW_BOUNDS.nodes, but the
   * containers open at that moment still list their remaining entries (at most `keys` pairs
   * per level), and array holes, accessors and boxed values add nodes it does not count.
   */
  previewNodes: 512,
  /** The runtime's depth bound, plus the leaves under the deepest containers and a boxed value's inner one. */
  previewDepth: PREVIEW_BOUNDS.depth + 3,
  /** A string value in a preview: the runtime cuts them at PREVIEW_BOUNDS.stringLength. */
  previewString: PREVIEW_BOUNDS.stringLength + 8,
  /**
   * Any other string in a preview (a key, a RegExp source, an error message, a BigInt's digits):
   * the runtime cuts them at PREVIEW_BOUNDS.stringLength too; traces written before it did may hold longer ones.
   */
  previewText: 4_096,
  /** Characters of all strings in one preview together. */
  previewChars: 262_144,
  /** Entries of a transfer list or an `event.ports` list. */
  list: 10_000,
  /** Call-site lines: the runtime keeps 12 frames of at most 300 characters (injected/site.ts). */
  stackLines: 16,
  stackLine: 512,
  /** Facts in one batch. */
  batch: 10_000,
  /** Characters of one runtime batch's JSON text (a full batch of large previews stays well under). */
  json: RUNTIME_JSON_MAX_CHARS,
  /** JSON texts in one relay batch. */
  jsonParts: 10_000,
} as const;

function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return String(x);
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ProtocolError(path, `expected ${expected}, got ${show(got)}`);
}

export function record(x: unknown, path: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(path, 'an object', x);
  return x as Record<string, unknown>;
}

export function list(x: unknown, path: string, max: number = LIMITS.list): unknown[] {
  if (!Array.isArray(x)) fail(path, 'an array', x);
  if (x.length > max) throw new ProtocolError(path, `expected at most ${max} entries, got ${x.length}`);
  return x;
}

export function str(x: unknown, path: string, max: number = LIMITS.string): string {
  if (typeof x !== 'string') fail(path, 'a string', x);
  if (x.length > max) throw new ProtocolError(path, `expected a string of at most ${max} characters, got ${x.length}`);
  return x;
}

export function id(x: unknown, path: string): string {
  const s = str(x, path, LIMITS.id);
  if (s.length === 0) fail(path, 'a non-empty id', x);
  return s;
}

export function positive(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 1) fail(path, 'a positive integer', x);
  return x;
}

export function count(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) fail(path, 'a non-negative integer', x);
  return x;
}

export function finite(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(path, 'a finite number', x);
  return x;
}

function nonNegative(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) fail(path, 'a non-negative number', x);
  return x;
}

export function bool(x: unknown, path: string): boolean {
  if (typeof x !== 'boolean') fail(path, 'a boolean', x);
  return x;
}

export function oneOf<T extends string>(x: unknown, path: string, allowed: readonly T[]): T {
  if (typeof x !== 'string' || !(allowed as readonly string[]).includes(x)) fail(path, `one of ${allowed.join('|')}`, x);
  return x as T;
}

/** Copies `o[key]` through `check` into `out` when present (optional fields). */
function optional<T>(o: Record<string, unknown>, key: string, path: string, check: (x: unknown, p: string) => T, out: Record<string, unknown>) {
  if (o[key] !== undefined) out[key] = check(o[key], `${path}.${key}`);
}

export function counts(x: unknown, path: string): Record<string, number> {
  const o = record(x, path);
  const out = emptyCounts();
  const keys = Object.keys(o);
  if (keys.length > 256) throw new ProtocolError(path, `expected at most 256 keys, got ${keys.length}`);
  for (const k of keys) {
    str(k, `${path} key`, LIMITS.id);
    out[k] = count(o[k], `${path}.${k}`);
  }
  return out;
}

const CONTEXT_KINDS = ['window', 'iframe', 'worker', 'sharedworker', 'serviceworker'] as const;
const CARRIERS = ['window', 'worker', 'sharedworker', 'serviceworker', 'port', 'broadcast'] as const;
const NUMBER_WORDS = ['NaN', 'Infinity', '-Infinity', '-0'] as const;

function site(x: unknown, path: string): CallSite {
  const o = record(x, path);
  const lines = list(o.stack, `${path}.stack`, LIMITS.stackLines);
  return { stack: lines.map((l, i) => str(l, `${path}.stack[${i}]`, LIMITS.stackLine)) };
}

function transferItem(x: unknown, path: string): TransferItem {
  const o = record(x, path);
  const t = oneOf(o.t, `${path}.t`, ['port', 'arraybuffer', 'other'] as const);
  if (t === 'port') return { t, port: positive(o.port, `${path}.port`) };
  if (t === 'arraybuffer') return { t, byteLength: count(o.byteLength, `${path}.byteLength`) };
  return { t, tag: str(o.tag, `${path}.tag`, LIMITS.id) };
}

function transferList(x: unknown, path: string): TransferItem[] {
  return list(x, path).map((item, i) => transferItem(item, `${path}[${i}]`));
}

function portList(x: unknown, path: string): number[] {
  return list(x, path).map((p, i) => positive(p, `${path}[${i}]`));
}

interface Budget {
  nodes: number;
  chars: number;
}

/** A string of a preview, charged to the whole preview's character budget. */
function text(x: unknown, path: string, budget: Budget, max: number = LIMITS.previewText): string {
  const s = str(x, path, max);
  budget.chars -= s.length;
  if (budget.chars < 0) throw new ProtocolError(path, `preview holds more than ${LIMITS.previewChars} characters`);
  return s;
}

/** Walks a preview tree; `budget` bounds the whole tree's nodes and characters, `depth` its height. */
function preview(x: unknown, path: string, depth: number, budget: Budget): Preview {
  if (--budget.nodes < 0) throw new ProtocolError(path, `preview has more than ${LIMITS.previewNodes} nodes`);
  if (depth > LIMITS.previewDepth) throw new ProtocolError(path, `preview deeper than ${LIMITS.previewDepth}`);
  const o = record(x, path);
  const t = o.t;
  const p = (key: string) => `${path}.${key}`;
  const txt = (v: unknown, at: string, max?: number) => text(v, at, budget, max);
  const child = (v: unknown, at: string) => preview(v, at, depth + 1, budget);
  /** The original lengths of texts the runtime cut (see Preview). */
  const lengths = (out: Record<string, unknown>, fields: string[]) => {
    for (const f of fields) optional(o, f, path, count, out);
    return out as Preview;
  };
  const truncated = (out: Record<string, unknown>) => {
    if (o.truncated !== undefined) {
      if (o.truncated !== true) fail(p('truncated'), 'true', o.truncated);
      out.truncated = true;
    }
    return out;
  };
  switch (t) {
    case 'undefined':
    case 'null':
    case 'getter':
    case 'more':
    case 'function':
    case 'symbol':
      return { t };
    case 'boolean':
      return { t, v: bool(o.v, p('v')) };
    case 'number': {
      const v = typeof o.v === 'string' ? oneOf(o.v, p('v'), NUMBER_WORDS) : finite(o.v, p('v'));
      return { t, v };
    }
    case 'bigint': {
      const out = truncated({ t, v: txt(o.v, p('v')) });
      optional(o, 'len', path, count, out);
      return out as Preview;
    }
    case 'string':
      return truncated({ t, v: txt(o.v, p('v'), LIMITS.previewString), len: count(o.len, p('len')) }) as Preview;
    case 'array':
      return truncated({ t, len: count(o.len, p('len')), items: list(o.items, p('items')).map((v, i) => child(v, `${path}.items[${i}]`)) }) as Preview;
    case 'object': {
      const entries = list(o.entries, p('entries')).map((e, i) => {
        const at = `${path}.entries[${i}]`;
        const pair = list(e, at, 3);
        if (pair.length < 2) fail(at, 'a [key, preview, key length?] entry', e);
        const entry: [string, Preview, number?] = [txt(pair[0], `${at}[0]`), child(pair[1], `${at}[1]`)];
        if (pair.length === 3) entry[2] = count(pair[2], `${at}[2]`);
        return entry;
      });
      return truncated({ t, entries, keys: count(o.keys, p('keys')) }) as Preview;
    }
    case 'map': {
      const entries = list(o.entries, p('entries')).map((e, i) => {
        const at = `${path}.entries[${i}]`;
        const pair = list(e, at, 2);
        if (pair.length !== 2) fail(at, 'a [key, value] pair', e);
        return [child(pair[0], `${at}[0]`), child(pair[1], `${at}[1]`)] as [Preview, Preview];
      });
      return truncated({ t, size: count(o.size, p('size')), entries }) as Preview;
    }
    case 'set':
      return truncated({ t, size: count(o.size, p('size')), items: list(o.items, p('items')).map((v, i) => child(v, `${path}.items[${i}]`)) }) as Preview;
    case 'date':
      // An invalid Date is NaN, which JSON (extension messaging) turns into null.
      return { t, v: o.v === null || (typeof o.v === 'number' && Number.isNaN(o.v)) ? NaN : finite(o.v, p('v')) };
    case 'regexp':
      return lengths({ t, source: txt(o.source, p('source')), flags: txt(o.flags, p('flags'), 16) }, ['sourceLen']);
    case 'arraybuffer': {
      const out: Record<string, unknown> = { t, byteLength: count(o.byteLength, p('byteLength')) };
      if (o.shared !== undefined) {
        if (o.shared !== true) fail(p('shared'), 'true', o.shared);
        out.shared = true;
      }
      return out as Preview;
    }
    case 'typedarray':
      return { t, ctor: txt(o.ctor, p('ctor'), LIMITS.id), length: count(o.length, p('length')), byteLength: count(o.byteLength, p('byteLength')) };
    case 'dataview':
      return { t, byteLength: count(o.byteLength, p('byteLength')) };
    case 'blob': {
      const out: Record<string, unknown> = { t, size: count(o.size, p('size')), type: txt(o.type, p('type')) };
      optional(o, 'name', path, (v, at) => txt(v, at), out);
      return lengths(out, ['typeLen', 'nameLen']);
    }
    case 'error':
      return lengths({ t, name: txt(o.name, p('name')), message: txt(o.message, p('message')) }, ['nameLen', 'messageLen']);
    case 'boxed':
      return { t, inner: child(o.inner, p('inner')) };
    case 'messageport':
      return { t, port: positive(o.port, p('port')) };
    case 'host':
      return lengths({ t, tag: txt(o.tag, p('tag'), LIMITS.id) }, ['tagLen']);
    case 'ref':
      return { t, path: txt(o.path, p('path'), 4_096) };
    default:
      return fail(p('t'), 'a preview type', t);
  }
}

export function validatePreview(x: unknown, path: string): Preview {
  return preview(x, path, 0, { nodes: LIMITS.previewNodes, chars: LIMITS.previewChars });
}

function threw(x: unknown, path: string) {
  const o = record(x, path);
  return { name: str(o.name, `${path}.name`, 1_024), message: str(o.message, `${path}.message`) };
}

type Out = Record<string, unknown>;

/** Per-kind field checks, writing the validated copy into `out`. */
const KIND_FIELDS: Record<Fact['kind'], (o: Out, path: string, out: Out) => void> = {
  context(o, path, out) {
    out.contextKind = oneOf(o.contextKind, `${path}.contextKind`, CONTEXT_KINDS);
    out.url = str(o.url, `${path}.url`);
    out.origin = str(o.origin, `${path}.origin`, 4_096);
    out.framePath = str(o.framePath, `${path}.framePath`, 4_096);
    optional(o, 'parent', path, id, out);
    out.observed = bool(o.observed, `${path}.observed`);
    out.userAgent = str(o.userAgent, `${path}.userAgent`, 4_096);
    if (o.inside !== undefined) out.inside = oneOf(o.inside, `${path}.inside`, ['protocol', 'bootstrap'] as const);
  },
  'context-destroyed'(o, path, out) {
    out.reason = oneOf(o.reason, `${path}.reason`, ['unload', 'terminate', 'close', 'removed'] as const);
  },
  'channel-created'(o, path, out) {
    out.channel = positive(o.channel, `${path}.channel`);
    out.port1 = positive(o.port1, `${path}.port1`);
    out.port2 = positive(o.port2, `${path}.port2`);
    optional(o, 'site', path, site, out);
  },
  'port-seen'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    out.how = oneOf(o.how, `${path}.how`, ['sharedworker', 'other', 'late'] as const);
  },
  'port-posted'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    out.msg = positive(o.msg, `${path}.msg`);
    out.preview = validatePreview(o.preview, `${path}.preview`);
    out.bytes = nonNegative(o.bytes, `${path}.bytes`);
    out.fingerprint = str(o.fingerprint, `${path}.fingerprint`, 1_024);
    out.transfer = transferList(o.transfer, `${path}.transfer`);
    out.outcome = oneOf(o.outcome, `${path}.outcome`, ['sent', 'closed', 'shipped', 'doomed'] as const);
    optional(o, 'site', path, site, out);
  },
  'clone-error'(o, path, out) {
    out.port = count(o.port, `${path}.port`);
    out.carrier = oneOf(o.carrier, `${path}.carrier`, CARRIERS);
    out.name = str(o.name, `${path}.name`, 1_024);
    out.message = str(o.message, `${path}.message`);
    optional(o, 'site', path, site, out);
  },
  'port-enabled'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    out.how = oneOf(o.how, `${path}.how`, ['start', 'onmessage'] as const);
  },
  'listener-added'(o, path, out) {
    listenerFields(o, path, out);
  },
  'listener-removed'(o, path, out) {
    listenerFields(o, path, out);
  },
  'message-dispatched'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    optional(o, 'fingerprint', path, (x, p) => str(x, p, 1_024), out);
    optional(o, 'preview', path, validatePreview, out);
    out.ports = portList(o.ports, `${path}.ports`);
    out.handlers = count(o.handlers, `${path}.handlers`);
    out.duration = nonNegative(o.duration, `${path}.duration`);
    optional(o, 'threw', path, threw, out);
  },
  'messages-counted'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    out.posted = count(o.posted, `${path}.posted`);
    out.dispatched = count(o.dispatched, `${path}.dispatched`);
  },
  messageerror(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
  },
  'port-shipped'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    out.carrier = oneOf(o.carrier, `${path}.carrier`, CARRIERS);
    out.carrierId = count(o.carrierId, `${path}.carrierId`);
    out.index = count(o.index, `${path}.index`);
  },
  'port-received'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    out.carrier = oneOf(o.carrier, `${path}.carrier`, CARRIERS);
    optional(o, 'viaPort', path, positive, out);
    optional(o, 'sourcePath', path, (v, at) => str(v, at, 4_096), out);
    optional(o, 'sourceOrigin', path, (v, at) => str(v, at, 4_096), out);
    out.fingerprint = str(o.fingerprint, `${path}.fingerprint`, 1_024);
    out.index = count(o.index, `${path}.index`);
    out.count = count(o.count, `${path}.count`);
  },
  'port-closed'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
    optional(o, 'site', path, site, out);
  },
  'close-event'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
  },
  'port-collected'(o, path, out) {
    out.port = positive(o.port, `${path}.port`);
  },
  'carrier-posted'(o, path, out) {
    out.carrierId = count(o.carrierId, `${path}.carrierId`);
    out.carrier = oneOf(o.carrier, `${path}.carrier`, CARRIERS);
    out.target = str(o.target, `${path}.target`, 4_096);
    optional(o, 'targetOrigin', path, (v, at) => str(v, at, 4_096), out);
    out.fingerprint = str(o.fingerprint, `${path}.fingerprint`, 1_024);
    out.preview = validatePreview(o.preview, `${path}.preview`);
    out.bytes = nonNegative(o.bytes, `${path}.bytes`);
    out.transfer = transferList(o.transfer, `${path}.transfer`);
    optional(o, 'site', path, site, out);
  },
  'carrier-received'(o, path, out) {
    out.carrier = oneOf(o.carrier, `${path}.carrier`, CARRIERS);
    out.source = str(o.source, `${path}.source`, 4_096);
    optional(o, 'sourceOrigin', path, (v, at) => str(v, at, 4_096), out);
    out.fingerprint = str(o.fingerprint, `${path}.fingerprint`, 1_024);
    out.ports = portList(o.ports, `${path}.ports`);
  },
  'worker-created'(o, path, out) {
    out.worker = positive(o.worker, `${path}.worker`);
    out.workerKind = oneOf(o.workerKind, `${path}.workerKind`, ['worker', 'sharedworker'] as const);
    out.url = str(o.url, `${path}.url`);
    out.module = bool(o.module, `${path}.module`);
    optional(o, 'childCtx', path, id, out);
  },
  'worker-terminated'(o, path, out) {
    out.worker = positive(o.worker, `${path}.worker`);
  },
  'facts-dropped'(o, path, out) {
    out.counts = counts(o.counts, `${path}.counts`);
  },
  'runtime-note'(o, path, out) {
    out.code = str(o.code, `${path}.code`, LIMITS.id);
    out.message = str(o.message, `${path}.message`);
  },
};

function listenerFields(o: Out, path: string, out: Out) {
  out.port = positive(o.port, `${path}.port`);
  out.type = oneOf(o.type, `${path}.type`, ['message', 'messageerror', 'close'] as const);
  out.via = oneOf(o.via, `${path}.via`, ['addEventListener', 'onmessage', 'onmessageerror', 'onclose'] as const);
}

/** Validates one fact; returns a fresh copy holding only the fields protocol/facts.ts defines. */
export function validateFact(x: unknown, where: string): Fact {
  const o = record(x, where);
  const kind = oneOf(o.kind, `${where}.kind`, FACT_KINDS);
  const out: Out = { kind, seq: positive(o.seq, `${where}.seq`), time: finite(o.time, `${where}.time`), ctx: id(o.ctx, `${where}.ctx`) };
  KIND_FIELDS[kind](o, where, out);
  return out as unknown as Fact;
}

/** Validates a list of facts; the first bad one throws, naming its index (`facts[12].port: ...`). */
export function validateFacts(x: unknown, where: string): Fact[] {
  const items = list(x, where, LIMITS.batch);
  const out: Fact[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = validateFact(items[i], `${where}[${i}]`);
  return out;
}

/**
 * Validates each fact on its own: good ones are kept, bad ones are counted with the first
 * error, so one malformed fact does not cost the whole batch.
 */
export function partitionFacts(x: unknown, where: string): { facts: Fact[]; rejected: number; firstError?: ProtocolError } {
  const items = list(x, where, LIMITS.batch);
  const facts: Fact[] = [];
  let rejected = 0;
  let firstError: ProtocolError | undefined;
  for (let i = 0; i < items.length; i++) {
    try {
      facts.push(validateFact(items[i], `${where}[${i}]`));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      rejected++;
      firstError ??= e;
    }
  }
  return { facts, rejected, firstError };
}

// ── messages (protocol/messages.ts, protocol/handshake.ts): one validator per receiving side ──

export function validateConfig(x: unknown, path: string): RuntimeConfig {
  const o = record(x, path);
  return { captureStacks: bool(o.captureStacks, `${path}.captureStacks`), inWorker: bool(o.inWorker, `${path}.inWorker`) };
}

function tabId(x: unknown, path: string): number {
  // Tab ids are non-negative integers in Chrome and Firefox.
  return count(x, path);
}

function cursor(x: unknown, path: string): Cursor {
  return counts(x, path);
}

/**
 * The envelope of what the MAIN-world runtime sends over the private port. The facts are left
 * unvalidated here: the relay checks them one by one (partitionFacts) so one bad fact costs
 * only itself. A JSON string is accepted as well (the standalone runtime's encoding).
 */
export function validateRuntimeToRelay(x: unknown, where = 'message'): RuntimeToRelay {
  if (typeof x === 'string') {
    if (x.length > 64 * 1024 * 1024) throw new ProtocolError(where, `message larger than 64 MiB (${x.length} characters)`);
    try {
      x = JSON.parse(x);
    } catch {
      throw new ProtocolError(where, 'expected JSON, got unparsable text');
    }
  }
  const o = record(x, where);
  const type = oneOf(o.type, `${where}.type`, ['batch', 'hello'] as const);
  if (type === 'hello') return { type, ctx: id(o.ctx, `${where}.ctx`) };
  const seq = positive(o.seq, `${where}.seq`);
  if (o.json === undefined) return { type, seq, facts: list(o.facts, `${where}.facts`, LIMITS.batch) };
  // The JSON text itself is not looked into here: the relay runs on the page's thread.
  const n = batchCount(o.count, `${where}.count`);
  return { type, seq, count: n, kinds: kindCounts(o.kinds, `${where}.kinds`, n), json: str(o.json, `${where}.json`, LIMITS.json) };
}

function batchCount(x: unknown, path: string): number {
  const n = count(x, path);
  if (n > LIMITS.batch) throw new ProtocolError(path, `expected at most ${LIMITS.batch} facts, got ${n}`);
  return n;
}

/** Facts per kind of one batch: known kind names only, summing to the batch's `count`. */
function kindCounts(x: unknown, path: string, total: number): DropCounts {
  const o = record(x, path);
  const out = emptyCounts();
  const keys = Object.keys(o);
  if (keys.length > FACT_KINDS.length) throw new ProtocolError(path, `expected at most ${FACT_KINDS.length} kinds, got ${keys.length}`);
  let sum = 0;
  for (const k of keys) {
    oneOf(k, `${path} key`, FACT_KINDS);
    sum += out[k] = count(o[k], `${path}.${k}`);
  }
  if (sum !== total) throw new ProtocolError(path, `expected counts summing to ${total}, got ${sum}`);
  return out;
}

/**
 * Parses and validates one runtime JSON text (background side). Never throws: a text that is
 * not JSON, not an array, or not as long as it claims is rejected whole; within a good array,
 * each bad fact costs only itself.
 */
export function decodeFacts(x: EncodedFacts, where: string): { facts: Fact[]; rejected: number; firstError?: ProtocolError } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(x.json);
  } catch {
    return { facts: [], rejected: Math.max(1, x.count), firstError: new ProtocolError(`${where}.json`, 'expected JSON, got unparsable text') };
  }
  if (!Array.isArray(parsed)) return { facts: [], rejected: Math.max(1, x.count), firstError: new ProtocolError(`${where}.json`, `expected a JSON array of facts, got ${show(parsed)}`) };
  if (parsed.length !== x.count) {
    return { facts: [], rejected: Math.max(1, x.count, parsed.length), firstError: new ProtocolError(`${where}.json`, `expected ${x.count} facts (its count), got ${parsed.length}`) };
  }
  return partitionFacts(parsed, where);
}

function encodedFacts(x: unknown, path: string): EncodedFacts {
  const o = record(x, path);
  return { json: str(o.json, `${path}.json`, LIMITS.json), count: batchCount(o.count, `${path}.count`) };
}

export function validateContentToBackground(x: unknown, where = 'message'): Extract<ContentToBackground, { type: 'hello' }> | DecodedBatch {
  const o = record(x, where);
  const type = oneOf(o.type, `${where}.type`, ['hello', 'batch', 'json-batch'] as const);
  if (type === 'hello') {
    const hello: ContentToBackground = {
      type,
      relay: id(o.relay, `${where}.relay`),
      session: o.session === null ? null : id(o.session, `${where}.session`),
      url: str(o.url, `${where}.url`),
      top: bool(o.top, `${where}.top`),
      lastSeq: count(o.lastSeq, `${where}.lastSeq`),
      firstRetained: count(o.firstRetained, `${where}.firstRetained`),
    };
    if (o.evicted !== undefined) hello.evicted = counts(o.evicted, `${where}.evicted`);
    return hello;
  }
  const seq = positive(o.seq, `${where}.seq`);
  // A content script is less trusted than the background: re-check every fact, keep the good ones.
  let facts: Fact[];
  let rejected = 0;
  let firstError: ProtocolError | undefined;
  let chars: number | undefined;
  if (type === 'batch') ({ facts, rejected, firstError } = partitionFacts(o.facts, `${where}.facts`));
  else {
    const parts = list(o.json, `${where}.json`, LIMITS.jsonParts);
    facts = [];
    chars = 0;
    for (let i = 0; i < parts.length; i++) {
      const encoded = encodedFacts(parts[i], `${where}.json[${i}]`);
      chars += encoded.json.length;
      const part = decodeFacts(encoded, `${where}.json[${i}]`);
      for (const f of part.facts) facts.push(f);
      rejected += part.rejected;
      firstError ??= part.firstError;
    }
  }
  const out: DecodedBatch = { type: 'batch', seq, facts };
  if (chars !== undefined) out.chars = chars;
  if (o.dropped !== undefined) out.dropped = counts(o.dropped, `${where}.dropped`);
  if (o.rejected !== undefined) out.rejected = count(o.rejected, `${where}.rejected`);
  if (o.error !== undefined) out.error = str(o.error, `${where}.error`, 4_096);
  if (rejected) {
    out.rejectedFacts = rejected;
    out.factError = firstError?.message;
  }
  return out;
}

/** The in-worker runtime's text is tens of KB; this bound only stops a runaway. */
const WORKER_RUNTIME_MAX = 1_048_576;

function workerRuntimeOf(o: Record<string, unknown>, where: string): { workerRuntime?: string } {
  return o.workerRuntime === undefined ? {} : { workerRuntime: str(o.workerRuntime, `${where}.workerRuntime`, WORKER_RUNTIME_MAX) };
}

export function validateBackgroundToContent(x: unknown, where = 'message'): BackgroundToContent {
  const o = record(x, where);
  const type = oneOf(o.type, `${where}.type`, ['welcome', 'ack', 'config', 'forget'] as const);
  switch (type) {
    case 'welcome':
      return { type, session: id(o.session, `${where}.session`), resumeAfter: count(o.resumeAfter, `${where}.resumeAfter`), config: validateConfig(o.config, `${where}.config`), ...workerRuntimeOf(o, where), recordMessages: bool(o.recordMessages, `${where}.recordMessages`) };
    case 'ack':
      return { type, seq: positive(o.seq, `${where}.seq`) };
    case 'config':
      return { type, config: validateConfig(o.config, `${where}.config`), ...workerRuntimeOf(o, where), recordMessages: bool(o.recordMessages, `${where}.recordMessages`) };
    case 'forget':
      return { type, seq: count(o.seq, `${where}.seq`) };
  }
}

export function validatePanelToBackground(x: unknown, where = 'message'): PanelToBackground {
  const o = record(x, where);
  const type = oneOf(o.type, `${where}.type`, ['subscribe', 'clear', 'config', 'probe'] as const);
  switch (type) {
    case 'subscribe': {
      const out: PanelToBackground = { type, tabId: tabId(o.tabId, `${where}.tabId`) };
      if (o.cursor !== undefined) out.cursor = cursor(o.cursor, `${where}.cursor`);
      return out;
    }
    case 'clear':
      return { type, tabId: tabId(o.tabId, `${where}.tabId`) };
    case 'config':
      return { type, config: validateConfig(o.config, `${where}.config`) };
    case 'probe':
      return { type, tabId: tabId(o.tabId, `${where}.tabId`) };
  }
}

export function validateDevtoolsToBackground(x: unknown, where = 'message'): DevtoolsToBackground {
  const o = record(x, where);
  const type = oneOf(o.type, `${where}.type`, ['inspect'] as const);
  return { type, tabId: tabId(o.tabId, `${where}.tabId`) };
}

/** For the panel: what the background sends (facts re-validated, the panel trusts nothing). */
export function validateBackgroundToPanel(x: unknown, where = 'message'): BackgroundToPanel {
  const o = record(x, where);
  const type = oneOf(o.type, `${where}.type`, ['facts', 'session', 'status', 'cleared', 'presence'] as const);
  const tab = tabId(o.tabId, `${where}.tabId`);
  switch (type) {
    case 'facts':
      return {
        type,
        tabId: tab,
        session: id(o.session, `${where}.session`),
        source: id(o.source, `${where}.source`),
        seq: positive(o.seq, `${where}.seq`),
        facts: validateFacts(o.facts, `${where}.facts`),
      };
    case 'session':
      return { type, tabId: tab, session: id(o.session, `${where}.session`), url: str(o.url, `${where}.url`) };
    case 'status': {
      const out: BackgroundToPanel = {
        type,
        tabId: tab,
        dropped: counts(o.dropped, `${where}.dropped`),
        evicted: counts(o.evicted, `${where}.evicted`),
        buffered: count(o.buffered, `${where}.buffered`),
        rejected: count(o.rejected, `${where}.rejected`),
      };
      if (o.lastError !== undefined) out.lastError = str(o.lastError, `${where}.lastError`, 4_096);
      return out;
    }
    case 'cleared':
      return { type, tabId: tab };
    case 'presence':
      return { type, tabId: tab, relays: count(o.relays, `${where}.relays`), contentScript: bool(o.contentScript, `${where}.contentScript`) };
  }
}
