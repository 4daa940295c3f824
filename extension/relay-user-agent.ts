/**
 * The extension's MAIN-world runtime announces its document without a userAgent: reading
 * `navigator` at document_start delays the page's first script by 0.12–0.2 ms (injected/install.ts
 * Announced). The relay says it with the first batch of each connection (content/link.ts), a
 * later task, and the background puts it back into the `context` facts of that relay's runtime,
 * so what a panel, an export or the CLI reads is as before.
 */
import type { Fact } from '../protocol/facts.ts';

/** Fills the userAgent of `context` facts that lack one; returns the characters added to their JSON. */
export function fillUserAgent(facts: readonly Fact[], userAgent: string | undefined): number {
  if (userAgent === undefined) return 0;
  let added = 0;
  for (const f of facts) {
    if (f.kind !== 'context' || f.userAgent !== undefined) continue;
    f.userAgent = userAgent;
    // `,"userAgent":` and the value as JSON: the batch's measured size stays the size of what is kept.
    added += 13 + JSON.stringify(userAgent).length;
  }
  return added;
}
