/**
 * The trace file, version 1: a recording that rebuilds the model exactly
 * (`createModel().apply(traceFacts(trace))`). Written by the CLI recorder and the panel's
 * export, read by `portscope summary|convert|view` and the panel's import.
 *
 * A trace is untrusted input (a file from anyone): `parseTrace` checks every field it relies
 * on and names the exact place that is wrong. Fields it does not know are kept and ignored,
 * so a later minor addition still opens here; a higher `version` does not.
 *
 * Its shape is trace-shape.ts; protocol/trace.schema.json is generated from it for other tools.
 */
import { checker } from './check.ts';
import { ProtocolError, show } from './fault.ts';
import { fact } from './fact-shapes.ts';
import type { Fact } from './facts.ts';
import { type Holds, type Infer, type Same, list } from './shape.ts';
import { contextFact, meta, TRACE_FORMAT, TRACE_VERSION, type trace } from './trace-shape.ts';

export { TRACE_FORMAT, TRACE_VERSION } from './trace-shape.ts';

export interface TraceMeta {
  /** Browser name and version as the recorder saw it, e.g. "Chromium 156.0.7635.2". */
  browser: string;
  /** The page the recording started at. */
  url: string;
  /** ISO 8601 instant the recording started. */
  startedAt: string;
  /** ISO 8601 instant the recording ended, when known. */
  endedAt?: string;
  portscopeVersion: string;
  /** Facts lost before they reached the recorder (runtime buffer, relay), per fact kind. */
  dropped: Record<string, number>;
  /** What the recorder's own bounds left out: message bodies and raw facts. */
  evicted: { messages: number; facts: number };
}

export type ContextFact = Extract<Fact, { kind: 'context' }>;

export interface Trace {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  meta: TraceMeta;
  /**
   * The `context` fact of every context the recording saw, even when the fact log evicted it:
   * a viewer can list contexts without replaying, and a replay never loses a context.
   */
  contexts: ContextFact[];
  /** Every recorded fact in arrival order (contexts interleave, `seq` rises within one context). */
  facts: Fact[];
}

/** `Trace` and trace-shape.ts describe the same document (checked when type-checking). */
export type TraceAgrees = Holds<Same<Trace, Infer<typeof trace>>>;

export class TraceFormatError extends Error {
  /** Where in the document, e.g. `facts[12].port`; empty for whole-file problems. */
  readonly path: string;
  /** Byte offset into the file, for JSON syntax problems. */
  readonly offset?: number;
  constructor(message: string, path = '', offset?: number) {
    super(message);
    this.name = 'TraceFormatError';
    this.path = path;
    this.offset = offset;
  }
}

export interface TraceInput {
  meta: TraceMeta;
  facts: readonly Fact[];
  /** Context facts kept apart from a bounded fact log; merged with those found in `facts`. */
  contexts?: readonly ContextFact[];
}

export function createTrace(input: TraceInput): Trace {
  const contexts = new Map<string, ContextFact>();
  for (const c of input.contexts ?? []) contexts.set(c.ctx, c);
  for (const f of input.facts) if (f.kind === 'context' && !contexts.has(f.ctx)) contexts.set(f.ctx, f);
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    meta: input.meta,
    contexts: [...contexts.values()],
    facts: [...input.facts],
  };
}

/**
 * The facts to replay: context facts the log no longer holds come first (a context fact
 * opens its context), then the log.
 */
export function traceFacts(trace: Trace): Fact[] {
  const inLog = new Set<string>();
  for (const f of trace.facts) if (f.kind === 'context') inLog.add(f.ctx);
  return [...trace.contexts.filter((c) => !inLog.has(c.ctx)), ...trace.facts];
}

/**
 * The trace as JSON text in pieces, so a recorder can stream a large trace to disk without
 * building one string (V8 strings stop near 512 MB). Concatenated, the pieces are one JSON document.
 */
export function* serializeTraceChunks(trace: Trace, factsPerChunk = 2000): Generator<string> {
  const { facts, ...head } = trace;
  const open = JSON.stringify({ ...head, facts: [] });
  // `open` ends with `"facts":[]}`: keep the `[`, the facts and `]}` follow.
  yield `${open.slice(0, -2)}\n`;
  for (let i = 0; i < facts.length; i += factsPerChunk) {
    const part = facts.slice(i, i + factsPerChunk).map((f) => JSON.stringify(f));
    yield (i > 0 ? ',\n' : '') + part.join(',\n');
  }
  yield '\n]}\n';
}

export function serializeTrace(trace: Trace): string {
  return [...serializeTraceChunks(trace)].join('');
}

/** Parses and validates a trace from its text, or checks an already parsed value. */
export function parseTrace(input: string | unknown): Trace {
  const value = typeof input === 'string' ? parseJson(input) : input;
  return checkTrace(value);
}

function parseJson(text: string): unknown {
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  // Offsets count the file's bytes, the UTF-8 byte-order mark included.
  const byteLength = (s: string) => new TextEncoder().encode(s).length + (bom ? 3 : 0);
  if (body.trim() === '') throw new TraceFormatError('the file is empty: expected a Portscope trace (JSON)');
  try {
    return JSON.parse(body);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const at = charPosition(body, reason);
    // Cut files fail at the very end, or inside a string that never closes.
    if (
      /end of (JSON input|data)|unterminated string/i.test(reason) ||
      (at !== undefined && at >= body.trimEnd().length)
    ) {
      const offset = byteLength(body);
      throw new TraceFormatError(
        `the file looks truncated: the JSON ends at byte ${offset} before the document is complete`,
        '',
        offset,
      );
    }
    if (at === undefined) throw new TraceFormatError(`not valid JSON: ${reason}`);
    const offset = byteLength(body.slice(0, at));
    throw new TraceFormatError(`not valid JSON at byte ${offset}: ${reason}`, '', offset);
  }
}

/** The character index a JSON.parse error names (V8: "position N"; SpiderMonkey: "line L column C"). */
function charPosition(text: string, reason: string): number | undefined {
  const pos = /position (\d+)/.exec(reason);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(reason);
  if (!lc) return undefined;
  let index = 0;
  for (let line = 1; line < Number(lc[1]); line++) {
    const next = text.indexOf('\n', index);
    if (next < 0) return undefined;
    index = next + 1;
  }
  return index + Number(lc[2]) - 1;
}

// ---- validation ------------------------------------------------------------------------

/** A short, escaped picture of a bad value for an error message: never the whole (hostile) value. */
function shown(v: unknown): string {
  if (typeof v === 'string' && v.length > 40) return `${JSON.stringify(v.slice(0, 40))}… (${v.length} chars)`;
  return show(v);
}

const checkObject = checker<Record<string, unknown>>({ s: 'object', fields: {} }, shown);
const checkMeta = checker<TraceMeta>(meta, shown);
const checkList = checker<unknown[]>(list({ s: 'unchecked' }), shown);
const checkContext = checker<ContextFact>(contextFact);
/**
 * Each fact goes through the fact contract's check (the same one the relay uses), which
 * returns a fresh copy holding only known fields. Ordering between facts is not checked: a
 * context's `seq` is local to the runtime that emitted it, and an owner may speak for an
 * unobserved worker, so order is the model's business (it counts what it cannot apply).
 */
const checkFacts = checker<Fact[]>(list(fact));

/** Runs a contract check, naming a problem as a place in the file. */
function inFile<T>(check: (x: unknown, where: string) => T, x: unknown, where: string): T {
  try {
    return check(x, where);
  } catch (err) {
    if (err instanceof ProtocolError) throw new TraceFormatError(err.message, err.path);
    throw err;
  }
}

function fail(path: string, expected: string, got: unknown): never {
  throw new TraceFormatError(`${path}: expected ${expected}, got ${shown(got)}`, path);
}

function checkTrace(value: unknown): Trace {
  inFile(checkObject, value, 'trace');
  // Read in place first: its format and version decide whether to read on.
  const checked = value as Record<string, unknown>;
  if (checked.format !== TRACE_FORMAT) {
    const problem = `expected "${TRACE_FORMAT}", got ${shown(checked.format)} (this is not a Portscope trace)`;
    throw new TraceFormatError(`format: ${problem}`, 'format');
  }
  const version = checked.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    fail('version', 'a positive integer', version);
  }
  if (version > TRACE_VERSION) {
    const problem = `version ${version} is newer than this Portscope understands (${TRACE_VERSION})`;
    throw new TraceFormatError(`${problem}; update Portscope to open it`, 'version');
  }
  const meta = inFile(checkMeta, checked.meta, 'meta');
  const seen = new Set<string>();
  const contexts = inFile(checkList, checked.contexts, 'contexts').map((c, i) => {
    const path = `contexts[${i}]`;
    const fact = inFile(checkContext, c, path);
    if (seen.has(fact.ctx)) {
      throw new TraceFormatError(`${path}.ctx: context ${shown(fact.ctx)} is listed twice`, `${path}.ctx`);
    }
    seen.add(fact.ctx);
    return fact;
  });
  // The list as the file's envelope (its way of showing a bad value), then each fact as the relay checks it.
  inFile(checkList, checked.facts, 'facts');
  const facts = inFile(checkFacts, checked.facts, 'facts');
  return { format: TRACE_FORMAT, version: TRACE_VERSION, meta, contexts, facts };
}
