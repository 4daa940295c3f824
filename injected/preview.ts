/**
 * A bounded, JSON-safe picture of a message (protocol Preview), a byte estimate, and a
 * fingerprint of its top-level shape. Called only after a successful structured clone (or on
 * a freshly deserialized value), so the graph holds no Proxy; even so it reads only own
 * data properties through descriptors and host internals through brand-checked natives:
 * no page getter, toString or valueOf ever runs. Large binary data is described, never scanned.
 * A transferred ArrayBuffer is detached by then: its size is taken before the post
 * (`SizesBeforePost`, injected/post.ts) and used here.
 */
import type { Preview } from '../protocol/facts.ts';
import { PREVIEW_BOUNDS } from '../protocol/facts.ts';
import {
  hasOwn,
  NativeMap,
  arrayBufferByteLength,
  bigintToString,
  bigintValueOf,
  blobSize,
  blobType,
  booleanValueOf,
  charCodeAt,
  dataViewByteLength,
  dateGetTime,
  fileName,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  mapForEach,
  mapGet,
  mapSet,
  mapSize,
  numberToString,
  numberValueOf,
  ownKeys,
  regexpFlagGetters,
  regexpSource,
  setForEach,
  setSize,
  sharedArrayBufferByteLength,
  stringSlice,
  stringValueOf,
  symbolToStringTag,
  typedArrayByteLength,
  typedArrayLength,
  typedArrayTag,
} from './natives.ts';
import { errorFields } from './errors.ts';
import { slotsOf } from './slots.ts';
import { append, putKey } from './own-index.ts';

/**
 * What a post's transfer detaches, measured before the native call: each transferred
 * ArrayBuffer's byteLength, and the message itself when it is a view (a typed array or a
 * DataView) whose lengths read 0 once its buffer is detached. A view nested deeper cannot be
 * measured beforehand without reading the page's objects before the clone does, so it is
 * described as it reads afterwards.
 */
export interface SizesBeforePost {
  buffers: Map<object, number>;
  view?: { of: object; length: number; byteLength: number };
}

/** Runs a brand-checked native; undefined when `x` lacks the internal slot. */
function probe<T>(read: ((x: unknown) => T) | undefined, x: unknown): T | undefined {
  if (!read) return undefined;
  try {
    return read(x);
  } catch {
    return undefined;
  }
}

/** The `Symbol.toStringTag` found as a data property on the prototype chain (no getters run). */
export function safeTag(x: object): string {
  let o: object | null = x;
  for (let depth = 0; o !== null && depth < 16; depth++) {
    const d = getOwnPropertyDescriptor(o, symbolToStringTag);
    if (d) return hasOwn(d, 'value') && typeof d.value === 'string' ? d.value : 'Object';
    o = getPrototypeOf(o);
  }
  return 'Object';
}

function numberPreview(v: number): Preview {
  if (v !== v) return { t: 'number', v: 'NaN' };
  if (v === Infinity) return { t: 'number', v: 'Infinity' };
  if (v === -Infinity) return { t: 'number', v: '-Infinity' };
  if (v === 0 && 1 / v < 0) return { t: 'number', v: '-0' };
  return { t: 'number', v };
}

const MAX = PREVIEW_BOUNDS.stringLength;

/** `s` cut to the preview's string bound (the validator rejects a longer one). */
function cut(s: string): string {
  return s.length > MAX ? stringSlice(s, 0, MAX) : s;
}

function stringPreview(s: string): Preview {
  return s.length > MAX
    ? { t: 'string', v: stringSlice(s, 0, MAX), len: s.length, truncated: true }
    : { t: 'string', v: s, len: s.length };
}

function bigintPreview(v: bigint): Preview {
  const digits = bigintToString ? bigintToString(v) : '';
  return digits.length > MAX
    ? { t: 'bigint', v: stringSlice(digits, 0, MAX), len: digits.length, truncated: true }
    : { t: 'bigint', v: digits };
}

/** Puts `s` cut at `field` of the runtime's own `out`, and its original length at `field + 'Len'` when it was cut. */
function putText(out: object, field: string, s: string): void {
  putKey(out, field, cut(s));
  if (s.length > MAX) putKey(out, field + 'Len', s.length);
}

/**
 * Where an object sits in the value, kept as a link to its parent's place: a `ref` needs the
 * path of the object met first, and building a path string for every node would cost more
 * than the rest of the walk for the messages most pages send (small objects, no sharing).
 */
interface Place {
  up: Place | null;
  /** A property name (`.key`), an array index (`[i]`), or a literal step (`$`, `<key>`, ...). */
  step: string | number;
  named: boolean;
}

function pathOf(place: Place): string {
  let path = '';
  for (let at: Place | null = place; at !== null; at = at.up) {
    const step = at.step;
    path = (typeof step === 'number' ? '[' + step + ']' : at.named ? '.' + step : step) + path;
  }
  return path;
}

const LITERAL = false;
const NAMED = true;

class Walker {
  nodes = 0;
  bytes = 0;
  truncated = false;
  /** Made on the first object: most messages are a primitive. */
  private seen: Map<object, Place> | undefined;

  constructor(
    private readonly portId: (x: object) => number | undefined,
    private readonly deserialized: boolean,
    private readonly before: SizesBeforePost | undefined,
  ) {}

  /**
   * Whether another child may be listed: every node emitted is counted, so a container open when
   * the bound is reached lists no more (and says it was cut) instead of overshooting it.
   */
  private room(): boolean {
    return this.nodes < PREVIEW_BOUNDS.nodes;
  }

  /** A node that holds no value: an array hole or an accessor. */
  private leaf(t: 'undefined' | 'getter'): Preview {
    this.nodes++;
    return { t };
  }

  /** `up`, `step` and `named` say where `v` sits (see Place); only objects make a Place. */
  value(v: unknown, depth: number, up: Place | null, step: string | number, named: boolean): Preview {
    this.nodes++;
    switch (typeof v) {
      case 'undefined':
        this.bytes += 1;
        return { t: 'undefined' };
      case 'boolean':
        this.bytes += 1;
        return { t: 'boolean', v };
      case 'number':
        this.bytes += 8;
        return numberPreview(v);
      case 'bigint':
        this.bytes += 8;
        return bigintPreview(v);
      case 'string':
        this.bytes += v.length;
        return stringPreview(v);
      case 'symbol':
        return { t: 'symbol' };
      case 'function':
        return { t: 'function' };
    }
    if (v === null) {
      this.bytes += 1;
      return { t: 'null' };
    }
    const obj = v as object;
    this.seen ??= new NativeMap<object, Place>();
    const seen = this.seen;
    const prior = mapGet(seen, obj);
    if (prior !== undefined) return { t: 'ref', path: pathOf(prior) };
    const place: Place = { up, step, named };
    mapSet(seen, obj, place);
    return this.object(obj, depth, place);
  }

  private object(o: object, depth: number, place: Place): Preview {
    const slots = slotsOf(o, this.deserialized);
    switch (slots) {
      case 'arraybuffer': {
        const ab = (this.before && mapGet(this.before.buffers, o)) ?? (arrayBufferByteLength(o) as number);
        this.bytes += ab;
        return { t: 'arraybuffer', byteLength: ab };
      }
      case 'sharedarraybuffer':
        return { t: 'arraybuffer', byteLength: sharedArrayBufferByteLength!(o) as number, shared: true };
      case 'typedarray': {
        const view = this.before?.view?.of === o ? this.before.view : undefined;
        const byteLength = view ? view.byteLength : typedArrayByteLength(o);
        this.bytes += byteLength;
        const length = view ? view.length : typedArrayLength(o);
        return { t: 'typedarray', ctor: typedArrayTag(o), length, byteLength };
      }
      case 'dataview': {
        // The getter throws on a DataView whose buffer was detached (transferred by this post).
        const view = this.before?.view?.of === o ? this.before.view : undefined;
        const dv = view ? view.byteLength : (probe(dataViewByteLength, o) ?? 0);
        this.bytes += dv;
        return { t: 'dataview', byteLength: dv };
      }
      case 'date':
        this.bytes += 8;
        return { t: 'date', v: dateGetTime(o) };
      case 'regexp': {
        const source = regexpSource(o) as string;
        let flags = '';
        for (let i = 0; i < regexpFlagGetters.length; i++)
          if (regexpFlagGetters[i][1](o)) flags += regexpFlagGetters[i][0];
        this.bytes += source.length;
        const p = { t: 'regexp' };
        putText(p, 'source', source);
        putKey(p, 'flags', flags);
        return p as Preview;
      }
      case 'blob': {
        const size = blobSize!(o) as number;
        this.bytes += size;
        const p = { t: 'blob', size };
        putText(p, 'type', blobType!(o) as string);
        const name = probe(fileName, o);
        if (name !== undefined) putText(p, 'name', name as string);
        return p as Preview;
      }
      // The inner value is a node of its own.
      case 'number':
        this.nodes++;
        return { t: 'boxed', inner: numberPreview(numberValueOf(o)) };
      case 'string':
        this.nodes++;
        return { t: 'boxed', inner: stringPreview(stringValueOf(o)) };
      case 'boolean':
        this.nodes++;
        return { t: 'boxed', inner: { t: 'boolean', v: booleanValueOf(o) } };
      case 'bigint':
        this.nodes++;
        return { t: 'boxed', inner: bigintPreview(bigintValueOf!(o)) };
    }
    if (slots === 'ordinary') {
      const port = this.portId(o);
      if (port !== undefined) return { t: 'messageport', port };
    }
    if (depth >= PREVIEW_BOUNDS.depth || this.nodes >= PREVIEW_BOUNDS.nodes) {
      this.truncated = true;
      return { t: 'more' };
    }
    switch (slots) {
      case 'map':
        return this.map(o, mapSize(o), depth, place);
      case 'set':
        return this.set(o, setSize(o), depth, place);
      case 'array':
        return this.array(o as unknown[], depth, place);
      case 'error': {
        const { name, message } = errorFields(o);
        const p = { t: 'error' };
        putText(p, 'name', name);
        putText(p, 'message', message);
        return p as Preview;
      }
    }
    const tag = safeTag(o);
    if (tag !== 'Object') {
      const p = { t: 'host' };
      putText(p, 'tag', tag);
      return p as Preview;
    }
    return this.plain(o, depth, place);
  }

  private array(a: unknown[], depth: number, place: Place): Preview {
    const len = a.length;
    const items: Preview[] = [];
    const max = len < PREVIEW_BOUNDS.keys ? len : PREVIEW_BOUNDS.keys;
    let i = 0;
    for (; i < max && this.room(); i++) {
      // A number key: ToPropertyKey of a number runs no page code.
      const d = getOwnPropertyDescriptor(a, i);
      append<Preview>(
        items,
        d && hasOwn(d, 'value')
          ? this.value(d.value, depth + 1, place, i, LITERAL)
          : this.leaf(d ? 'getter' : 'undefined'),
      );
    }
    const p: Preview = { t: 'array', len, items };
    if (i < len) {
      putKey(p, 'truncated', true);
      this.truncated = true;
    }
    return p;
  }

  private plain(o: object, depth: number, place: Place): Preview {
    const keys = ownKeys(o);
    const entries: [string, Preview, number?][] = [];
    let count = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (typeof key !== 'string') continue;
      const d = getOwnPropertyDescriptor(o, key);
      if (!d || !d.enumerable) continue;
      count++;
      if (entries.length >= PREVIEW_BOUNDS.keys || !this.room()) continue;
      this.bytes += key.length;
      // A ref's path names this place by the cut key, so paths stay within the bound too.
      const shown = cut(key);
      const v = hasOwn(d, 'value') ? this.value(d.value, depth + 1, place, shown, NAMED) : this.leaf('getter');
      append<[string, Preview, number?]>(entries, shown.length < key.length ? [shown, v, key.length] : [shown, v]);
    }
    const p: Preview = { t: 'object', entries, keys: count };
    if (entries.length < count) {
      putKey(p, 'truncated', true);
      this.truncated = true;
    }
    return p;
  }

  private map(m: object, size: number, depth: number, place: Place): Preview {
    const entries: [Preview, Preview][] = [];
    mapForEach(m, (v, k) => {
      if (entries.length < PREVIEW_BOUNDS.keys && this.room())
        append<[Preview, Preview]>(entries, [
          this.value(k, depth + 1, place, '<key>', LITERAL),
          this.value(v, depth + 1, place, '<value>', LITERAL),
        ]);
    });
    const p: Preview = { t: 'map', size, entries };
    if (entries.length < size) {
      putKey(p, 'truncated', true);
      this.truncated = true;
    }
    return p;
  }

  private set(s: object, size: number, depth: number, place: Place): Preview {
    const items: Preview[] = [];
    setForEach(s, (v) => {
      if (items.length < PREVIEW_BOUNDS.keys && this.room())
        append(items, this.value(v, depth + 1, place, '<item>', LITERAL));
    });
    const p: Preview = { t: 'set', size, items };
    if (items.length < size) {
      putKey(p, 'truncated', true);
      this.truncated = true;
    }
    return p;
  }
}

export interface Described {
  preview: Preview;
  bytes: number;
}

/**
 * Preview and byte estimate (a lower bound when the preview was cut). `deserialized`: the value
 * is event.data of a trusted message event in this realm (see slots.ts); false for a page's own value.
 */
export function describe(
  value: unknown,
  portId: (x: object) => number | undefined = () => undefined,
  deserialized = false,
  before?: SizesBeforePost,
): Described {
  const w = new Walker(portId, deserialized, before);
  const preview = w.value(value, 0, null, '$', LITERAL);
  return { preview, bytes: w.bytes };
}

/** FNV-1a over a short shape string; 8 hex digits. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= charCodeAt(s, i);
    h = (h * 0x01000193) >>> 0;
  }
  return numberToString(h, 16);
}

/**
 * Top-level shape only, computed identically on the sender's value (after the clone) and on
 * the receiver's deserialized copy: type, enumerable own string key names, array length,
 * string length and head, primitive values. Values behind keys are left out, because a getter
 * on the sender becomes a data property on the receiver. Binary types contribute their type
 * only: a transferred buffer is detached on the sender after the post.
 */
export function fingerprint(value: unknown, deserialized = false): string {
  switch (typeof value) {
    case 'string':
      return hash('s' + value.length + ':' + stringSlice(value, 0, 64));
    case 'number':
      return hash('n' + (value === 0 && 1 / value < 0 ? '-0' : numberToString(value)));
    case 'boolean':
      return hash(value ? 'T' : 'F');
    case 'undefined':
      return hash('u');
    case 'bigint':
      return hash('b' + (bigintToString ? bigintToString(value) : ''));
    case 'symbol':
    case 'function':
      return hash(typeof value);
  }
  if (value === null) return hash('z');
  const o = value as object;
  switch (slotsOf(o, deserialized)) {
    case 'array':
      return hash('a' + (o as unknown[]).length);
    case 'arraybuffer':
      return hash('ab');
    case 'typedarray':
      return hash('ta' + typedArrayTag(o));
    case 'map':
      return hash('m' + mapSize(o));
    case 'set':
      return hash('S' + setSize(o));
    case 'date':
      return hash('d' + dateGetTime(o));
    // The receiver's copy has its kind's prototype, hence its tag, whatever the sender's had.
    case 'dataview':
      return hash('hDataView');
    case 'sharedarraybuffer':
      return hash('hSharedArrayBuffer');
    case 'bigint':
      return hash('hBigInt');
    case 'blob':
      return hash(probe(fileName, o) !== undefined ? 'hFile' : 'hBlob');
  }
  const tag = safeTag(o);
  if (tag !== 'Object') return hash('h' + tag);
  const keys = ownKeys(o);
  let shape = 'o';
  let n = 0;
  for (let i = 0; i < keys.length && n < 64; i++) {
    const key = keys[i];
    if (typeof key !== 'string') continue;
    const d = getOwnPropertyDescriptor(o, key);
    if (!d || !d.enumerable) continue;
    shape += ',' + key;
    n++;
  }
  return hash(shape);
}
