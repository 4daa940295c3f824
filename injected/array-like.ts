/**
 * How the native reads a transfer list that `Array.isArray` accepts — a real Array, or a Proxy
 * whose target is one — decided without running page code.
 *
 * Chromium reads a real Array directly (V8's IsJSArray: no `@@iterator`, no `next`) and iterates
 * a Proxy through its traps; Firefox iterates both, skipping the protocol only where skipping it
 * cannot be seen (measured: tests/fixtures/conformance/scenarios.ts, "transfer: a Proxy of an
 * Array"). Asking a Proxy anything (its length, a descriptor, its prototype) runs one of its
 * traps, so the runtime does not ask:
 *  - Firefox: transfer.ts iterates either, as Firefox does;
 *  - Chromium, while Array iteration is the built-in one (Array.prototype[@@iterator] and
 *    %ArrayIteratorPrototype%.next are the original functions, held in data properties):
 *    iterating a real Array with those built-ins reads nothing a page can see, and iterating a
 *    Proxy with them runs exactly the traps the native runs, so transfer.ts iterates either;
 *  - Chromium otherwise: `isProxy` asks the engine (a throw).
 */
import {
  ArrayPrototype,
  NativeProxy,
  apply,
  arrayValues,
  functionToString,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  hasOwn,
  mapGet,
  objectCreate,
  stringIndexOf,
  stringSlice,
  symbolIterator,
} from './natives.ts';

type Next = (this: unknown) => { done: boolean; value: unknown };

let arrayIteratorPrototype: object | undefined;
/** %ArrayIteratorPrototype%.next once a value of that property proved to be the built-in. */
let builtinNext: Next | undefined;
let nextSource: string | undefined;

/**
 * The built-in %ArrayIteratorPrototype%.next while Array iteration is the built-in one, else
 * undefined. Found at the first conversion, not captured at install: reaching
 * %ArrayIteratorPrototype% means making an Array Iterator, which in Firefox defines the
 * `Iterator` global (docs/firefox.md). Asked in Chromium only (transfer.ts).
 */
export function pristineArrayNext(): Next | undefined {
  const iterator = getOwnPropertyDescriptor(ArrayPrototype, symbolIterator);
  if (!iterator || !hasOwn(iterator, 'value') || iterator.value !== arrayValues) return undefined;
  if (arrayIteratorPrototype === undefined)
    arrayIteratorPrototype = getPrototypeOf(apply(arrayValues, [], [])) as object;
  const d = getOwnPropertyDescriptor(arrayIteratorPrototype, 'next');
  if (!d || !hasOwn(d, 'value')) return undefined;
  const next = d.value as Next;
  if (builtinNext !== undefined) return next === builtinNext ? next : undefined;
  if (!isBuiltinNext(next)) return undefined;
  builtinNext = next;
  return next;
}

/**
 * Whether `f` is %ArrayIteratorPrototype%.next, judged without calling page code. Only a built-in
 * prints as `[native code]` under its own name (a page function prints its source, a bound
 * function or a Proxy of one no name); of the built-ins named `next`, only the Array Iterator's
 * steps an Array Iterator (the others reject it).
 */
function isBuiltinNext(f: unknown): boolean {
  if (typeof f !== 'function') return false;
  if (nextSource === undefined) {
    const values = apply(functionToString, arrayValues, []) as string;
    const at = stringIndexOf(values, 'values');
    nextSource = `${stringSlice(values, 0, at)}next${stringSlice(values, at + 6)}`;
  }
  if (apply(functionToString, f, []) !== nextSource) return false;
  const marker = objectCreate(null) as object;
  try {
    const step = apply(f as Next, apply(arrayValues, [marker], []), []) as { done: unknown; value: unknown };
    return step.value === marker && step.done === false;
  } catch {
    return false;
  }
}

/** The message of the TypeError a built-in's receiver check throws for `v`. */
function receiverText(v: unknown): unknown {
  try {
    mapGet(v as Map<unknown, unknown>, undefined);
  } catch (e) {
    const d =
      (typeof e === 'object' && e !== null) || typeof e === 'function'
        ? getOwnPropertyDescriptor(e, 'message')
        : undefined;
    return d && hasOwn(d, 'value') ? d.value : undefined;
  }
  return undefined;
}

/** The receiver texts of a Proxy of an Array and of an Array; undefined where they do not differ. */
let proxyText: unknown;
let measured = false;

/**
 * Whether an object that `Array.isArray` accepts is a Proxy, asked without running its traps:
 * V8 describes the receiver of a failed check with its side-effect-free ToString, which reads
 * data properties only and stops at a Proxy, so every Proxy is `[object Object]` and a real Array
 * `[object Array]` (Chromium 156) — unless the page gave the Array a `@@toStringTag` data
 * property of "Object", the one case it is taken for a Proxy. Where an engine describes both
 * alike (V8 11 calls a Proxy of an Array `[object Array]` too), the answer is always false: the
 * value is read as a real Array, the pre-fix behaviour. A throw costs microseconds: asked only
 * where iteration is not the built-in one or the list has its own `@@iterator` (module comment).
 */
export function isProxy(v: object): boolean {
  if (!measured) {
    measured = true;
    const text = receiverText(new NativeProxy([], objectCreate(null) as ProxyHandler<object>));
    proxyText = text !== receiverText([]) ? text : undefined;
  }
  return proxyText !== undefined && receiverText(v) === proxyText;
}
