/**
 * Colour by wait: how long a message sat in the port message queue (post → dispatch), in
 * classes a person can read off a legend. A message whose wait is not known has a class of its
 * own (still queued, dropped, or one end not observed: a receiver whose dispatch cannot be seen,
 * a post inferred or only bounded), never a guessed wait.
 */
export type WaitClass = 'w0' | 'w1' | 'w2' | 'w3' | 'w4' | 'queued' | 'dropped' | 'unobserved';

/** Upper bounds (ms, exclusive) of w0…w3; w4 is everything at or above the last. */
export const WAIT_BOUNDS = [1, 16, 100, 1000] as const;

export const WAIT_LEGEND: { cls: WaitClass; label: string }[] = [
  { cls: 'w0', label: '< 1 ms' },
  { cls: 'w1', label: '1–16 ms' },
  { cls: 'w2', label: '16–100 ms' },
  { cls: 'w3', label: '0.1–1 s' },
  { cls: 'w4', label: '≥ 1 s' },
  { cls: 'queued', label: 'still queued' },
  { cls: 'dropped', label: 'dropped' },
  { cls: 'unobserved', label: 'wait unknown' },
];

/** The class of a wait in ms (a negative wait, clocks of two processes, reads as the shortest). */
export function waitClass(waitMs: number): WaitClass {
  if (waitMs < WAIT_BOUNDS[0]) return 'w0';
  if (waitMs < WAIT_BOUNDS[1]) return 'w1';
  if (waitMs < WAIT_BOUNDS[2]) return 'w2';
  if (waitMs < WAIT_BOUNDS[3]) return 'w3';
  return 'w4';
}

/** Index of a class in WAIT_LEGEND (for typed-array colour lookups). */
export function waitClassIndex(cls: WaitClass): number {
  return WAIT_LEGEND.findIndex((l) => l.cls === cls);
}
