/**
 * What a paused panel holds back. Pausing freezes the picture, but it must not lose facts:
 * channel messaging is stateful, so a post recorded before the pause whose dispatch arrived
 * during it would stay "queued" forever, and a dispatch after the pause would be paired with
 * the wrong post. Facts that arrive while paused wait here, in arrival order, and are applied
 * together on resume. The hold is bounded; when full, the panel resumes rather than drop.
 */
import type { Fact } from '../protocol/facts.ts';

/** Facts a pause may hold before the panel resumes by itself (about 100 MB at worst). */
export const HOLD_CAP = 200_000;

export class HeldFacts {
  private batches: (readonly Fact[])[] = [];
  private count = 0;

  constructor(readonly cap = HOLD_CAP) {}

  get size(): number {
    return this.count;
  }

  /** Holds a batch; false when holding it would pass the cap (the batch is not held). */
  hold(facts: readonly Fact[]): boolean {
    if (this.count + facts.length > this.cap) return false;
    this.batches.push(facts);
    this.count += facts.length;
    return true;
  }

  /** Everything held, oldest first, and empties the hold. */
  release(): Fact[] {
    const out = this.batches.flat();
    this.batches = [];
    this.count = 0;
    return out;
  }

  discard(): void {
    this.batches = [];
    this.count = 0;
  }
}
