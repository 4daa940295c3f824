/**
 * `carriers-counted` in the contract: described once (fact-shapes.ts), so the validator, the
 * compact wire and the trace's parser all accept the real fact and name the exact path of a
 * forged one.
 */
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../injected/batch-json.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { ProtocolError } from '../../../protocol/fault.ts';
import { decodeFacts, validateFact } from '../../../protocol/validate.ts';
import { createTrace, parseTrace, serializeTrace, TraceFormatError } from '../../../protocol/trace.ts';

const good = { kind: 'carriers-counted', ctx: 'c-1', seq: 2, time: 1000.5, carrier: 'worker', posted: 3, received: 7 };

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e instanceof ProtocolError || e instanceof TraceFormatError).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('carriers-counted in the contract', () => {
  it('is accepted as sent, by the validator and over the compact wire', () => {
    expect(validateFact(structuredClone(good), 'f')).toEqual(good);
    const { json } = encodeBatch([good as Fact]);
    const decoded = decodeFacts({ json, count: 1 }, 'm');
    expect(decoded.rejected).toBe(0);
    expect(decoded.facts).toEqual([good]);
  });

  it('names the exact path of a forged field', () => {
    expect(errorOf(() => validateFact({ ...good, carrier: 'serviceworker' }, 'f'))).toMatch(
      /^f\.carrier: expected one of worker\|window/,
    );
    expect(errorOf(() => validateFact({ ...good, posted: -1 }, 'f'))).toMatch(/^f\.posted: expected /);
    expect(errorOf(() => validateFact({ ...good, received: 1.5 }, 'f'))).toMatch(/^f\.received: expected /);
    const { received: _r, ...missing } = good;
    expect(errorOf(() => validateFact(missing, 'f'))).toMatch(/^f\.received: /);
  });

  it('refuses a forged one over the wire with the same error, keeping the batch', () => {
    const { json } = encodeBatch([good as Fact, { ...good, seq: 3, carrier: 'port' } as unknown as Fact]);
    const decoded = decodeFacts({ json, count: 2 }, 'm');
    expect(decoded.facts).toEqual([good]);
    expect(decoded.rejected).toBe(1);
    expect(decoded.firstError?.message).toMatch(/\.carrier: expected one of worker\|window/);
  });

  it('round-trips in a trace, and a forged one in a trace is named by its index', () => {
    const context = {
      kind: 'context',
      ctx: 'c-1',
      seq: 1,
      time: 1000,
      contextKind: 'window',
      url: 'https://app.test/',
      origin: 'https://app.test',
      framePath: 'top',
      observed: true,
    } as Fact;
    const trace = createTrace({
      meta: {
        browser: 'Chromium',
        url: 'https://app.test/',
        startedAt: '2026-01-01T00:00:00.000Z',
        portscopeVersion: '0',
        dropped: {},
        evicted: { messages: 0, facts: 0 },
      },
      facts: [context, good as Fact],
    });
    expect(parseTrace(serializeTrace(trace))).toEqual(trace);
    const forged = JSON.parse(serializeTrace(trace));
    forged.facts[1].posted = 'many';
    expect(errorOf(() => parseTrace(forged))).toMatch(/facts\[1\]\.posted/);
  });
});
