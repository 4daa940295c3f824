/**
 * A bounded, JSON-safe picture of a message (protocol Preview), a byte estimate, and a
 * fingerprint of its top-level shape. Called only after a successful structured clone (or on
 * a freshly deserialized value), so the graph holds no Proxy; even so it reads only own
 * data properties — through descriptors on the sender's value, with plain loads on a
 * deserialized one, which has no other kind — and host internals through brand-checked natives:
 * no page getter, toString or valueOf ever runs. Large binary data is described, never scanned.
 * A transferred ArrayBuffer is detached by then: its size is taken before the post
 * (`SizesBeforePost`, injected/post.ts) and used here.
 *
 * Dehydrated: containers below the depth bound, or past the node bound, are not walked; each
 * becomes a `more` node that says what it is and how big (keys, length, entries), read with one
 * native call. How much is walked is the runtime's config (`PreviewBounds`).
 */
import type { CutKind, Preview, PreviewBounds } from '../protocol/facts.ts';
import { PREVIEW_BOUNDS, PREVIEW_FULL, PREVIEW_MIN } from '../protocol/facts.ts';
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
  mathFloor,
  numberToString,
  numberValueOf,
  objectKeys,
  regexpFlagGetters,
  regexpSource,
  setForEach,
  setPrototypeOf,
  setSize,
  sharedArrayBufferByteLength,
  stringFromCharCode,
  stringSlice,
  stringValueOf,
  symbolToStringTag,
  typedArrayByteLength,
  typedArrayLength,
  typedArrayTag,
} from './natives.ts';
import { errorFields } from './errors.ts';
import { slotsOf } from './slots.ts';
import { putKey } from './own-index.ts';

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

/** An own data value of the config that is an integer, clamped to [min, max]; else the default. */
function bound(raw: object, key: keyof PreviewBounds): number {
  const d = getOwnPropertyDescriptor(raw, key);
  const v = d !== undefined && hasOwn(d, 'value') ? d.value : undefined;
  if (typeof v !== 'number' || v !== v || v % 1 !== 0) return PREVIEW_BOUNDS[key];
  return v < PREVIEW_MIN[key] ? PREVIEW_MIN[key] : v > PREVIEW_FULL[key] ? PREVIEW_FULL[key] : v;
}

/**
 * Preview bounds from a config that crossed a boundary (the relay, a recorder's global): own
 * data properties only, each clamped to what the validators accept (PREVIEW_MIN..PREVIEW_FULL).
 */
export function previewBoundsOf(raw: unknown): PreviewBounds {
  if (typeof raw !== 'object' || raw === null) return PREVIEW_BOUNDS;
  return {
    depth: bound(raw, 'depth'),
    keys: bound(raw, 'keys'),
    stringLength: bound(raw, 'stringLength'),
    nodes: bound(raw, 'nodes'),
    chars: bound(raw, 'chars'),
  };
}

/**
 * The `preview` bounds of a config object that crossed a boundary, read as an own data property
 * (a config without one must not look it up where a page getter could answer); undefined when absent.
 */
export function ownPreviewBounds(config: object): PreviewBounds | undefined {
  const d = getOwnPropertyDescriptor(config, 'preview');
  return d !== undefined && hasOwn(d, 'value') && d.value !== undefined ? previewBoundsOf(d.value) : undefined;
}

const ArrayPrototype: object = getPrototypeOf([]) as object;

/** Lists up to this many items are made as literals of their exact size (`sized`). */
const SIZED_MAX = 16;

/**
 * A list of the preview (items, entries) for `n` children, written so that no setter a page put
 * on Array.prototype or Object.prototype runs: writing an index of an ordinary array that lacks it
 * looks the index up on the prototypes, but writing one it already has (own, writable) does not.
 * So a list of at most SIZED_MAX children is an array literal of exactly `n` own elements, each
 * written over; a longer one (only with bounds above the default) is filled with no prototype and
 * given it back by `done`. In Chromium, emptying and restoring the prototype of a list of six
 * cost 0.3–0.75 µs, the literal 0.02 µs (BENCHMARKS.md, "Recording path, step 3");
 * `Reflect.defineProperty` per element was slower still (BENCHMARKS.md, "Dehydrated previews").
 */
function list<T>(n: number): T[] {
  if (n <= SIZED_MAX) return sized(n) as T[];
  const out: T[] = [];
  setPrototypeOf(out, null);
  return out;
}

/** `list(n)` once `filled` children are written: cut to them (a list of the length it holds). */
function done<T>(list: T[], n: number, filled: number): T[] {
  if (n > SIZED_MAX) setPrototypeOf(list, ArrayPrototype);
  // The array's own `length`: setting it runs no page code.
  else if (filled < n) list.length = filled;
  return list;
}

/** An array of exactly `n` own elements (n ≤ SIZED_MAX), from a literal: no index is looked up. */
function sized(n: number): unknown[] {
  const u = undefined;
  switch (n) {
    case 0:
      return [];
    case 1:
      return [u];
    case 2:
      return [u, u];
    case 3:
      return [u, u, u];
    case 4:
      return [u, u, u, u];
    case 5:
      return [u, u, u, u, u];
    case 6:
      return [u, u, u, u, u, u];
    case 7:
      return [u, u, u, u, u, u, u];
    case 8:
      return [u, u, u, u, u, u, u, u];
    case 9:
      return [u, u, u, u, u, u, u, u, u];
    case 10:
      return [u, u, u, u, u, u, u, u, u, u];
    case 11:
      return [u, u, u, u, u, u, u, u, u, u, u];
    case 12:
      return [u, u, u, u, u, u, u, u, u, u, u, u];
    case 13:
      return [u, u, u, u, u, u, u, u, u, u, u, u, u];
    case 14:
      return [u, u, u, u, u, u, u, u, u, u, u, u, u, u];
    case 15:
      return [u, u, u, u, u, u, u, u, u, u, u, u, u, u, u];
    case 16:
      return [u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u];
    default:
      throw new RangeError('sized: at most ' + SIZED_MAX);
  }
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
/** How many objects a walk looks up by comparing, before it keeps the rest in a Map (at most SIZED_MAX). */
const FEW_SEEN = 8;
/** A ref's path is a label; past this it is cut (protocol/preview-shape.ts bounds it). */
const PATH_MAX = 1_024;

class Walker {
  nodes = 0;
  bytes = 0;
  /** Characters of text left to emit (every text is charged, as the validator counts them). */
  private chars: number;
  /**
   * The objects met so far and their places, for `ref`: the first FEW_SEEN in two lists made on
   * the first object (most messages are a primitive) and searched in order, the rest in a Map
   * made when they overflow. A message of a few objects then pays a compare per object met
   * instead of a Map and an identity hash for each (BENCHMARKS.md, "Recording path, step 3").
   */
  private seenObjects: object[] | undefined;
  private seenPlaces: Place[] | undefined;
  private seenCount = 0;
  private seenMore: Map<object, Place> | undefined;

  constructor(
    private readonly portId: (x: object) => number | undefined,
    /**
     * The value is event.data of a trusted event of this realm, made by
     * StructuredDeserialize before any page code held it (the runtime observes a dispatch
     * first, observe.ts). Every own property it made is a data property (CreateDataProperty),
     * so an own key is read with a plain load: no descriptor object per key, and no getter can
     * run. A hole of a deserialized sparse array is still not read (hasOwn first).
     */
    private readonly deserialized: boolean,
    private readonly before: SizesBeforePost | undefined,
    private readonly bounds: PreviewBounds,
  ) {
    this.chars = bounds.chars;
  }

  /** `s` cut to the string bound and to the characters left, and charged. */
  private text(s: string): string {
    const left = this.chars > 0 ? this.chars : 0;
    const max = left < this.bounds.stringLength ? left : this.bounds.stringLength;
    const out = s.length > max ? stringSlice(s, 0, max) : s;
    this.chars -= out.length;
    return out;
  }

  /** Puts `s` cut at `field` of the runtime's own `out`, and its original length at `field + 'Len'` when it was cut. */
  private putText(out: object, field: string, s: string): void {
    const shown = this.text(s);
    putKey(out, field, shown);
    if (shown.length < s.length) putKey(out, field + 'Len', s.length);
  }

  private string(s: string): Preview {
    const v = this.text(s);
    return v.length < s.length ? { t: 'string', v, len: s.length, truncated: true } : { t: 'string', v, len: s.length };
  }

  private bigint(n: bigint): Preview {
    const digits = bigintToString ? bigintToString(n) : '';
    const v = this.text(digits);
    return v.length < digits.length
      ? { t: 'bigint', v, len: digits.length, truncated: true }
      : { t: 'bigint', v: digits };
  }

  /**
   * Whether another child may be listed: every node emitted is counted, so a container open when
   * the bound is reached lists no more (and says it was cut) instead of overshooting it.
   */
  private room(): boolean {
    return this.nodes < this.bounds.nodes;
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
        return this.bigint(v);
      case 'string':
        this.bytes += v.length;
        return this.string(v);
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
    const prior = this.placeOf(obj);
    if (prior !== undefined) {
      const path = pathOf(prior);
      const left = this.chars > 0 ? this.chars : 0;
      const max = left < PATH_MAX ? left : PATH_MAX;
      const shown = path.length > max ? stringSlice(path, 0, max) : path;
      this.chars -= shown.length;
      return { t: 'ref', path: shown };
    }
    const place: Place = { up, step, named };
    this.remember(obj, place);
    return this.object(obj, depth, place);
  }

  /** Where `o` was met first, if it was. */
  private placeOf(o: object): Place | undefined {
    const objects = this.seenObjects;
    if (objects === undefined) return undefined;
    const count = this.seenCount;
    for (let i = 0; i < count; i++) if (objects[i] === o) return this.seenPlaces![i];
    return this.seenMore === undefined ? undefined : mapGet(this.seenMore, o);
  }

  private remember(o: object, place: Place): void {
    if (this.seenObjects === undefined) {
      // Own elements from the start (list() explains why): writing them looks up no setter.
      this.seenObjects = sized(FEW_SEEN) as object[];
      this.seenPlaces = sized(FEW_SEEN) as Place[];
    }
    if (this.seenCount < FEW_SEEN) {
      this.seenObjects[this.seenCount] = o;
      this.seenPlaces![this.seenCount++] = place;
      return;
    }
    this.seenMore ??= new NativeMap<object, Place>();
    mapSet(this.seenMore, o, place);
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
        return { t: 'typedarray', ctor: this.text(typedArrayTag(o)), length, byteLength };
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
        // At most 8 characters, never cut (limits.ts leaves room for them beyond the budget).
        const shown = this.text(source);
        return shown.length < source.length
          ? { t: 'regexp', source: shown, flags, sourceLen: source.length }
          : { t: 'regexp', source: shown, flags };
      }
      case 'blob': {
        const size = blobSize!(o) as number;
        this.bytes += size;
        const type = blobType!(o) as string;
        const name = probe(fileName, o) as string | undefined;
        // Rare kinds: their optional fields are defined (putKey), never assigned, as elsewhere.
        const p = { t: 'blob', size };
        this.putText(p, 'type', type);
        if (name !== undefined) this.putText(p, 'name', name);
        return p as Preview;
      }
      // The inner value is a node of its own.
      case 'number':
        this.nodes++;
        return { t: 'boxed', inner: numberPreview(numberValueOf(o)) };
      case 'string':
        this.nodes++;
        return { t: 'boxed', inner: this.string(stringValueOf(o)) };
      case 'boolean':
        this.nodes++;
        return { t: 'boxed', inner: { t: 'boolean', v: booleanValueOf(o) } };
      case 'bigint':
        this.nodes++;
        return { t: 'boxed', inner: this.bigint(bigintValueOf!(o)) };
      case 'error': {
        const { name, message } = errorFields(o);
        const p = { t: 'error' };
        this.putText(p, 'name', name);
        this.putText(p, 'message', message);
        return p as Preview;
      }
    }
    if (slots === 'ordinary') {
      const port = this.portId(o);
      if (port !== undefined) return { t: 'messageport', port };
    }
    const cut = depth >= this.bounds.depth || this.nodes >= this.bounds.nodes;
    switch (slots) {
      case 'map':
        return cut ? this.more('map', mapSize(o)) : this.map(o, mapSize(o), depth, place);
      case 'set':
        return cut ? this.more('set', setSize(o)) : this.set(o, setSize(o), depth, place);
      case 'array':
        return cut ? this.more('array', (o as unknown[]).length) : this.array(o as unknown[], depth, place);
    }
    const tag = safeTag(o);
    if (tag !== 'Object') {
      const shown = this.text(tag);
      return shown.length < tag.length ? { t: 'host', tag: shown, tagLen: tag.length } : { t: 'host', tag: shown };
    }
    return cut ? this.more('object', objectKeys(o).length) : this.plain(o, depth, place);
  }

  /** A container left unwalked, described by its kind and size (one native call, no walk). */
  private more(kind: CutKind, size: number): Preview {
    return { t: 'more', kind, size };
  }

  private array(a: unknown[], depth: number, place: Place): Preview {
    const len = a.length;
    const max = len < this.bounds.keys ? len : this.bounds.keys;
    const items = list<Preview>(max);
    let i = 0;
    for (; i < max && this.room(); i++) {
      if (this.deserialized) {
        // Own data elements only (see `deserialized`); a hole is not read: that read would reach the prototypes.
        items[i] = hasOwn(a, i) ? this.value(a[i], depth + 1, place, i, LITERAL) : this.leaf('undefined');
        continue;
      }
      // A number key: ToPropertyKey of a number runs no page code.
      const d = getOwnPropertyDescriptor(a, i);
      items[i] =
        d && hasOwn(d, 'value')
          ? this.value(d.value, depth + 1, place, i, LITERAL)
          : this.leaf(d ? 'getter' : 'undefined');
    }
    return i < len
      ? { t: 'array', len, items: done(items, max, i), truncated: true }
      : { t: 'array', len, items: done(items, max, i) };
  }

  private plain(o: object, depth: number, place: Place): Preview {
    // Enumerable own string keys, in own-key order: exactly what the clone copied.
    const keys = objectKeys(o);
    const count = keys.length;
    const max = count < this.bounds.keys ? count : this.bounds.keys;
    const entries = list<[string, Preview, number?]>(max);
    let n = 0;
    for (; n < max && this.room(); n++) {
      const key = keys[n];
      // An own key of a deserialized object is a data property (see `deserialized`): read as it is.
      const d = this.deserialized ? undefined : getOwnPropertyDescriptor(o, key);
      this.bytes += key.length;
      // A ref's path names this place by the cut key, so paths stay within the bound too.
      const shown = this.text(key);
      const v = this.deserialized
        ? this.value((o as Record<string, unknown>)[key], depth + 1, place, shown, NAMED)
        : d && hasOwn(d, 'value')
          ? this.value(d.value, depth + 1, place, shown, NAMED)
          : this.leaf('getter');
      entries[n] = shown.length < key.length ? [shown, v, key.length] : [shown, v];
    }
    return n < count
      ? { t: 'object', entries: done(entries, max, n), keys: count, truncated: true }
      : { t: 'object', entries: done(entries, max, n), keys: count };
  }

  private map(m: object, size: number, depth: number, place: Place): Preview {
    const max = size < this.bounds.keys ? size : this.bounds.keys;
    const entries = list<[Preview, Preview]>(max);
    let n = 0;
    mapForEach(m, (v, k) => {
      if (n < max && this.room())
        entries[n++] = [
          this.value(k, depth + 1, place, '<key>', LITERAL),
          this.value(v, depth + 1, place, '<value>', LITERAL),
        ];
    });
    return n < size
      ? { t: 'map', size, entries: done(entries, max, n), truncated: true }
      : { t: 'map', size, entries: done(entries, max, n) };
  }

  private set(s: object, size: number, depth: number, place: Place): Preview {
    const max = size < this.bounds.keys ? size : this.bounds.keys;
    const items = list<Preview>(max);
    let n = 0;
    setForEach(s, (v) => {
      if (n < max && this.room()) items[n++] = this.value(v, depth + 1, place, '<item>', LITERAL);
    });
    return n < size
      ? { t: 'set', size, items: done(items, max, n), truncated: true }
      : { t: 'set', size, items: done(items, max, n) };
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
  bounds: PreviewBounds = PREVIEW_BOUNDS,
): Described {
  // A number, the most common message, needs no walker: what its first case (value) gives.
  if (typeof value === 'number') return { preview: numberPreview(value), bytes: 8 };
  const w = new Walker(portId, deserialized, before, bounds);
  const preview = w.value(value, 0, null, '$', LITERAL);
  return { preview, bytes: w.bytes };
}

const FNV_OFFSET = 0x811c9dc5;

/**
 * One FNV-1a step: the character code into the hash, then the prime's product as a double and its
 * low 32 bits (past 2^53 the product is rounded: that is what the prints have always been).
 */
const fnvStep = (h: number, code: number): number => ((h ^ code) * 0x01000193) >>> 0;

/** FNV-1a over a short shape string; 8 hex digits. */
function hash(s: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = fnvStep(h, charCodeAt(s, i));
  return hex(h);
}

/** The character code of hex digit `d` (0–15). */
const hexCode = (d: number): number => (d < 10 ? 48 + d : 87 + d);

/**
 * `h.toString(16)` of a uint32 (lowercase, no leading zeros) as one string of its eight digits,
 * cut when it starts with zeros: Number's toString with a radix other than 10 is a runtime call in
 * V8 that cost most of a number's fingerprint, and digits joined one by one make a string each.
 */
function hex(h: number): string {
  const s = stringFromCharCode(
    hexCode(h >>> 28),
    hexCode((h >>> 24) & 15),
    hexCode((h >>> 20) & 15),
    hexCode((h >>> 16) & 15),
    hexCode((h >>> 12) & 15),
    hexCode((h >>> 8) & 15),
    hexCode((h >>> 4) & 15),
    hexCode(h & 15),
  );
  if (h >>> 28 !== 0) return s;
  let zeros = 1;
  while (zeros < 7 && h >>> (28 - 4 * zeros) === 0) zeros++;
  return stringSlice(s, zeros);
}

/**
 * `hash('n' + n)` for an int32 `n` other than −0 (its decimal digits, a '-' before a negative
 * one), computed from the digits without making the string or reading it back one character
 * at a time through the captured charCodeAt: a counter is the most common message there is.
 */
function integerPrint(n: number): string {
  let h = fnvStep(FNV_OFFSET, 110); // 'n'
  if (n < 0) {
    h = fnvStep(h, 45); // '-'
    n = -n;
  }
  let p = 1;
  while (p * 10 <= n) p *= 10;
  for (; p >= 1; p /= 10) h = fnvStep(h, 48 + (mathFloor(n / p) % 10));
  return hex(h);
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
      if (value === (value | 0) && (value !== 0 || 1 / value > 0)) return integerPrint(value);
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
  // Enumerable own string keys in own-key order, as the clone copies them (no descriptor each).
  return shapePrint(objectKeys(o));
}

/**
 * The key lists fingerprinted last and their prints: a page sends records of a few shapes again
 * and again, and comparing the keys (the engine's own strings, compared by identity when equal)
 * costs far less than joining and hashing them. Several, not one: a request and its reply have
 * different shapes, and an RPC page alternates them at every call, which made a single remembered
 * shape miss every time (BENCHMARKS.md, "The page's recording path, step 5"). The lists are the
 * runtime's own (`Object.keys` made them); both arrays have their own elements from the start
 * (`sized`), so writing one looks up no setter.
 */
const SHAPES = 8;
const shapeKeys = sized(SHAPES) as (string[] | undefined)[];
const shapePrints = sized(SHAPES) as string[];
/** The slot the next new shape takes (the oldest one, once all are taken). */
let shapeNext = 0;

/** The first `n` keys, in a list of the runtime's own (no prototype: writing an index runs no setter). */
function firstKeys(keys: string[], n: number): string[] {
  const out = list<string>(n);
  for (let i = 0; i < n; i++) out[i] = keys[i];
  return out;
}

function shapePrint(keys: string[]): string {
  const n = keys.length < 64 ? keys.length : 64;
  for (let s = 0; s < SHAPES; s++) {
    const known = shapeKeys[s];
    if (known === undefined) break;
    if ((known.length < 64 ? known.length : 64) !== n) continue;
    let i = 0;
    while (i < n && known[i] === keys[i]) i++;
    if (i === n) return shapePrints[s];
  }
  let shape = 'o';
  for (let i = 0; i < n; i++) shape += ',' + keys[i];
  const print = hash(shape);
  // Only what the print reads is kept: a page's list of a million keys is not held eight times.
  shapeKeys[shapeNext] = keys.length > 64 ? firstKeys(keys, 64) : keys;
  shapePrints[shapeNext] = print;
  shapeNext = shapeNext + 1 === SHAPES ? 0 : shapeNext + 1;
  return print;
}
