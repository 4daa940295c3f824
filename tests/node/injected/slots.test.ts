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
  const cases: [string, () => object][] = [
    ['Date', () => new Date(5)],
    ['RegExp', () => /a+/gi],
    ['Map', () => new Map([[1, 'a']])],
    ['Set', () => new Set(['x'])],
    ['ArrayBuffer', () => new ArrayBuffer(8)],
    ['boxed Number', () => Object(3)],
    ['boxed String', () => Object('ab')],
    ['boxed Boolean', () => Object(false)],
    ['boxed BigInt', () => Object(7n)],
    ['Blob', () => new Blob(['abc'], { type: 'text/plain' })],
    ['Uint8Array', () => new Uint8Array([1, 2])],
    ['DataView', () => new DataView(new ArrayBuffer(4))],
    ['Array', () => [1, 2]],
  ];

  for (const [name, make] of cases) {
    it(`a ${name} with Object.prototype is still a ${name}, on the sender and the receiver alike`, () => {
      const normal = sent(make());
      const moved = sent(swapped(make()));
      expect(moved.preview).toEqual(normal.preview);
      expect(moved.fingerprint).toBe(normal.fingerprint);
      // Node's own Blob is a JS class that its structuredClone finds by prototype; browsers clone by slots.
      if (name !== 'Blob') expect(received(swapped(make()))).toEqual(moved);
    });

    it(`a ${name} with a null prototype or a class prototype is still a ${name}`, () => {
      class Foo {}
      const normal = sent(make());
      expect(sent(swapped(make(), null)).preview).toEqual(normal.preview);
      expect(sent(swapped(make(), Foo.prototype)).preview).toEqual(normal.preview);
    });
  }

  it('Reflect.construct with Object as new.target makes a Date and a Map with Object.prototype', () => {
    const date = Reflect.construct(Date, [9], Object) as object;
    const map = Reflect.construct(Map, [], Object) as object;
    expect(Object.getPrototypeOf(date)).toBe(Object.prototype);
    expect(slotsOf(date, false)).toBe('date');
    expect(slotsOf(map, false)).toBe('map');
    expect(sent(date)).toEqual(received(date));
    expect(sent(map)).toEqual(received(map));
  });

  it('an object that only inherits from Date.prototype or Map.prototype has no slots', () => {
    expect(slotsOf(Object.create(Date.prototype), false)).toBe('ordinary');
    expect(slotsOf(Object.create(Map.prototype), true)).toBe('ordinary');
    expect(slotsOf(Object.create(ArrayBuffer.prototype), false)).toBe('ordinary');
  });

  it('a deserialized app record is described exactly like the sender’s', () => {
    const record = { id: 1, tags: ['a', 'b'], owner: { name: 'n' }, when: new Date(1), m: new Map([['k', new Set([1])]]), bytes: new Uint16Array(3), boxed: Object('s') };
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
    Object.defineProperty(Object.prototype, Symbol.toStringTag, { configurable: true, get: () => { runs++; return 'Evil'; } });
    sent({ a: 1, b: { c: [1] } });
    sent(swapped(new Map()));
    expect(runs).toBe(0);
  });

  it('an own accessor @@toStringTag is never called', () => {
    let runs = 0;
    const o = { get [Symbol.toStringTag]() { runs++; return 'X'; }, a: 1 };
    sent(o);
    expect(runs).toBe(0);
  });
});

describe('Error.stackTraceLimit around the brand checks', () => {
  it('is the page’s value again afterwards, with its attributes', () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    Error.stackTraceLimit = 7;
    try {
      sent({ a: 1, b: { c: new Map() } });
      sent(swapped(new Set([1])));
      expect(Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')).toEqual({ ...before, value: 7 });
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', before!);
    }
  });

  it('is left alone when the page made it an accessor', () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')!;
    let touched = 0;
    Object.defineProperty(Error, 'stackTraceLimit', { configurable: true, enumerable: before.enumerable, get: () => { touched++; return 10; }, set: () => { touched++; } });
    try {
      expect(sent(swapped(new Map([[1, 2]]))).preview).toEqual(sent(new Map([[1, 2]])).preview);
      sent({ a: 1 });
      expect(touched).toBe(0);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', before);
    }
  });
});
