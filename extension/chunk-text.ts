/**
 * A chunk's facts as the compact wire texts panels are sent (BackgroundToPanel `facts-text`),
 * and back. Made by the runtime's encoder (injected/batch-json.ts), the one writer of the wire,
 * when the relay's own texts are not exactly the facts kept, so the panel reads one encoding
 * whoever wrote it; read by the one decoder (protocol/validate.ts), as a panel reads them. Each
 * text holds at most a runtime batch's facts and characters (LIMITS), as the panel's validation
 * requires of every part.
 */
import type { Fact } from '../protocol/facts.ts';
import { LIMITS } from '../protocol/limits.ts';
import type { EncodedFacts } from '../protocol/messages.ts';
import { decodeFacts } from '../protocol/validate.ts';
import { encodeBatches } from '../injected/batch-json.ts';

export function encodeChunk(facts: readonly Fact[]): EncodedFacts[] {
  const texts: EncodedFacts[] = [];
  for (let from = 0; from < facts.length; from += LIMITS.batch)
    encodeBatches(facts.slice(from, from + LIMITS.batch), LIMITS.json, (batch, count) =>
      texts.push({ json: batch.json, count }),
    );
  return texts;
}

/**
 * The facts of texts the background kept: every one of them was read whole on the way in (or
 * written here), so a fact that does not read now is the background's own fault, and throws.
 */
export function chunkFacts(texts: readonly EncodedFacts[]): Fact[] {
  const facts: Fact[] = [];
  for (let i = 0; i < texts.length; i++) {
    const part = decodeFacts(texts[i], `tab log text ${i}`);
    if (part.rejected) throw new Error(`tab log: a kept text does not read back: ${part.firstError?.message}`);
    for (const f of part.facts) facts.push(f);
  }
  return facts;
}
