/**
 * The relay compiles no check when it loads: it is evaluated at document_start in every frame,
 * before the page's first script, and each compiled check is closures the page's heap holds for
 * the document's life. protocol/validate.ts compiles each check at its first use, once
 * (check.ts checkerOnUse).
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
    // Its own compilation calls check.ts's checker directly: counted when it asks for the shape.
    checkerOnUse: ((shape, ...rest) =>
      real.checkerOnUse(
        () => {
          const s = shape();
          compiled.push(s);
          return s;
        },
        ...rest,
      )) satisfies typeof real.checkerOnUse,
  };
});

describe('the relay at load', () => {
  it('compiles no check until a message comes, then each once', async () => {
    // What content/relay.iife.ts imports that checks anything (relay.iife.ts itself needs a page).
    await import('../../../content/link.ts');
    const { validateBackgroundToContent: backgroundMessage, validateRuntimeToRelay: runtimeMessage } = await import(
      '../../../protocol/validate.ts'
    );
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
