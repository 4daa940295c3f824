import { describe, expect, it } from 'vitest';
import {
  patchToString,
  replaceAccessorWith,
  replaceConstructorWith,
  replaceMethod,
  replaceValue,
} from '../../../injected/disguise.ts';

type NativeFn = (...a: unknown[]) => unknown;

describe('replacements from one hook and a context each (disguise.ts)', () => {
  it('one hook serves several methods: each call gets its own context, its native and the caller’s receiver', () => {
    const holder = { get: Map.prototype.get, has: Map.prototype.has };
    const calls: [string, NativeFn, unknown, number][] = [];
    const hook = (context: { name: string }, native: NativeFn, self: unknown, args: unknown[]) => {
      calls.push([context.name, native, self, args.length]);
      return Reflect.apply(native, self, args);
    };
    const nativeGet = replaceMethod(holder, 'get', hook, { name: 'first' });
    const nativeHas = replaceMethod(holder, 'has', hook, { name: 'second' });
    // Nothing of the hook runs when it is installed.
    expect(calls).toEqual([]);
    expect([nativeGet, nativeHas]).toEqual([Map.prototype.get, Map.prototype.has]);
    patchToString();
    const map = new Map([[1, 'one']]);
    expect(holder.get.call(map, 1)).toBe('one');
    expect(holder.has.call(map, 2)).toBe(false);
    expect(calls).toEqual([
      ['first', Map.prototype.get, map, 1],
      ['second', Map.prototype.has, map, 1],
    ]);
    expect([holder.get.name, holder.get.length, String(holder.get)]).toEqual([
      'get',
      1,
      Function.prototype.toString.call(Map.prototype.get),
    ]);
    const d = Object.getOwnPropertyDescriptor(holder, 'has')!;
    expect([d.writable, d.enumerable, d.configurable]).toEqual([true, true, true]);
  });

  it('a method that is not there, or an accessor, is left alone', () => {
    const holder = Object.create(null, {
      accessor: { get: () => 1, configurable: true },
    }) as Record<string, unknown>;
    const hook = () => 0;
    expect(replaceMethod(holder, 'missing', hook, undefined)).toBeUndefined();
    expect(replaceMethod(holder, 'accessor', hook, undefined)).toBeUndefined();
    expect(Reflect.ownKeys(holder)).toEqual(['accessor']);
    expect(holder.accessor).toBe(1);
  });

  it('an accessor’s getter and setter share one context and keep the attributes', () => {
    const store = new WeakMap<object, unknown>();
    const proto = {};
    Object.defineProperty(proto, 'value', {
      get(this: object) {
        return store.get(this);
      },
      set(this: object, v: unknown) {
        store.set(this, v);
      },
      enumerable: false,
      configurable: true,
    });
    const context = { sets: 0, gets: 0 };
    const nativeDescriptor = Object.getOwnPropertyDescriptor(proto, 'value')!;
    expect(
      replaceAccessorWith(
        proto,
        'value',
        (c: typeof context, native, self, args) => {
          c.gets++;
          return Reflect.apply(native, self, args);
        },
        (c: typeof context, native, self, args) => {
          c.sets++;
          return Reflect.apply(native, self, args);
        },
        context,
      ),
    ).toBe(true);
    const o = Object.create(proto) as { value: unknown };
    o.value = 5;
    expect(o.value).toBe(5);
    expect(context).toEqual({ sets: 1, gets: 1 });
    const d = Object.getOwnPropertyDescriptor(proto, 'value')!;
    expect([d.enumerable, d.configurable]).toEqual([false, true]);
    expect(d.get).not.toBe(nativeDescriptor.get);
    expect([d.get!.name, d.set!.name]).toEqual([nativeDescriptor.get!.name, nativeDescriptor.set!.name]);
  });

  it('a constructor’s hook builds the instance with the page’s new.target; a call without new is the native’s', () => {
    class Base {
      kind = 'base';
    }
    const holder: { Base: typeof Base } = { Base };
    const seen: [string, object][] = [];
    replaceConstructorWith(
      holder,
      'Base',
      (context: string, Native, args, newTarget) => {
        const instance = Reflect.construct(Native, args, newTarget as NativeFn) as object;
        seen.push([context, instance]);
        return instance;
      },
      'ctx',
    );
    const Replaced = holder.Base;
    expect(Replaced).not.toBe(Base);
    expect(Base.prototype.constructor).toBe(Replaced);
    class Sub extends Replaced {}
    const s = new Sub();
    expect(s).toBeInstanceOf(Sub);
    expect(s.kind).toBe('base');
    expect(seen).toEqual([['ctx', s]]);
    expect(() => (Replaced as unknown as () => void)()).toThrow(TypeError);
  });

  it('setters a page put on Object.prototype never run when a replacement is installed or called', () => {
    const touched: string[] = [];
    const names = ['hook', 'context', 'native', 'apply', 'construct'];
    for (const name of names)
      Object.defineProperty(Object.prototype, name, {
        set() {
          touched.push(name);
        },
        configurable: true,
      });
    let result: unknown;
    try {
      const holder = { max: Math.max };
      replaceMethod(holder, 'max', (_c: undefined, native, self, args) => Reflect.apply(native, self, args), undefined);
      result = holder.max(1, 3);
    } finally {
      for (const name of names) delete (Object.prototype as Record<string, unknown>)[name];
    }
    expect([result, touched]).toEqual([3, []]);
  });

  it('a hook and a closure replacement are each called from the boundary frame itself: no frame between on a stack a page can read', () => {
    const holder = { hooked: Math.max, closure: Math.min };
    replaceMethod(
      holder,
      'hooked',
      function hookFrame() {
        return new Error().stack;
      },
      undefined,
    );
    replaceValue(
      holder,
      'closure',
      () =>
        function closureFrame() {
          return new Error().stack;
        },
    );
    const below = (stack: unknown, name: string) => {
      const lines = String(stack).split('\n');
      const at = lines.findIndex((line) => line.includes(name));
      return at < 0 ? 'no ' + name + ' frame' : lines[at + 1];
    };
    expect(below(holder.hooked(), 'hookFrame')).toContain('portscopeBoundary');
    expect(below(holder.closure(), 'closureFrame')).toContain('portscopeBoundary');
  });
});
