/**
 * What a paused panel holds back. Pausing freezes the picture, but it must not lose facts:
 * channel messaging is stateful, so a post recorded before the pause whose dispatch arrived
 * during it would stay "queued" forever, and a dispatch after the pause would be paired with
 * the wrong post. Facts that arrive while paused wait here, in arrival order, and are applied
 * together on resume. The hold is bounded in facts and in characters (large previews); when
 * full, the panel resumes rather than drop.
 */
import type { Fact } from '../protocol/facts.ts';
import { factChars } from './model/bodySize.ts';

/** Facts a pause may hold before the panel resumes by itself. */
export const HOLD_CAP = 200_000;
/** Characters a pause may hold (bodySize.ts: about 64 MB): large facts fill it before the count does. */
export const HOLD_CHARS = 32 * 1024 * 1024;

export class HeldFacts {
  private batches: (readonly Fact[])[] = [];
  private count = 0;
  private chars = 0;

  constructor(
    readonly cap = HOLD_CAP,
    readonly charCap = HOLD_CHARS,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Holds a batch; false when holding it would pass either bound (the batch is not held). */
  hold(facts: readonly Fact[]): boolean {
    if (this.count + facts.length > this.cap) return false;
    let chars = 0;
    for (const fact of facts) chars += factChars(fact);
    if (this.chars + chars > this.charCap) return false;
    this.batches.push(facts);
    this.count += facts.length;
    this.chars += chars;
    return true;
  }

  /** Everything held, oldest first, and empties the hold. */
  release(): Fact[] {
    const out = this.batches.flat();
    this.batches = [];
    this.count = 0;
    this.chars = 0;
    return out;
  }

  discard(): void {
    this.batches = [];
    this.count = 0;
    this.chars = 0;
  }
}
