/**
 * Waits across contexts. Each context stamps its facts with its own clock; two contexts' clocks
 * agree only roughly (time origins are coarsened, and another process's clock is another
 * clock), so a dispatch in one context can read earlier than its post in another: a negative
 * wait, which cannot be.
 *
 * Causal order bounds the difference. With `c_X` the offset of context X's clock, a message from
 * A to B measures `dispatchedAt − postedAt = wait + (c_B − c_A)` with `wait ≥ 0`, so
 * `c_B − c_A ≤` the smallest measure from A to B, and `≥ −`the smallest measure from B to A. The
 * model keeps those two smallest measures per pair of contexts and takes for `c_B − c_A` the
 * value in that interval closest to 0 (no correction when the clocks never contradict causal
 * order). Such a wait is approximate, and says so; it is never negative.
 */
import type { MessageRecord, MessageWait } from './types.ts';
import type { ModelState } from './state.ts';

/** Pairs of contexts whose smallest measure is kept; past it, waits are only bounded at 0. */
const PAIRS_KEPT = 100_000;

function least(state: ModelState, from: string, to: string): number | undefined {
  return state.leastMeasures.get(from)?.get(to);
}

/** Whether both times of a delivered message are the moments themselves (not report times or stand-ins). */
function timed(message: MessageRecord): boolean {
  return message.postObserved && !message.counted && !message.postEvicted && !message.dispatchCounted;
}

/** A message was dispatched: its measure bounds the two contexts' clock difference. */
export function noteDelivery(state: ModelState, message: MessageRecord): void {
  const to = message.to.context;
  const from = message.from.context;
  if (message.dispatchedAt === undefined || to === null || to === from || !timed(message)) return;
  const measure = message.dispatchedAt - message.postedAt;
  let row = state.leastMeasures.get(from);
  const known = row?.get(to);
  if (known !== undefined) {
    if (measure < known) row?.set(to, measure);
    return;
  }
  if (state.measuredPairs >= PAIRS_KEPT) return;
  if (!row) {
    row = new Map();
    state.leastMeasures.set(from, row);
  }
  row.set(to, measure);
  state.measuredPairs++;
}

/** The estimate of `c_to − c_from`: within what causal order allows, closest to 0. */
function clockDifference(state: ModelState, from: string, to: string): number {
  const high = least(state, from, to) ?? Infinity;
  const reverse = least(state, to, from);
  const low = reverse === undefined ? -Infinity : -reverse;
  // Jitter can make the bounds cross: then the middle of the two.
  if (low > high) return (low + high) / 2;
  return Math.min(Math.max(0, low), high);
}

/** How long a delivered message waited between its post and its dispatch (ms), or -1 when unknown. */
export function waitMs(state: ModelState, message: MessageRecord): number {
  const { dispatchedAt, postedAt } = message;
  // A post inferred at its dispatch has no time of its own.
  if (dispatchedAt === undefined || !message.postObserved) return -1;
  const measure = dispatchedAt - postedAt;
  const to = message.to.context;
  if (!timed(message) || to === null || to === message.from.context) return Math.max(0, measure);
  return Math.max(0, measure - clockDifference(state, message.from.context, to));
}

/** Whether a wait rests on two clocks, or on a report's time instead of the moment itself. */
export function approximateWait(message: MessageRecord): boolean {
  return !timed(message) || (message.to.context !== null && message.to.context !== message.from.context);
}

/** How long a delivered message waited, or undefined when unknown. */
export function waitOf(state: ModelState, message: MessageRecord): MessageWait | undefined {
  const ms = waitMs(state, message);
  return ms < 0 ? undefined : { ms, approximate: approximateWait(message) };
}
