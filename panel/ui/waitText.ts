/**
 * How a wait in the port message queue is written wherever the panel shows one. The wait is the
 * model's (model.wait: clocks of two contexts aligned, never negative); `≈` says it rests on two
 * clocks or on a report's time, and a wait the model cannot know is said to be unknown.
 */
import type { MessageWait } from '../model/types.ts';

export const APPROXIMATE_TITLE =
  '≈ approximate: posted and dispatched in two contexts, whose clocks differ; ' +
  'aligned so that no message is dispatched before it was posted';

export const UNKNOWN_TITLE =
  'wait unknown: the sender is not observed, so its post is inferred at the dispatch and has no time of its own';

export const formatMs = (ms: number) =>
  Math.abs(ms) < 10 ? `${ms.toFixed(2)} ms` : ms < 10_000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;

/** `0.50 ms`, `≈0.50 ms`, or `wait unknown`. */
export function waitText(wait: MessageWait | undefined): string {
  if (wait === undefined) return 'wait unknown';
  return `${wait.approximate ? '≈' : ''}${formatMs(wait.ms)}`;
}
