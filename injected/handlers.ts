/**
 * Page handlers on ports run through a wrapper that counts and times them for the event's
 * `message-dispatched` record. A `message` handler's wrapper also observes the dispatch itself
 * when it is the first observer to run for it (observe.ts): on a port with an `onmessage`, it is
 * the only one. The wrapper lets exceptions pass with try/finally, never
 * catch-and-rethrow: a rethrow would move the reported location (window.onerror's filename,
 * line, column) into the runtime. What was thrown is read afterwards from the `error` event
 * the browser fires at the global when it reports the exception (see install.ts).
 */
import type { Fact } from '../protocol/facts.ts';
import { describeThrown } from './errors.ts';
import { apply, performanceNow } from './natives.ts';
import type { PortRecord } from './ids.ts';
import { observeDispatch } from './observe.ts';
import type { Runtime } from './runtime.ts';

type Dispatched = Extract<Fact, { kind: 'message-dispatched' }>;

let awaitingError: Dispatched | undefined;

/** Called with the `error` of an ErrorEvent reported at the global. */
export function noteReportedError(error: unknown): void {
  const fact = awaitingError;
  if (fact === undefined) return;
  awaitingError = undefined;
  fact.threw = describeThrown(error);
}

/**
 * A function to hand to the native in place of `listener` (a function or a handleEvent object).
 * `observed`: the runtime and the port record whose `message` dispatches it observes; none for
 * other event types, and for a port another realm's runtime observes.
 */
export function wrapHandler(
  listener: object,
  observed?: { rt: Runtime; record: PortRecord },
): (this: unknown, event: unknown) => unknown {
  const rt = observed?.rt;
  const record = observed?.record;
  return function (this: unknown, event: unknown): unknown {
    const fact = record === undefined ? undefined : observeDispatch(rt!, record, event as Event);
    const start = fact ? performanceNow() : 0;
    let returned = false;
    try {
      let result: unknown;
      if (typeof listener === 'function') result = apply(listener as () => unknown, this, arguments);
      else {
        // As natively: handleEvent is looked up at call time; a non-callable one is skipped.
        const handleEvent = (listener as { handleEvent?: unknown }).handleEvent;
        if (typeof handleEvent === 'function') result = apply(handleEvent as () => unknown, listener, arguments);
      }
      returned = true;
      return result;
    } finally {
      if (fact) {
        // Inline rather than through guarded(): no closure per dispatch. Nothing may escape to the page.
        try {
          fact.handlers++;
          fact.duration += performanceNow() - start;
          if (!returned && fact.threw === undefined) {
            fact.threw = { name: 'Error', message: '' };
            awaitingError = fact;
          }
        } catch {
          // The record stays as it was; the page's exception (if any) propagates untouched.
        }
      }
    }
  };
}
