import { describe, expect, it } from 'vitest';
import {
  fromArray,
  fromOptions,
  secondArgument,
  toObjectSequence,
  iteratorMethod,
} from '../../../injected/transfer.ts';

const KEYS = ['transfer', 'delegate', 'includeUserActivation'];

/** Drains a stand-in iterable the way WebIDL conversion does, recording every step. */
function drain(standIn: unknown): { values: unknown[]; failure?: string } {
  const values: unknown[] = [];
  const method = (standIn as Record<symbol, unknown>)[Symbol.iterator];
  if (typeof method !== 'function') return { values, failure: 'method:' + typeof method };
  const iterator = method.call(standIn);
  if (typeof iterator !== 'object' || iterator === null) return { values, failure: 'iterator:' + typeof iterator };
  const next = iterator.next;
  if (typeof next !== 'function') return { values, failure: 'next:' + typeof next };
  for (;;) {
    const r = next.call(iterator);
    if (typeof r !== 'object' || r === null) return { values, failure: 'result:' + typeof r };
    if (r.done) return { values };
    if (typeof r.value !== 'object' || r.value === null) return { values, failure: 'value:' + typeof r.value };
    values.push(r.value);
  }
}

describe('transfer conversion', () => {
  it('runs the page iterable exactly once and replays the same items', () => {
    const log: string[] = [];
    const a = {};
    const b = {};
    function* gen() {
      log.push('start');
      yield a;
      yield b;
      log.push('end');
    }
    const g = gen();
    const c = toObjectSequence(g, iteratorMethod(g));
    expect(c.complete).toBe(true);
    expect(c.items).toEqual([a, b]);
    expect(log).toEqual(['start', 'end']);
    expect(drain(c.standIn)).toEqual({ values: [a, b] });
    expect(drain(c.standIn)).toEqual({ values: [a, b] });
    expect(log).toEqual(['start', 'end']);
    expect(Object.getPrototypeOf(c.standIn)).toBeNull();
  });

  it('replays each kind of failure so the native throws its own error', () => {
    const cases: [unknown, string][] = [
      [{ [Symbol.iterator]: 5 }, 'method:number'],
      [{ [Symbol.iterator]: () => 7 }, 'iterator:number'],
      [{ [Symbol.iterator]: () => ({ next: 1 }) }, 'next:number'],
      [{ [Symbol.iterator]: () => ({ next: () => 3 }) }, 'result:number'],
      [new Set([{}, 2]), 'value:number'],
    ];
    for (const [iterable, failure] of cases) {
      const c = toObjectSequence(iterable as object, iteratorMethod(iterable as object));
      expect(c.complete, failure).toBe(false);
      expect(drain(c.standIn).failure).toBe(failure);
    }
  });

  it('passes a real Array known to be one through untouched and reads it without running getters', () => {
    let getterRuns = 0;
    const port = {};
    const arr: unknown[] = [port];
    Object.defineProperty(arr, 1, { get: () => (getterRuns++, {}), enumerable: true });
    const c = fromArray(arr);
    expect(c.standIn).toBe(arr);
    expect(c.complete).toBe(false);
    expect(getterRuns).toBe(0);
    expect(fromArray([port])).toMatchObject({ complete: true, items: [port] });
  });

  it("iterates an Array with the built-ins: an accessor item's getter runs once, and the native gets its value", () => {
    for (const fastPath of [false, true]) {
      let getterRuns = 0;
      const port = {};
      const late = {};
      const arr: unknown[] = [port];
      Object.defineProperty(arr, 1, { get: () => (getterRuns++, late), enumerable: true });
      const c = secondArgument(arr, KEYS, fastPath ? 2 : 1, fastPath)!;
      expect(c.complete).toBe(true);
      expect(c.items).toEqual([port, late]);
      // Chromium reads the items as an Array; Firefox gets them replayed (no Array Iterator made).
      if (fastPath) expect(c.standIn).toBe(c.items);
      else expect(drain(c.standIn)).toEqual({ values: [port, late] });
      expect(getterRuns).toBe(1);
    }
  });

  it("collects an array's items without running a setter or getter the page put on Array.prototype", () => {
    const calls: string[] = [];
    for (const key of ['0', '1', '2'])
      Object.defineProperty(Array.prototype, key, {
        configurable: true,
        get: () => void calls.push(`get ${key}`),
        set: () => void calls.push(`set ${key}`),
      });
    const [a, b, c] = [{}, {}, {}];
    let one: ReturnType<typeof secondArgument>;
    let three: ReturnType<typeof secondArgument>;
    try {
      one = secondArgument([a], KEYS);
      three = secondArgument([a, b, c], KEYS);
    } finally {
      for (const key of ['0', '1', '2']) delete (Array.prototype as unknown as Record<string, unknown>)[key];
    }
    expect(calls).toEqual([]);
    expect(one!).toMatchObject({ complete: true, items: [a] });
    expect(three!).toMatchObject({ complete: true, items: [a, b, c] });
    expect(Object.keys(three!.items)).toEqual(['0', '1', '2']);
  });

  it('reads dictionary members once, in the given order, into a null-prototype stand-in', () => {
    const log: string[] = [];
    const port = {};
    const options = new Proxy(
      { transfer: new Set([port]), includeUserActivation: true },
      {
        get(t, k, r) {
          log.push(String(k));
          return Reflect.get(t, k, r);
        },
      },
    );
    const c = secondArgument(options, KEYS)!;
    expect(log).toEqual(['Symbol(Symbol.iterator)', 'transfer', 'delegate', 'includeUserActivation']);
    expect(c.complete).toBe(true);
    expect(c.items).toEqual([port]);
    const standIn = c.standIn as Record<string, unknown>;
    expect(Object.getPrototypeOf(standIn)).toBeNull();
    expect(Object.keys(standIn)).toEqual(['transfer', 'includeUserActivation']);
    expect(drain(standIn.transfer).values).toEqual([port]);
  });

  it('leaves primitives to the native and keeps null/undefined as they are', () => {
    expect(secondArgument(5, KEYS)).toBeUndefined();
    expect(secondArgument('x', KEYS)).toBeUndefined();
    expect(secondArgument(undefined, KEYS)).toEqual({ items: [], complete: true, standIn: undefined });
    expect(secondArgument(null, KEYS)).toEqual({ items: [], complete: true, standIn: null });
    const bad = fromOptions({ transfer: 5 }, KEYS);
    expect(bad.complete).toBe(false);
    expect((bad.standIn as { transfer: unknown }).transfer).toBe(5);
    const notIterable = fromOptions({ transfer: {} }, KEYS);
    expect(notIterable.complete).toBe(false);
    expect(drain((notIterable.standIn as { transfer: unknown }).transfer).failure).toBe('method:undefined');
  });

  it("reads a direct iterable's @@iterator as many times as the browser does", () => {
    for (const reads of [1, 2]) {
      let count = 0;
      const port = {};
      const iterable = {
        get [Symbol.iterator]() {
          count++;
          return function* () {
            yield port;
          };
        },
      };
      const c = secondArgument(iterable, KEYS, reads)!;
      expect([count, c.items]).toEqual([reads, [port]]);
    }
  });

  it('lets a page exception propagate unchanged', () => {
    const boom = new SyntaxError('mine');
    expect(() =>
      secondArgument(
        {
          [Symbol.iterator]: () => {
            throw boom;
          },
        },
        KEYS,
      ),
    ).toThrow(boom);
    expect(() =>
      fromOptions(
        {
          get transfer() {
            throw boom;
          },
        },
        KEYS,
      ),
    ).toThrow(boom);
  });
});
