/**
 * The preview bounds as panel settings: how much of each message the runtime records (the
 * "Message previews" block of the settings dialog), checked before they go to the runtime.
 */
import { PREVIEW_BOUNDS, PREVIEW_FULL, PREVIEW_MIN, type PreviewBounds } from '../protocol/facts.ts';

/** The bounds a user sets, in the dialog's order; `nodes` and `chars` follow the mode. */
export const PREVIEW_FIELDS = [
  { field: 'depth', label: 'Depth (levels of nested objects)' },
  { field: 'keys', label: 'Keys or items per object' },
  { field: 'stringLength', label: 'Characters per string' },
] as const;

export type PreviewField = (typeof PREVIEW_FIELDS)[number]['field'];

/** Whether these are the "capture full data" bounds. */
export function isFull(b: PreviewBounds): boolean {
  return samePreviewBounds(b, PREVIEW_FULL);
}

export function samePreviewBounds(a: PreviewBounds | undefined, b: PreviewBounds | undefined): boolean {
  const x = a ?? PREVIEW_BOUNDS;
  const y = b ?? PREVIEW_BOUNDS;
  return (
    x.depth === y.depth &&
    x.keys === y.keys &&
    x.stringLength === y.stringLength &&
    x.nodes === y.nodes &&
    x.chars === y.chars
  );
}

/**
 * What is wrong with these bounds, or null: each must be an integer from PREVIEW_MIN to
 * PREVIEW_FULL (what the runtime and the validators accept).
 */
export function previewBoundsProblem(b: PreviewBounds): string | null {
  for (const field of ['depth', 'keys', 'stringLength', 'nodes', 'chars'] as const) {
    const v = b[field];
    const [lo, hi] = [PREVIEW_MIN[field], PREVIEW_FULL[field]];
    if (!Number.isInteger(v) || v < lo || v > hi)
      return `${field}: expected an integer from ${lo} to ${hi}, got ${String(v)}`;
  }
  return null;
}

/**
 * Bounds from the dialog's fields: full mode, or the three numbers over the default's node and
 * character budgets (raised so that the numbers asked for can be met on a wide, deep message).
 */
export function boundsFrom(full: boolean, depth: number, keys: number, stringLength: number): PreviewBounds {
  if (full) return PREVIEW_FULL;
  const nodes = Math.min(PREVIEW_FULL.nodes, Math.max(PREVIEW_BOUNDS.nodes, keys * depth * 4));
  const chars = Math.min(PREVIEW_FULL.chars, Math.max(PREVIEW_BOUNDS.chars, stringLength * 64));
  return { depth, keys, stringLength, nodes, chars };
}
