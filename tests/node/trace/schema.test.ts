/**
 * protocol/trace.schema.json against parseTrace. The schema is generated from the contract's
 * shapes (protocol/schema.ts), so the committed file must be exactly what they give; Ajv (a
 * well-kept JSON Schema validator) then evaluates it, and parseTrace and the schema must agree
 * on the samples, on the broken variants (at the same place), and on generated traces: valid
 * ones read from the shapes and one-step mutations of them. The only disagreements allowed are
 * the rules the schema's description says JSON Schema cannot state.
 */
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { traceSchemaText } from '../../../protocol/schema.ts';
import { parseTrace, TraceFormatError } from '../../../protocol/trace.ts';
import { trace as traceShape } from '../../../protocol/trace-shape.ts';
import { BROKEN, counted, sample } from './samples.ts';
import { mutated, ShapeArbitraries } from './shape-arbitrary.ts';

const text = readFileSync(resolve(import.meta.dirname, '../../../protocol/trace.schema.json'), 'utf8');
const schema = JSON.parse(text);

const ajv = new Ajv2020({
  strict: true,
  // A preview entry is [key, preview, key length?]: a tuple whose last item is optional.
  strictTuples: false,
  // Lengths in UTF-16 code units, as JavaScript's `length` and so parseTrace count them.
  unicode: false,
  // `format` is an annotation here; the pattern beside it is the check (see the description).
  formats: { 'date-time': true },
  logger: {
    log: console.log,
    warn: (m: unknown) => void (/option unicode/.test(String(m)) || console.warn(m)),
    error: console.error,
  },
});
const validate = ajv.compile(schema);

/** Where Ajv's first error is, written as parseTrace writes paths (`facts[3].kind`). */
function schemaPath(value: unknown): string | null {
  if (validate(value) || !validate.errors) return null;
  const e = validate.errors[0];
  const steps = e.instancePath.split('/').slice(1);
  if (e.keyword === 'required') steps.push(String(e.params.missingProperty));
  if (steps.length === 0) return 'trace';
  return steps.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function parseError(value: unknown): TraceFormatError | null {
  try {
    parseTrace(value);
    return null;
  } catch (e) {
    if (e instanceof TraceFormatError) return e;
    throw e;
  }
}

/** parseTrace's rules that JSON Schema cannot state (listed in the schema's description). */
const UNSTATABLE = [/preview has more than 512 nodes/, /preview holds more than 262144 characters/, /is listed twice/];

describe('trace.schema.json', () => {
  it('is draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('is what the shapes generate (run `node scripts/schema.mjs` after changing protocol/)', () => {
    expect(text).toBe(traceSchemaText());
  });

  it('accepts the sample trace, as parseTrace does', () => {
    expect(schemaPath(sample())).toBeNull();
    expect(parseError(sample())).toBeNull();
  });

  it('accepts a messages-counted fact, as parseTrace does', () => {
    const t = sample();
    t.facts[12] = counted(t.facts[12], 1204, 0);
    expect(schemaPath(t)).toBeNull();
    expect(parseTrace(t).facts[12]).toEqual(t.facts[12]);
  });

  it('accepts unknown extra fields, as parseTrace does', () => {
    const t = sample();
    t.futureField = { x: 1 };
    t.meta.recorder = 'ci';
    t.facts[2].newDetail = [1, 2];
    expect(schemaPath(t)).toBeNull();
    expect(parseError(t)).toBeNull();
  });

  it('rejects a port-posted fact with no preview, or an outcome the runtime never makes, as parseTrace does', () => {
    // The runtime always sends a preview and one of four outcomes (injected/port.ts reportPost).
    const posted = sample().facts.findIndex((f: { kind: string }) => f.kind === 'port-posted');
    const noPreview = sample();
    delete noPreview.facts[posted].preview;
    const teleported = sample();
    teleported.facts[posted].outcome = 'teleported';
    for (const [t, path] of [
      [noPreview, `facts[${posted}].preview`],
      [teleported, `facts[${posted}].outcome`],
    ] as const) {
      expect(schemaPath(t)).toBe(path);
      expect(parseError(t)?.path).toBe(path);
    }
  });

  it.each(BROKEN.map((b) => [b.name, b] as const))('rejects "%s" at the same place as parseTrace', (_name, b) => {
    const t = b.name === 'not an object' ? [] : sample();
    b.mutate(t);
    const err = parseError(t);
    if (!err) throw new Error('parseTrace accepted it');
    // Ajv names properties with slashes; map parseTrace's bracketed keys to dots to compare.
    const tsPath = err.path.replace(/\["([^"]+)"\]/g, '.$1');
    expect(schemaPath(t)).toBe(tsPath);
  });
});

/** A guard against a hang on a loaded machine, not a measure of speed (a run takes seconds). */
const FUZZ_TIMEOUT = 120_000;

describe('parseTrace and the schema agree on generated traces', () => {
  const shapes = new ShapeArbitraries();
  const traces = shapes.of(traceShape).map((t) => {
    // A context listed twice is one of the rules the schema cannot state: keep contexts unique.
    const doc = t as { contexts: { ctx: string }[] };
    const seen = new Set<string>();
    doc.contexts = doc.contexts.filter((c) => !seen.has(c.ctx) && seen.add(c.ctx));
    // A trace is a JSON file: what both sides read is what JSON keeps.
    return JSON.parse(JSON.stringify(doc));
  });

  /** Both accept or both reject; the kind of outcome, for the tallies. */
  function agree(value: unknown): 'accepted' | 'rejected' | 'unstatable' {
    const err = parseError(value);
    const bySchema = schemaPath(value);
    if (err && bySchema === null && UNSTATABLE.some((r) => r.test(err.message))) return 'unstatable';
    expect(bySchema === null, `parseTrace: ${err?.message ?? 'accepted'}; schema: ${bySchema ?? 'accepted'}`).toBe(
      err === null,
    );
    return err ? 'rejected' : 'accepted';
  }

  it(
    'valid traces read from the shapes',
    () => {
      const tally = { accepted: 0, rejected: 0, unstatable: 0 };
      fc.assert(
        fc.property(traces, (t) => {
          tally[agree(t)]++;
        }),
        { numRuns: 300, seed: 15 },
      );
      // Not vacuous: most generated traces are valid; some go past the preview depth bound.
      expect(tally.accepted).toBeGreaterThan(150);
      expect(tally.rejected).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'mutated traces: a field dropped, a wrong type, out of range, too long, an unknown kind, an extra key',
    () => {
      const tally = { accepted: 0, rejected: 0, unstatable: 0 };
      const cases = traces.chain((t) => mutated(t).map((m) => JSON.parse(JSON.stringify(m.value))));
      fc.assert(
        fc.property(cases, (t) => {
          tally[agree(t)]++;
        }),
        { numRuns: 1500, seed: 15 },
      );
      expect(tally.rejected).toBeGreaterThan(500);
      expect(tally.accepted).toBeGreaterThan(100);
    },
    FUZZ_TIMEOUT,
  );
});
