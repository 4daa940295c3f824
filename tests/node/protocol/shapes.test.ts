/**
 * The contract's shapes (protocol/*-shapes.ts) against the hand-written constants. Their
 * agreement with the hand-written types is checked by the type-checker (see agreement-drift.ts).
 */
import { describe, expect, it } from 'vitest';
import { fact } from '../../../protocol/fact-shapes.ts';
import { FACT_KINDS } from '../../../protocol/facts.ts';

describe('the fact shapes', () => {
  it('describe every fact kind, in FACT_KINDS order (the order an unknown kind’s error lists them in)', () => {
    expect(Object.keys(fact.inner.variants)).toEqual([...FACT_KINDS]);
  });
});
