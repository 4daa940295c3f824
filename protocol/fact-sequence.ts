/**
 * Every context numbers its facts 1, 2, 3… (injected/emitter.ts; a fact the runtime drops is
 * never numbered, it is counted in a `facts-dropped` fact). A receiver that notes each fact's
 * number knows exactly how many were numbered and never reached it: the facts lost on the way,
 * counted even when nothing else saw them go.
 */
export class FactSequence {
  /** Facts numbered by their context that never arrived here. */
  missing = 0;
  private readonly last = new Map<string, number>();

  /** `cap` bounds the contexts remembered; a context beyond it is not checked. */
  constructor(private readonly cap = 10_000) {}

  note(ctx: unknown, seq: unknown): void {
    if (typeof ctx !== 'string' || typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return;
    const last = this.last.get(ctx);
    if (last === undefined) {
      if (this.last.size >= this.cap) return;
      this.missing += seq - 1;
    } else if (seq > last + 1) this.missing += seq - last - 1;
    // A number at or below the last one is a late or repeated fact: the model counts it.
    if (last === undefined || seq > last) this.last.set(ctx, seq);
  }
}
