/**
 * The runtime's own failures must never reach the page: an exception from a listener of ours
 * would be reported to the page's `window.onerror`, one from bookkeeping after a native call
 * would turn a sent message into a throw. Guarded work reports a `runtime-note` instead
 * (once per code, so a repeating failure cannot flood the buffer).
 */
import { describeThrown } from './errors.ts';
import { objectCreate } from './natives.ts';
import type { Runtime } from './runtime.ts';

const reported = objectCreate(null) as Record<string, true>;

export function guarded<T>(rt: Runtime | undefined, code: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (e) {
    if (rt) noteFailure(rt, code, e);
    return undefined;
  }
}

/**
 * What guarded() does with a failure, for a hot path that catches it itself: guarded() would
 * cost a closure per call there.
 */
export function noteFailure(rt: Runtime, code: string, e: unknown): void {
  if (reported[code]) return;
  reported[code] = true;
  try {
    const { name, message } = describeThrown(e);
    rt.emitter.emit({ kind: 'runtime-note', ctx: rt.ctx, code, message: name + ': ' + message });
  } catch {
    // Nothing more can be done without risking the page.
  }
}
