/**
 * The trace file, version 1, as a shape: a recording's meta, the `context` fact of every
 * context it saw, and every recorded fact (fact-shapes.ts). parseTrace (trace.ts) checks a file
 * with the checks derived from it, and trace.schema.json is generated from it (schema.ts).
 */
import { fact } from './fact-shapes.ts';
import { count } from './primitives.ts';
import { list, named, object, optional, string } from './shape.ts';

export const TRACE_FORMAT = 'portscope-trace';
export const TRACE_VERSION = 1;

const instant = { s: 'instant' } as const;

export const meta = named(
  'meta',
  object({
    browser: string(),
    url: string(),
    startedAt: instant,
    portscopeVersion: string(),
    // A file is bounded by its size: its counts need no bound of their own.
    dropped: { s: 'counts', quoted: true },
    evicted: object({ messages: count, facts: count }),
    endedAt: optional(instant),
  }),
);

/** A `context` fact, the only kind a trace's `contexts` list holds. */
export const contextFact = { s: 'variant', union: fact, value: 'context' } as const;

export const trace = object({
  format: { s: 'const', value: TRACE_FORMAT },
  version: { s: 'const', value: TRACE_VERSION },
  meta,
  contexts: list(contextFact),
  facts: list(fact),
});
