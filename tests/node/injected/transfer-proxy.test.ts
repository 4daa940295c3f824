/**
 * A transfer list that Array.isArray accepts — a real Array or a Proxy of one — is read as the
 * browser reads it, without a trap the browser would not run (injected/transfer.ts). The trap
 * orders below are the ones measured natively in Chromium 156 and Firefox ESR (the conformance
 * scenario "transfer: a Proxy of an Array…" compares them in both browsers).
 *
 * Where Chromium must be told a Proxy from a real Array, the runtime asks V8 (array-like.ts
 * `isProxy`, checked in the browser: tests/browser/conformance*.test.ts); Node's V8 does not
 * answer that question the same way, so here the answer is Node's own exact one.
 */
import { types } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromOptions, secondArgument, toSequence } from '../../../injected/transfer.ts';

vi.mock('../../../injected/array-like.ts', async (original) => ({
  ...(await original<typeof import('../../../injected/array-like.ts')>()),
  isProxy: (v: object) => types.isProxy(v),
}));

const KEYS = ['transfer', 'delegate', 'includeUserActivation'];
const TRAPS = [
  'get',
  'getOwnPropertyDescriptor',
  'has',
  'ownKeys',
  'getPrototypeOf',
  'isExtensible',
  'defineProperty',
  'set',
] as const;

/** A Proxy of `target` that logs every trap (with its key) and forwards it. */
function logged<T extends object>(target: T, log: string[], label = 'p'): T {
  const handler: ProxyHandler<T> = {};
  for (const trap of TRAPS)
    (handler as Record<string, unknown>)[trap] = (...a: unknown[]) => {
      log.push(`${label}:${trap}${a.length > 1 ? `:${String(a[1])}` : ''}`);
      // Not spread: a spread would run the page's Array iterator in the tests that replace it.
      return Reflect.apply(Reflect[trap] as (...x: unknown[]) => unknown, Reflect, a);
    };
  return new Proxy(target, handler);
}

const ITER = 'p:get:Symbol(Symbol.iterator)';
const STEPS = ['p:get:length', 'p:get:0', 'p:get:length', 'p:get:1', 'p:get:length'];

/** Drains a stand-in the way WebIDL conversion does. */
function drain(standIn: unknown): unknown[] {
  const out: unknown[] = [];
  for (const x of standIn as Iterable<unknown>) out.push(x);
  return out;
}

const restore: (() => void)[] = [];
afterEach(() => {
  while (restore.length) restore.pop()!();
});

/** Replaces Array.prototype[@@iterator] with a counting data function for one test. */
function pageIterator(): { calls: number } {
  const saved = Array.prototype[Symbol.iterator];
  const counter = { calls: 0 };
  Array.prototype[Symbol.iterator] = function (this: unknown[]) {
    counter.calls++;
    return saved.call(this);
  } as typeof saved;
  restore.push(() => {
    Array.prototype[Symbol.iterator] = saved;
  });
  return counter;
}

describe('a Proxy of an Array as the transfer list', () => {
  it('runs the traps the browser runs, in its order, and no other (second argument, 1 or 2 reads)', () => {
    for (const [reads, fastPath] of [
      [2, true],
      [1, false],
    ] as const) {
      const log: string[] = [];
      const port = {};
      const buffer = {};
      const c = secondArgument(logged([port, buffer], log), KEYS, reads, fastPath)!;
      expect(log).toEqual([...Array(reads).fill(ITER), ...STEPS]);
      expect(c.complete).toBe(true);
      expect(c.items).toEqual([port, buffer]);
      expect(drain(c.standIn)).toEqual([port, buffer]);
    }
  });

  it('reads a dictionary member or a window transfer list with one @@iterator read', () => {
    for (const fastPath of [true, false]) {
      const log: string[] = [];
      const port = {};
      const c = fromOptions({ transfer: logged([port, {}], log) }, KEYS, fastPath);
      expect(log).toEqual([ITER, ...STEPS]);
      expect(c.items[0]).toBe(port);
      log.length = 0;
      const w = toSequence(logged([port, {}], log), fastPath);
      expect(log).toEqual([ITER, ...STEPS]);
      expect(w.complete).toBe(true);
    }
  });

  it('an empty list, a Proxy of a Proxy', () => {
    const log: string[] = [];
    expect(secondArgument(logged([], log), KEYS, 2, true)).toMatchObject({ complete: true, items: [] });
    expect(log).toEqual([ITER, ITER, 'p:get:length']);
    log.length = 0;
    const port = {};
    const c = toSequence(logged(logged([port], log, 'inner'), log, 'outer'), true);
    expect(c.items).toEqual([port]);
    expect(log.filter((l) => l.startsWith('outer'))).toEqual([
      'outer:get:Symbol(Symbol.iterator)',
      'outer:get:length',
      'outer:get:0',
      'outer:get:length',
    ]);
    expect(log.some((l) => l.includes('getOwnPropertyDescriptor:length') && l.startsWith('outer'))).toBe(false);
  });

  it('a non-object item stops the list where the browser stops, and the native throws its own error', () => {
    const log: string[] = [];
    const port = {};
    const c = secondArgument(logged([port, 1, {}], log), KEYS, 2, true)!;
    expect(log).toEqual([ITER, ITER, 'p:get:length', 'p:get:0', 'p:get:length', 'p:get:1']);
    expect(c.complete).toBe(false);
    expect(drain(c.standIn)).toEqual([port, 1]);
  });

  it('a trap that throws: the page error propagates after the same traps', () => {
    const boom = new RangeError('mine');
    const proxy = new Proxy([{}], {
      get(t, k, r) {
        if (k === 'length') throw boom;
        return Reflect.get(t, k, r);
      },
    });
    expect(() => secondArgument(proxy, KEYS, 2, true)).toThrow(boom);
    expect(() => toSequence(proxy, false)).toThrow(boom);
  });

  it("without an Array Iterator (Firefox path), reads what the engine's own Array Iterator reads", () => {
    const lengths: unknown[] = ['2', 1.5, -1, Number.NaN, { valueOf: () => 2 }, 3];
    for (const length of lengths) {
      const make = (log: string[]) =>
        logged(Object.assign(Object.create(Array.prototype), { 0: {}, 1: {}, 2: 5, length }), log);
      // The reference: the engine iterating an Array-like through its own %ArrayIteratorPrototype%.next.
      const native: string[] = [];
      const expected: unknown[] = [];
      for (const x of Array.prototype.values.call(make(native)) as Iterable<unknown>) {
        expected.push(x);
        if (typeof x !== 'object') break;
      }
      const ours: string[] = [];
      const proxyOfArray = new Proxy([] as unknown[], {
        get: (_t, k, r) => Reflect.get(make(ours), k, r),
      });
      // A Proxy of an Array whose reads go to the Array-like: Array.isArray is true, as in the page.
      const c = toSequence(proxyOfArray, false);
      expect(
        ours.filter((l) => l !== ITER),
        String(length),
      ).toEqual(native);
      expect(drain(c.standIn)).toEqual(expected);
    }
  });

  it('a Proxy whose @@iterator reads undefined is an options dictionary, as in the browser', () => {
    const log: string[] = [];
    const proxy = logged(Object.assign([{}], { [Symbol.iterator]: undefined }), log);
    const c = secondArgument(proxy, KEYS, 2, true)!;
    expect(log).toEqual([ITER, 'p:get:transfer', 'p:get:delegate', 'p:get:includeUserActivation']);
    expect(c.complete).toBe(true);
  });

  it('a revoked Proxy goes to the native untouched (it throws its own error), never Array.isArray’s', () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    expect(secondArgument(proxy, KEYS, 2, true)).toBeUndefined();
    const w = toSequence(proxy, true);
    expect([w.items.length, w.complete, w.standIn === proxy]).toEqual([0, false, true]);
    const o = fromOptions({ transfer: proxy }, KEYS, true);
    expect(o.complete).toBe(false);
    expect((o.standIn as { transfer: unknown }).transfer).toBe(proxy);
  });
});

describe('the browser question (does it read a real Array without @@iterator?)', () => {
  it('is asked for a transfer list Array.isArray accepts, never for another object', () => {
    let asked = 0;
    const ask = () => (asked++, true);
    const port = {};
    secondArgument(new Set([port]), KEYS, 2, ask);
    secondArgument({ transfer: new Set([port]) }, KEYS, 2, ask);
    toSequence(new Set([port]), ask);
    expect(asked).toBe(0);
    secondArgument([port], KEYS, 2, ask);
    fromOptions({ transfer: new Proxy([port], {}) }, KEYS, ask);
    expect(asked).toBe(2);
  });
});

describe('when the page changed Array iteration', () => {
  it('Chromium (fast path): a real Array is read without the page iterator, a Proxy through it', () => {
    const port = {};
    const real = [port];
    const log: string[] = [];
    const proxy = logged([port], log);
    const page = pageIterator();
    const c = secondArgument(real, KEYS, 2, true)!;
    const afterReal = page.calls;
    const p = secondArgument(proxy, KEYS, 2, true)!;
    const afterProxy = page.calls;
    expect(c.standIn).toBe(real);
    expect(c.items[0]).toBe(port);
    expect([afterReal, afterProxy]).toEqual([0, 1]);
    expect(log.slice(0, 2)).toEqual([ITER, ITER]);
    expect(p.items[0]).toBe(port);
  });

  it('Firefox (no fast path): the page iterator runs once for either, never again in the native', () => {
    const page = pageIterator();
    const port = {};
    const c = secondArgument([port], KEYS, 1, false)!;
    const standIn = drain(c.standIn);
    const calls = page.calls;
    expect(calls).toBe(1);
    expect(c.items[0]).toBe(port);
    expect(standIn).toEqual([port]);
  });

  it('an Array with its own @@iterator: Chromium ignores it, Firefox calls it', () => {
    const port = {};
    let calls = 0;
    const own = Object.assign([port], {
      [Symbol.iterator]() {
        calls++;
        return [port][Symbol.iterator]();
      },
    });
    expect(secondArgument(own, KEYS, 2, true)!.standIn).toBe(own);
    expect(calls).toBe(0);
    expect(secondArgument(own, KEYS, 1, false)!.items[0]).toBe(port);
    expect(calls).toBe(1);
  });
});
