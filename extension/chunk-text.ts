/**
 * A chunk's facts as the compact wire texts panels are sent (BackgroundToPanel `facts-text`),
 * when the relay's own texts are not exactly those facts: made by the runtime's encoder
 * (injected/batch-json.ts), the one writer of the wire, so the panel reads one encoding whoever
 * wrote it. Each text holds at most a runtime batch's facts and characters (LIMITS), as the
 * panel's validation requires of every part.
 */
import type { Fact } from '../protocol/facts.ts';
import { LIMITS } from '../protocol/limits.ts';
import type { EncodedFacts } from '../protocol/messages.ts';
import { encodeBatches } from '../injected/batch-json.ts';

export function encodeChunk(facts: Fact[]): EncodedFacts[] {
  const texts: EncodedFacts[] = [];
  for (let from = 0; from < facts.length; from += LIMITS.batch)
    encodeBatches(facts.slice(from, from + LIMITS.batch), LIMITS.json, (batch, count) =>
      texts.push({ json: batch.json, count }),
    );
  return texts;
}
