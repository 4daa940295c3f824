import { beforeAll, describe, expect, it } from 'vitest';
import type { Preview } from '../../../protocol/facts.ts';

// The runtime captures Reflect.getOwnPropertyDescriptor when natives.ts is evaluated: counting
// the calls with a string or number key counts the per-key descriptors of a walk (the symbol
// ones are the toStringTag lookups every object gets).
let keyDescriptors = 0;
let describeValue: (
  value: unknown,
  portId?: (x: object) => number | undefined,
  deserialized?: boolean,
) => {
  preview: Preview;
};

beforeAll(async () => {
  const native = Reflect.getOwnPropertyDescriptor;
  Reflect.getOwnPropertyDescriptor = (o: object, key: PropertyKey) => {
    if (typeof key !== 'symbol') keyDescriptors++;
    return native(o, key);
  };
  try {
    ({ describe: describeValue } = await import('../../../injected/preview.ts'));
  } finally {
    Reflect.getOwnPropertyDescriptor = native;
  }
});

const none = () => undefined;

/** A record with the kinds of places a walk reads: nested objects and arrays, holes, odd keys, cut strings. */
function sample(): Record<string, unknown> {
  const sparse: unknown[] = [1, , 3];
  sparse.length = 5;
  const o: Record<string, unknown> = {
    id: 7,
    name: 'x'.repeat(500),
    nested: { a: [1, 2, { deep: { deeper: { deepest: 1 } } }], b: null, c: undefined },
    sparse,
    '': 'empty key',
    'ключ\u202e': true,
    42: 'index-like key',
  };
  Object.defineProperty(o, '__proto__', {
    value: { own: 'proto key' },
    enumerable: true,
    writable: true,
    configurable: true,
  });
  for (let i = 0; i < 20; i++) o[`k${i}`] = i;
  return o;
}

describe('describe of a deserialized value (event.data)', () => {
  it('reads its own keys without a descriptor each', () => {
    const data = structuredClone(sample());
    keyDescriptors = 0;
    describeValue(data, none, true);
    expect(keyDescriptors).toBe(0);
    // The sender's own value still goes through a descriptor per key (a getter may sit there).
    describeValue(sample(), none, false);
    expect(keyDescriptors).toBeGreaterThan(10);
  });

  it("gives the same preview as the walk of the sender's value", () => {
    expect(describeValue(structuredClone(sample()), none, true).preview).toEqual(
      describeValue(sample(), none, false).preview,
    );
    const list = structuredClone([sample(), [1, , 'two'], 'three']);
    expect(describeValue(list, none, true).preview).toEqual(
      describeValue([sample(), [1, , 'two'], 'three'], none, false).preview,
    );
  });

  it('never reads a hole, so a getter on Array.prototype or Object.prototype is not called', () => {
    const calls: string[] = [];
    const data = structuredClone({ list: [0, , 2, , 4] as unknown[], later: 1 });
    Object.defineProperty(Array.prototype, 1, {
      get: () => calls.push('Array.prototype[1]'),
      configurable: true,
    });
    Object.defineProperty(Array.prototype, 3, {
      get: () => calls.push('Array.prototype[3]'),
      configurable: true,
    });
    Object.defineProperty(Object.prototype, 'later', {
      get: () => calls.push('Object.prototype.later'),
      configurable: true,
    });
    let preview: Preview;
    try {
      preview = describeValue(data, none, true).preview;
    } finally {
      delete (Array.prototype as unknown as Record<number, unknown>)[1];
      delete (Array.prototype as unknown as Record<number, unknown>)[3];
      delete (Object.prototype as Record<string, unknown>).later;
    }
    // Compared once the getters are gone (the matcher's own reads would meet them).
    expect(calls).toEqual([]);
    expect(preview).toEqual({
      t: 'object',
      keys: 2,
      entries: [
        [
          'list',
          {
            t: 'array',
            len: 5,
            items: [
              { t: 'number', v: 0 },
              { t: 'undefined' },
              { t: 'number', v: 2 },
              { t: 'undefined' },
              { t: 'number', v: 4 },
            ],
          },
        ],
        ['later', { t: 'number', v: 1 }],
      ],
    });
  });
});
