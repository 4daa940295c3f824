/**
 * The preview of a message's data (facts.ts `Preview`): a bounded, JSON-safe picture of a
 * structured-clone value, one node per value, told apart by `t`. Every text in it is charged to
 * the whole tree's character budget; the tree is bounded in nodes and depth as the runtime
 * makes it (injected/preview.ts), with the margins LIMITS explains.
 */
import type { Preview } from './facts.ts';
import { LIMITS } from './limits.ts';
import { count, flag, positive } from './primitives.ts';
import {
  type Agree,
  type Holds,
  type Infer,
  type PreviewShape,
  type StringShape,
  enumOf,
  list,
  optional,
  union,
} from './shape.ts';

/** A text of the preview, charged to its budget; the runtime cuts them at PREVIEW_BOUNDS.stringLength. */
const text = (max: number = LIMITS.previewText): StringShape => ({ s: 'string', max, charged: true });
const child = { s: 'child' } as const;
const children = list(child, LIMITS.previewList);
const truncated = optional(flag);
/** The original length of a text the runtime cut (present only when it was cut). */
const cutLength = optional(count);

const node = union(
  't',
  {},
  {
    undefined: {},
    null: {},
    boolean: { v: { s: 'boolean' } },
    number: { v: { s: 'numberValue', words: ['NaN', 'Infinity', '-Infinity', '-0'] } },
    bigint: { v: text(), truncated, len: cutLength },
    string: { v: text(LIMITS.previewString), len: count, truncated },
    array: { len: count, items: children, truncated },
    object: {
      entries: list(
        { s: 'tuple', items: [text(), child, count], min: 2, expected: 'a [key, preview, key length?] entry' },
        LIMITS.previewList,
      ),
      keys: count,
      truncated,
    },
    map: {
      size: count,
      entries: list({ s: 'tuple', items: [child, child], min: 2, expected: 'a [key, value] pair' }, LIMITS.previewList),
      truncated,
    },
    set: { size: count, items: children, truncated },
    date: { v: { s: 'dateValue' } },
    regexp: { source: text(), flags: text(16), sourceLen: cutLength },
    arraybuffer: { byteLength: count, shared: optional(flag) },
    typedarray: { ctor: text(LIMITS.id), length: count, byteLength: count },
    dataview: { byteLength: count },
    blob: { size: count, type: text(), name: optional(text()), typeLen: cutLength, nameLen: cutLength },
    error: { name: text(), message: text(), nameLen: cutLength, messageLen: cutLength },
    boxed: { inner: child },
    messageport: { port: positive },
    getter: {},
    host: { tag: text(LIMITS.id), tagLen: cutLength },
    more: { kind: optional(enumOf(['object', 'array', 'map', 'set'])), size: optional(count) },
    ref: { path: text(LIMITS.previewPath) },
    function: {},
    symbol: {},
  },
  'a preview type',
);

export const preview: PreviewShape = {
  s: 'preview',
  nodes: LIMITS.previewNodes,
  chars: LIMITS.previewChars,
  depth: LIMITS.previewDepth,
  tree: node,
};

/** facts.ts `Preview` and this shape describe the same nodes (checked when type-checking). */
export type PreviewAgrees = Holds<Agree<Preview, Infer<typeof node>, 't'>>;
