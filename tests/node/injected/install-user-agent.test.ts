/**
 * The extension's MAIN-world runtime does not read `navigator` at document_start (Blink builds the
 * Navigator on the first read: ≈ 0.2 ms before the page's first script); the relay says the
 * userAgent instead (extension/relay-user-agent.ts). The recorder's and the workers' runtimes
 * still read it themselves.
 */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { install } from '../../../injected/install.ts';

/** A bare global (an EventTarget, as a window is): no interfaces to patch, a `navigator` getter that counts its reads. */
function bareGlobal() {
  const g = Object.assign(new EventTarget(), { reads: 0, origin: 'https://page.test' }) as unknown as Record<
    string,
    unknown
  >;
  g.window = g;
  g.top = g;
  Object.defineProperty(g, 'navigator', {
    get() {
      (g.reads as number)++;
      return { userAgent: 'UA/1' };
    },
  });
  return g as Record<string, unknown> & { reads: number };
}

function contextOf(userAgentByRelay: boolean) {
  const g = bareGlobal();
  const facts: Fact[] = [];
  const runtime = install(g, { emit: (f: Fact) => facts.push(f) }, undefined, {}, { userAgentByRelay });
  runtime.flush();
  return { reads: g.reads, context: facts.find((f) => f.kind === 'context') };
}

describe('the context fact and navigator', () => {
  it('the relay says the userAgent: install reads no navigator and announces none', () => {
    const { reads, context } = contextOf(true);
    expect(reads).toBe(0);
    expect(context).toBeDefined();
    expect(context).not.toHaveProperty('userAgent', expect.anything());
  });

  it('otherwise (the recorder, a worker) install reads it itself', () => {
    const { reads, context } = contextOf(false);
    expect(reads).toBe(1);
    expect(context).toMatchObject({ kind: 'context', userAgent: 'UA/1' });
  });
});
