/**
 * The facts an extension's background holds for one page, once they stop arriving: batches
 * flush on a ~50 ms timer in every context, so the count must hold for three reads in a row.
 * Only the contexts born on the page count (the previous page's late pagehide is not part of it).
 */
import type { Fact } from '../../protocol/facts.ts';

export async function settledFactsBornOnPage(read: () => Promise<Fact[]>, intervalMs: number): Promise<Fact[]> {
  let last = -1;
  let facts: Fact[] = [];
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, intervalMs));
    facts = await read();
    stable = facts.length === last ? stable + 1 : 0;
    last = facts.length;
  }
  return bornOn(facts);
}

/** The facts of the contexts that announced themselves among `facts`. */
function bornOn(facts: Fact[]): Fact[] {
  const born = new Set(facts.filter((f) => f.kind === 'context').map((f) => f.ctx));
  return facts.filter((f) => born.has(f.ctx));
}
