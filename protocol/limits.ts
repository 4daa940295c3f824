/**
 * Bounds for untrusted input: what the runtime can emit (PREVIEW_FULL, the largest preview any
 * setting allows, and injected/site.ts) with a small margin, so that a fact the runtime never
 * makes is rejected (and counted) instead of costing the background and the panel memory. One
 * fact's preview holds at most `previewChars` characters; before these bounds a fact could hold
 * 2,000 × 65,536.
 */
import { PREVIEW_FULL } from './facts.ts';
import { RUNTIME_JSON_MAX_CHARS } from './messages.ts';

export const LIMITS = {
  /** Any single string field outside a preview (URLs, error messages). */
  string: 65_536,
  /** Ids such as `ctx`. */
  id: 256,
  /**
   * Nodes in one preview tree. The runtime counts every node it emits and checks the bound
   * before each child; a map entry (two nodes) and a boxed value's inner one may pass it by a few.
   */
  previewNodes: PREVIEW_FULL.nodes + 16,
  /** The runtime's depth bound, plus the leaves under the deepest containers and a boxed value's inner one. */
  previewDepth: PREVIEW_FULL.depth + 3,
  /** A string value in a preview: the runtime cuts them at the string bound (PREVIEW_FULL's at most). */
  previewString: PREVIEW_FULL.stringLength + 8,
  /**
   * Any other string in a preview (a key, a RegExp source, an error message, a BigInt's digits):
   * the runtime cuts them at the string bound too (traces written before it did hold keys of up to 4,096).
   */
  previewText: PREVIEW_FULL.stringLength + 8,
  /** Items or entries of one container in a preview: the runtime lists at most the keys bound. */
  previewList: PREVIEW_FULL.keys,
  /** A `ref` node's path: a label the runtime cuts at 1,024 (older traces: 4,096). */
  previewPath: 4_096,
  /**
   * Characters of all strings in one preview together: the runtime charges every text it emits
   * against PREVIEW_FULL.chars at most, except a RegExp's flags (8 at most per node, never cut).
   */
  previewChars: PREVIEW_FULL.chars + 8 * (PREVIEW_FULL.nodes + 16),
  /** Entries of a transfer list or an `event.ports` list. */
  list: 10_000,
  /** Call-site lines: the runtime keeps 12 frames of at most 300 characters (injected/site.ts). */
  stackLines: 16,
  stackLine: 512,
  /** Facts in one batch. */
  batch: 10_000,
  /** Characters of one runtime batch's JSON text (a full batch of large previews stays well under). */
  json: RUNTIME_JSON_MAX_CHARS,
  /** JSON texts in one relay batch. */
  jsonParts: 10_000,
  /** Keys of one set of counts (facts per kind, batches per relay). */
  countKeys: 256,
  /** The in-worker runtime's text is tens of KB; this bound only stops a runaway. */
  workerRuntime: 1_048_576,
  /** A runtime message sent as JSON text (the standalone runtime's encoding). */
  runtimeText: 64 * 1024 * 1024,
} as const;
