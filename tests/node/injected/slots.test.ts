import { afterEach, describe, expect, it } from 'vitest';
import { describe as describeValue, fingerprint } from '../../../injected/preview.ts';
import { slotsOf } from '../../../injected/slots.ts';

/** What the receiver computes: the structured clone, described as freshly deserialized. */
const received = (v: unknown) => {
  const copy = structuredClone(v);
  return { preview: describeValue(copy, undefined, true).preview, fingerprint: fingerprint(copy, true) };
};
const sent = (v: unknown) => ({ preview: describeValue(v).preview, fingerprint: fingerprint(v) });

function swapped<T extends object>(o: T, proto: object | null = Object.prototype): T {
  Object.setPrototypeOf(o, proto);
  return o;
}

describe('internal slots, not prototypes, decide the kind (as in StructuredSerialize)', () => {
  /** Kinds the builtin tag of Object.prototype.toString names: exact whatever the prototype. */
  const tagged: [string, () => object][] = [
    ['Date', () => new Date(5)],
    ['RegExp', () => /a+/gi],
    ['boxed Number', () => Object(3)],
    ['boxed String', () => Object('ab')],
    ['boxed Boolean', () => Object(false)],
    ['Uint8Array', () => new Uint8Array([1, 2])],
    ['DataView', () => new DataView(new ArrayBuffer(4))],
    ['Array', () => [1, 2]],
  ];
  /** Kinds whose tag lives on their prototype: exact unless moved onto Object.prototype or null (slots.ts). */
  const untagged: [string, () => object][] = [
    ['Map', () => new Map([[1, 'a']])],
    ['Set', () => new Set(['x'])],
    ['ArrayBuffer', () => new ArrayBuffer(8)],
    ['boxed BigInt', () => Object(7n)],
    ['Blob', () => new Blob(['abc'], { type: 'text/plain' })],
  ];
  class Foo {}

  for (const [name, make] of tagged) {
    it(`a ${name} with Object.prototype, null or a class prototype is still a ${name}, on the sender and the receiver alike`, () => {
      const normal = sent(make());
      for (const proto of [Object.prototype, null, Foo.prototype]) {
        const moved = sent(swapped(make(), proto));
        expect(moved.preview).toEqual(normal.preview);
        expect(moved.fingerprint).toBe(normal.fingerprint);
        expect(received(swapped(make(), proto))).toEqual(moved);
      }
    });
  }

  for (const [name, make] of untagged) {
    it(`a ${name}, and a ${name} with a class prototype, are described as the receiver sees them`, () => {
      const normal = sent(make());
      const moved = sent(swapped(make(), Foo.prototype));
      expect(moved).toEqual(normal);
      // Node's own Blob is a JS class that its structuredClone finds by prototype; browsers clone by slots.
      if (name !== 'Blob') {
        expect(received(make())).toEqual(normal);
        expect(received(swapped(make(), Foo.prototype))).toEqual(normal);
      }
    });

    it(`the known gap: a ${name} moved onto Object.prototype looks ordinary to the sender only`, () => {
      const moved = swapped(make());
      expect(slotsOf(moved, false)).toBe('ordinary');
      if (name !== 'Blob') expect(slotsOf(structuredClone(moved), true)).not.toBe('ordinary');
    });
  }

  it('Reflect.construct with Object as new.target makes a Date with Object.prototype: still a Date', () => {
    const date = Reflect.construct(Date, [9], Object) as object;
    expect(Object.getPrototypeOf(date)).toBe(Object.prototype);
    expect(slotsOf(date, false)).toBe('date');
    expect(sent(date)).toEqual(received(date));
  });

  it('an object that only inherits from Date.prototype or Map.prototype has no slots', () => {
    expect(slotsOf(Object.create(Date.prototype), false)).toBe('ordinary');
    expect(slotsOf(Object.create(Map.prototype), true)).toBe('ordinary');
    expect(slotsOf(Object.create(ArrayBuffer.prototype), false)).toBe('ordinary');
  });

  it('a deserialized app record is described exactly like the sender’s', () => {
    const record = {
      id: 1,
      tags: ['a', 'b'],
      owner: { name: 'n' },
      when: new Date(1),
      m: new Map([['k', new Set([1])]]),
      bytes: new Uint16Array(3),
      boxed: Object('s'),
    };
    expect(received(record)).toEqual(sent(record));
  });

  it('an error is an error on both sides', () => {
    expect(slotsOf(new RangeError('r'), false)).toBe('error');
    expect(received(new RangeError('r'))).toEqual(sent(new RangeError('r')));
  });
});

describe('no page code runs while the kind is found', () => {
  afterEach(() => {
    delete (Object.prototype as Record<symbol, unknown>)[Symbol.toStringTag];
  });

  it('an accessor @@toStringTag on Object.prototype is never called', () => {
    let runs = 0;
    Object.defineProperty(Object.prototype, Symbol.toStringTag, {
      configurable: true,
      get: () => {
        runs++;
        return 'Evil';
      },
    });
    sent({ a: 1, b: { c: [1] } });
    sent(swapped(new Map()));
    expect(runs).toBe(0);
  });

  it('an own accessor @@toStringTag is never called', () => {
    let runs = 0;
    const o = {
      get [Symbol.toStringTag]() {
        runs++;
        return 'X';
      },
      a: 1,
    };
    sent(o);
    expect(runs).toBe(0);
  });
});

describe('Error.stackTraceLimit around the brand checks', () => {
  class Foo {}
  it('is the page’s value again afterwards, with its attributes', () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    Error.stackTraceLimit = 7;
    try {
      sent({ a: 1, b: { c: new Map() } });
      sent(swapped(new Set([1]), Foo.prototype));
      sent(swapped(new Date(1)));
      expect(Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')).toEqual({ ...before, value: 7 });
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', before!);
    }
  });

  it('is left alone when the page made it an accessor', () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')!;
    let touched = 0;
    Object.defineProperty(Error, 'stackTraceLimit', {
      configurable: true,
      enumerable: before.enumerable,
      get: () => {
        touched++;
        return 10;
      },
      set: () => {
        touched++;
      },
    });
    try {
      expect(sent(swapped(new Map([[1, 2]]), Foo.prototype)).preview).toEqual(sent(new Map([[1, 2]])).preview);
      sent({ a: 1 });
      expect(touched).toBe(0);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', before);
    }
  });
});
