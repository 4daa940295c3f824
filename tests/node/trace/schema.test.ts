/**
 * protocol/trace.schema.json against parseTrace on the same samples. What this proves: for the
 * sample trace and each broken variant, the schema and the TypeScript validator agree
 * (both accept, or both reject at the same place), and the schema uses only keywords the
 * small evaluator implements. It does not prove agreement on inputs outside these samples.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTrace, TraceFormatError } from '../../../protocol/trace.ts';
import { firstSchemaError, UnsupportedKeywordError } from './schema-subset.ts';
import { BROKEN, counted, sample } from './samples.ts';

const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../protocol/trace.schema.json'), 'utf8'));

describe('trace.schema.json', () => {
  it('is draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('accepts the sample trace, as parseTrace does', () => {
    expect(firstSchemaError(schema, sample())).toBeNull();
    expect(() => parseTrace(sample())).not.toThrow();
  });

  it('accepts a messages-counted fact, as parseTrace does', () => {
    const t = sample();
    t.facts[12] = counted(t.facts[12], 1204, 0);
    expect(firstSchemaError(schema, t)).toBeNull();
    expect(parseTrace(t).facts[12]).toEqual(t.facts[12]);
  });

  it('accepts unknown extra fields, as parseTrace does', () => {
    const t = sample();
    t.futureField = { x: 1 };
    t.meta.recorder = 'ci';
    t.facts[2].newDetail = [1, 2];
    expect(firstSchemaError(schema, t)).toBeNull();
    expect(() => parseTrace(t)).not.toThrow();
  });

  it.each(BROKEN.map((b) => [b.name, b] as const))('rejects "%s" at the same place as parseTrace', (_name, b) => {
    const t = b.name === 'not an object' ? [] : sample();
    b.mutate(t);
    const schemaPath = firstSchemaError(schema, t);
    expect(schemaPath).not.toBeNull();
    let err: unknown;
    try { parseTrace(t); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TraceFormatError);
    // The schema evaluator names properties with dots; map parseTrace's bracketed keys to match.
    const tsPath = (err as TraceFormatError).path.replace(/\["([^"]+)"\]/g, '.$1');
    expect(`trace${schemaPath}`.replace(/^trace\./, '')).toBe(tsPath === 'trace' ? 'trace' : tsPath);
  });

  it('the evaluator refuses keywords it does not implement (so the check above cannot pass vacuously)', () => {
    expect(() => firstSchemaError({ type: 'object', patternProperties: {} }, {})).toThrow(UnsupportedKeywordError);
  });
});
