/**
 * Firefox's path for a transfer list that Array.isArray accepts (injected/transfer.ts, readIndexes):
 * once its indexes are read, the native gets a fresh Array of the items, which Firefox reads as it
 * reads any real Array whose iteration nobody changed (no call back into the runtime per step),
 * unless Array.prototype[@@iterator] is not the built-in in a data property: then the native must
 * not read it again, and gets a replay of the steps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fromOptions, secondArgument, toSequence } from '../../../injected/transfer.ts';

const KEYS = ['transfer'];
const FIREFOX = false;

/** Drains a stand-in the way WebIDL conversion does (Node's V8 reads @@iterator as Firefox does without its fast path). */
function drain(standIn: unknown): unknown[] {
  const out: unknown[] = [];
  for (const x of standIn as Iterable<unknown>) out.push(x);
  return out;
}

const isPlainArray = (v: unknown): boolean =>
  Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype && !Object.hasOwn(v, Symbol.iterator);

const restore: (() => void)[] = [];
afterEach(() => {
  while (restore.length) restore.pop()!();
});

describe('Firefox: the stand-in for a complete Array-like list', () => {
  it('is a fresh real Array of the items, for a real Array, a Proxy of one, a dictionary member, a window list', () => {
    const port = {};
    const buffer = {};
    const real = [port, buffer];
    const cases = [
      secondArgument(real, KEYS, 1, FIREFOX)!,
      secondArgument(new Proxy([port, buffer], {}), KEYS, 1, FIREFOX)!,
      toSequence([port, buffer], FIREFOX),
    ];
    for (const c of cases) {
      expect(c.complete).toBe(true);
      expect(isPlainArray(c.standIn)).toBe(true);
      expect(c.standIn).not.toBe(real);
      expect(c.standIn).toEqual([port, buffer]);
      expect(c.items).toEqual([port, buffer]);
    }
    const o = fromOptions({ transfer: [port] }, KEYS, FIREFOX);
    expect(isPlainArray((o.standIn as { transfer: unknown }).transfer)).toBe(true);
    expect((o.standIn as { transfer: unknown[] }).transfer[0]).toBe(port);
  });

  it('an empty list is a fresh empty Array too', () => {
    const c = secondArgument([], KEYS, 1, FIREFOX)!;
    expect([c.complete, isPlainArray(c.standIn), (c.standIn as unknown[]).length]).toEqual([true, true, 0]);
  });

  it('a list that stops at a non-object item is still replayed, for the native to throw its own error', () => {
    const port = {};
    const c = secondArgument([port, 5, {}], KEYS, 1, FIREFOX)!;
    expect(c.complete).toBe(false);
    expect(Array.isArray(c.standIn)).toBe(false);
    expect(drain(c.standIn)).toEqual([port, 5]);
  });
});

describe('Firefox: Array.prototype[@@iterator] not the built-in data property', () => {
  it('a getter that answers the built-in runs once in all, the native reading a replay', () => {
    const values = Array.prototype[Symbol.iterator];
    let reads = 0;
    Object.defineProperty(Array.prototype, Symbol.iterator, {
      configurable: true,
      get() {
        reads++;
        return values;
      },
    });
    restore.push(() =>
      Object.defineProperty(Array.prototype, Symbol.iterator, { configurable: true, writable: true, value: values }),
    );
    const port = {};
    const c = secondArgument([port], KEYS, 1, FIREFOX)!;
    const drained = drain(c.standIn);
    const readsInAll = reads;
    expect(readsInAll).toBe(1);
    expect(drained[0]).toBe(port);
    expect(c.items).toEqual([port]);
  });

  it('a Proxy trap that replaces it during the reads: the check is made after them', () => {
    const values = Array.prototype[Symbol.iterator];
    let reads = 0;
    restore.push(() =>
      Object.defineProperty(Array.prototype, Symbol.iterator, { configurable: true, writable: true, value: values }),
    );
    const port = {};
    const proxy = new Proxy([port], {
      get(t, k, r) {
        if (k === 'length')
          Object.defineProperty(Array.prototype, Symbol.iterator, {
            configurable: true,
            get() {
              reads++;
              return values;
            },
          });
        return Reflect.get(t, k, r);
      },
    });
    const c = secondArgument(proxy, KEYS, 1, FIREFOX)!;
    const drained = drain(c.standIn);
    // Read before any expectation: comparing arrays reads their @@iterator.
    const readsInAll = reads;
    expect(readsInAll).toBe(0);
    expect(drained[0]).toBe(port);
  });
});
