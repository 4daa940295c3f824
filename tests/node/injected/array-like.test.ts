/**
 * array-like.ts: the built-in Array Iterator `next`, found without running page code, and the
 * Proxy question, which never calls a real Array a Proxy nor runs a trap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isProxy, pristineArrayNext } from '../../../injected/array-like.ts';

const restore: (() => void)[] = [];
afterEach(() => {
  while (restore.length) restore.pop()!();
});

/** A Proxy of `target` that logs every trap it runs. */
function logged<T extends object>(target: T, log: string[]): T {
  return new Proxy(target, {
    get: (...a) => (log.push('get'), Reflect.get(...a)),
    getOwnPropertyDescriptor: (...a) => (log.push('gopd'), Reflect.getOwnPropertyDescriptor(...a)),
    getPrototypeOf: (t) => (log.push('proto'), Reflect.getPrototypeOf(t)),
    has: (...a) => (log.push('has'), Reflect.has(...a)),
    ownKeys: (t) => (log.push('ownKeys'), Reflect.ownKeys(t)),
  });
}

describe('pristineArrayNext', () => {
  it('finds the built-in next only while it is in place', () => {
    const next = pristineArrayNext();
    expect(typeof next).toBe('function');
    const proto = Object.getPrototypeOf([][Symbol.iterator]());
    const saved = proto.next;
    restore.push(() => {
      proto.next = saved;
    });
    proto.next = saved.bind(undefined);
    expect(pristineArrayNext()).toBeUndefined();
    proto.next = function next() {
      return saved.call(this);
    };
    expect(pristineArrayNext()).toBeUndefined();
    proto.next = saved;
    expect(pristineArrayNext()).toBe(next);
  });

  it('is undefined while Array.prototype[@@iterator] is not the built-in data property', () => {
    const saved = Array.prototype[Symbol.iterator];
    restore.push(() => {
      Object.defineProperty(Array.prototype, Symbol.iterator, {
        value: saved,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    });
    let reads = 0;
    Object.defineProperty(Array.prototype, Symbol.iterator, { get: () => (reads++, saved), configurable: true });
    expect(pristineArrayNext()).toBeUndefined();
    expect(reads).toBe(0);
  });
});

describe('isProxy', () => {
  it('never calls a real Array a Proxy, and runs no trap', () => {
    const log: string[] = [];
    class Sub extends Array {}
    expect(isProxy([])).toBe(false);
    expect(isProxy(new Sub())).toBe(false);
    expect(isProxy(Object.setPrototypeOf([], null))).toBe(false);
    expect(isProxy(Object.setPrototypeOf([], logged(Array.prototype, log)))).toBe(false);
    isProxy(logged([], log));
    isProxy(logged(logged([], log), log));
    expect(log).toEqual([]);
  });
});
