/**
 * The relay compiles no check when it loads (content/relay-checks.ts): it is evaluated at
 * document_start in every frame, before the page's first script, and each compiled check is
 * closures the page's heap holds for the document's life. Each check is compiled at its first
 * use, once. (Importing protocol/validate.ts instead compiles every receiving side's checks.)
 */
import { describe, expect, it, vi } from 'vitest';
import type * as Check from '../../../protocol/check.ts';

const compiled = vi.hoisted(() => [] as unknown[]);
vi.mock('../../../protocol/check.ts', async (load) => {
  const real = await load<typeof Check>();
  return {
    ...real,
    checker: ((shape, ...rest) => {
      compiled.push(shape);
      return real.checker(shape, ...rest);
    }) satisfies typeof real.checker,
  };
});

describe('the relay at load', () => {
  it('compiles no check until a message comes, then each once', async () => {
    // What content/relay.iife.ts imports that checks anything (relay.iife.ts itself needs a page).
    await import('../../../content/link.ts');
    const { backgroundMessage, runtimeMessage } = await import('../../../content/relay-checks.ts');
    expect(compiled).toHaveLength(0);

    const batch = { type: 'batch', seq: 1, count: 1, kinds: { 'port-closed': 1 }, json: '[]' };
    runtimeMessage(batch);
    runtimeMessage({ ...batch, seq: 2 });
    expect(compiled).toHaveLength(1);

    backgroundMessage({ type: 'ack', seq: 1 });
    backgroundMessage({ type: 'ack', seq: 2 });
    expect(compiled).toHaveLength(2);
  });
});
