/**
 * Facts lost between a context and the background, counted. Every context numbers its facts
 * 1, 2, 3… (protocol/fact-sequence.ts); the background notes each number it receives for the
 * tab's session, and a number that never came is a fact lost on the way — a batch of a
 * short-lived document that died with it, say — even when nothing else saw it go.
 *
 * Never more than the facts proven missing: what the relays already counted as dropped or
 * refused also leaves a gap, so it is taken off (a lower bound, never a double count). A session
 * this background did not see start (it restarted and took the tab back from storage, or relays
 * replay after what the panel cleared) is not checked: its first numbers were held elsewhere.
 */
import { FactSequence } from '../protocol/fact-sequence.ts';
import type { DropCounts } from '../protocol/messages.ts';

interface SessionGaps {
  session: string;
  sequence: FactSequence;
  /** Facts the relays counted as dropped or refused in this session. */
  counted: number;
  /** `missing` already added to the tab's dropped counts. */
  reported: number;
}

export class FactGaps {
  private readonly tabs = new Map<number, SessionGaps>();

  /** The tab's top frame has a new document: its contexts' facts are all to come. */
  start(tabId: number, session: string): void {
    this.tabs.set(tabId, { session, sequence: new FactSequence(), counted: 0, reported: 0 });
  }

  forget(tabId: number): void {
    this.tabs.delete(tabId);
  }

  /** A batch accepted for the tab's session; returns how many more facts are now proven missing. */
  note(
    tabId: number,
    session: string,
    batch: {
      facts: readonly { ctx?: unknown; seq?: unknown }[];
      dropped?: DropCounts;
      rejected?: number;
      rejectedFacts?: number;
    },
  ): number {
    const gaps = this.tabs.get(tabId);
    if (!gaps || gaps.session !== session) return 0;
    for (const n of Object.values(batch.dropped ?? {})) gaps.counted += n;
    // A rejected message held at least one fact: counting one keeps this a lower bound.
    gaps.counted += (batch.rejectedFacts ?? 0) + (batch.rejected ?? 0);
    for (const f of batch.facts) gaps.sequence.note(f.ctx, f.seq);
    const proven = gaps.sequence.missing - gaps.counted;
    if (proven <= gaps.reported) return 0;
    const more = proven - gaps.reported;
    gaps.reported = proven;
    return more;
  }
}
