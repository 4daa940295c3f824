/**
 * Carrier messages while counting (counted.ts): a `worker` or `window` carrier message that
 * transfers no port is a count per carrier kind in this context, posted or received, not a
 * `carrier-posted` / `carrier-received` fact. Nothing of the message is read: on arrival not
 * `event.data`, whose first read makes Chromium deserialize it (the page pays that itself), and no
 * fingerprint, which only pairs recorded carrier messages with the ports they carry. Service
 * worker carrier messages are always recorded: the client message queue diagnostic reads them.
 * The counts leave as `carriers-counted` facts whenever port counts do (counted.ts settleAllCounts),
 * on the same timer when nothing else takes them (counts-timer.ts).
 */
import type { CarrierKind } from '../protocol/facts.ts';
import { armCountsTimer } from './counts-timer.ts';
import { apply, eventIsTrusted, messageEventPorts } from './natives.ts';
import { reportCloneError } from './post.ts';
import type { CarrierCounts, Runtime } from './runtime.ts';
import { callSite } from './site.ts';

/** Whether messages of `carrier` are counted instead of recorded now (still to check: no port transferred). */
export function countsCarrier(rt: Runtime, carrier: CarrierKind): boolean {
  return !rt.recordMessages && (carrier === 'worker' || carrier === 'window');
}

function countsOf(rt: Runtime): CarrierCounts {
  let counts = rt.carrierCounts;
  if (counts === undefined) {
    // A literal of numbers: no page setter on Object.prototype is reached.
    counts = { worker: { posted: 0, received: 0 }, window: { posted: 0, received: 0 }, listed: false };
    rt.carrierCounts = counts;
  }
  if (!counts.listed) {
    counts.listed = true;
    armCountsTimer(rt);
  }
  return counts;
}

/**
 * A carrier post that transfers no port, while counting (countsCarrier): the native call and a
 * count. A clone error is reported in full, as a recorded post's is, with its call site taken
 * here, inside the same wrapper frame.
 */
export function countedCarrierPost(
  rt: Runtime,
  native: (...a: unknown[]) => unknown,
  self: unknown,
  args: unknown[],
  carrier: 'worker' | 'window',
): undefined {
  try {
    apply(native, self, args);
  } catch (e) {
    reportCloneError(rt, e, carrier, 0, rt.config.captureStacks ? callSite() : undefined);
    throw e;
  }
  countsOf(rt)[carrier].posted++;
  return undefined;
}

/**
 * A `message` event at a carrier target while counting: counted, and true, when it is trusted
 * and carries no port; false when the runtime's listener must record it as before (or ignore
 * it, when untrusted). Never throws into the dispatch.
 */
export function countedCarrierArrival(rt: Runtime, carrier: 'worker' | 'window', event: Event): boolean {
  try {
    if (!eventIsTrusted(event)) return false;
    if ((messageEventPorts(event) as readonly object[]).length !== 0) return false;
  } catch {
    return false;
  }
  countsOf(rt)[carrier].received++;
  return true;
}
