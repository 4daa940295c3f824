import { describe, expect, it } from 'vitest';
import { patchToString, replaceConstructor, replaceValue, wrapNative } from '../../../injected/disguise.ts';

describe('disguise', () => {
  it('a replaced method answers reflection and toString like the native', () => {
    const holder = { method: Map.prototype.get };
    const nativeText = Function.prototype.toString.call(Map.prototype.get);
    const calls: unknown[] = [];
    replaceValue(holder, 'method', (native) => (self, args) => {
      calls.push(args.length);
      return Reflect.apply(native, self, args);
    });
    patchToString();
    const m = holder.method;
    expect(m).not.toBe(Map.prototype.get);
    expect([m.name, m.length, Reflect.ownKeys(m)]).toEqual(['get', 1, ['length', 'name']]);
    expect(Function.prototype.toString.call(m)).toBe(nativeText);
    expect(String(m)).toBe(nativeText);
    expect(() => Reflect.construct(m, [])).toThrow(/function get\(\) \{ \[native code\] \} is not a constructor/);
    const map = new Map([[1, 'one']]);
    expect(m.call(map, 1)).toBe('one');
    expect(calls).toEqual([1]);
  });

  it('toString disguises itself, and still rejects non-functions natively', () => {
    patchToString();
    const ts = Function.prototype.toString;
    expect(ts.call(ts)).toBe('function toString() { [native code] }');
    expect(() => ts.call({})).toThrow(TypeError);
    expect(
      ts.call(function page() {
        return 1;
      }),
    ).toContain('return 1');
  });

  it('a replaced constructor keeps prototype identity, subclassing and new.target', () => {
    class Base {
      kind = 'base';
    }
    const holder: { Base: typeof Base } = { Base };
    const seen: object[] = [];
    replaceConstructor(holder, 'Base', (instance) => seen.push(instance));
    const Replaced = holder.Base;
    expect(Replaced).not.toBe(Base);
    expect(Replaced.prototype).toBe(Base.prototype);
    expect(Base.prototype.constructor).toBe(Replaced);
    class Sub extends Replaced {}
    const s = new Sub();
    expect(s).toBeInstanceOf(Sub);
    expect(s.kind).toBe('base');
    expect(seen).toEqual([s]);
    expect(() => (Replaced as unknown as () => void)()).toThrow(TypeError);
  });

  it('trap handlers ignore Object.prototype pollution', () => {
    const proxy = wrapNative(Math.max, (_self, args) => Reflect.apply(Math.max, undefined, args));
    // Polluted traps would be picked up by a handler with a prototype; measure first, assert after.
    const descriptor = (value: unknown) =>
      Object.assign(Object.create(null), { value, configurable: true }) as PropertyDescriptor;
    const constructDescriptor = descriptor(() => ({ polluted: true }));
    Object.defineProperty(
      Object.prototype,
      'get',
      descriptor(() => 'polluted'),
    );
    Object.defineProperty(Object.prototype, 'construct', constructDescriptor);
    let name: unknown;
    let result: unknown;
    let constructed: unknown;
    try {
      name = proxy.name;
      result = proxy(1, 3);
      constructed = (() => {
        try {
          return Reflect.construct(proxy, []);
        } catch (e) {
          return (e as Error).constructor.name;
        }
      })();
    } finally {
      delete (Object.prototype as Record<string, unknown>).get;
      delete (Object.prototype as Record<string, unknown>).construct;
    }
    expect([name, result, constructed]).toEqual(['max', 3, 'TypeError']);
  });
});
