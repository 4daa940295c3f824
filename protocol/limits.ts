/**
 * Bounds for untrusted input: what the runtime can emit (PREVIEW_BOUNDS, injected/site.ts) with
 * a small margin, so that a fact the runtime never makes is rejected (and counted) instead of
 * costing the background and the panel memory. One fact's preview holds at most
 * `previewChars` characters; before these bounds a fact could hold 2,000 × 65,536.
 */
import { PREVIEW_BOUNDS } from './facts.ts';
import { RUNTIME_JSON_MAX_CHARS } from './messages.ts';

export const LIMITS = {
  /** Any single string field outside a preview (URLs, error messages). */
  string: 65_536,
  /** Ids such as `ctx`. */
  id: 256,
  /**
   * Nodes in one preview tree. The runtime stops expanding at PREVIEW_BOUNDS.nodes, but the
   * containers open at that moment still list their remaining entries (at most `keys` pairs
   * per level), and array holes, accessors and boxed values add nodes it does not count.
   */
  previewNodes: 512,
  /** The runtime's depth bound, plus the leaves under the deepest containers and a boxed value's inner one. */
  previewDepth: PREVIEW_BOUNDS.depth + 3,
  /** A string value in a preview: the runtime cuts them at PREVIEW_BOUNDS.stringLength. */
  previewString: PREVIEW_BOUNDS.stringLength + 8,
  /**
   * Any other string in a preview (a key, a RegExp source, an error message, a BigInt's digits):
   * the runtime cuts them at PREVIEW_BOUNDS.stringLength too; traces written before it did may hold longer ones.
   */
  previewText: 4_096,
  /** Characters of all strings in one preview together. */
  previewChars: 262_144,
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
