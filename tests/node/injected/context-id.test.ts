import { describe, expect, it } from 'vitest';
// Imported first, as the runtime evaluates before any page script: it captures what it uses now.
import { newContextId } from '../../../injected/context.ts';

describe('newContextId after the page has run', () => {
  it('runs no page replacement of crypto, getRandomValues, Uint8Array or String.prototype.slice', () => {
    const seen: string[] = [];
    const g = globalThis as Record<string, unknown>;
    const cryptoDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    const uint8ArrayDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'Uint8Array');
    const cryptoProto = Object.getPrototypeOf(globalThis.crypto) as { getRandomValues: unknown };
    const getRandomValues = Object.getOwnPropertyDescriptor(cryptoProto, 'getRandomValues');
    const slice = Object.getOwnPropertyDescriptor(String.prototype, 'slice');
    expect(cryptoDescriptor?.configurable && uint8ArrayDescriptor && getRandomValues && slice).toBeTruthy();
    const realCrypto = globalThis.crypto;
    let id = '';
    try {
      // What a page may do once it runs: every one of these notes that it was used.
      Object.defineProperty(globalThis, 'crypto', {
        configurable: true,
        get() {
          seen.push('crypto');
          return realCrypto;
        },
      });
      Object.defineProperty(cryptoProto, 'getRandomValues', {
        ...getRandomValues,
        value(this: Crypto, a: Uint8Array) {
          seen.push('getRandomValues');
          return Reflect.apply(getRandomValues!.value, this, [a]);
        },
      });
      g.Uint8Array = new Proxy(Uint8Array, {
        construct(target, args, newTarget) {
          seen.push('Uint8Array');
          return Reflect.construct(target, args, newTarget);
        },
      });
      Object.defineProperty(String.prototype, 'slice', {
        ...slice,
        value(this: string, ...args: unknown[]) {
          seen.push('slice');
          return Reflect.apply(slice!.value, this, args);
        },
      });
      id = newContextId();
    } finally {
      Object.defineProperty(String.prototype, 'slice', slice!);
      Object.defineProperty(globalThis, 'Uint8Array', uint8ArrayDescriptor!);
      Object.defineProperty(cryptoProto, 'getRandomValues', getRandomValues!);
      Object.defineProperty(globalThis, 'crypto', cryptoDescriptor!);
    }
    expect(seen).toEqual([]);
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(newContextId()).not.toBe(id);
  });
});
