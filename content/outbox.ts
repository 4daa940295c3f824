/**
 * The relay's log of one document's facts, numbered in batches (seq 1, 2, 3...).
 *
 * Unacknowledged batches are held until the background acknowledges them; acknowledged ones
 * are retained too (bounded) so that a background that was stopped and lost its memory can be
 * rebuilt by replaying them. Two bounds: facts waiting for an acknowledgement (past it, new
 * facts are dropped and counted per kind, the counts ride on the next batch) and acknowledged
 * facts retained for replay (past it, the oldest batches are evicted and counted).
 */
import type { Fact } from '../protocol/facts.ts';
import type { ContentToBackground, DropCounts } from '../protocol/messages.ts';

export type Batch = Extract<ContentToBackground, { type: 'batch' }>;

export interface OutboxBounds {
  /** Facts not yet acknowledged (in batches or waiting for one). */
  unacked: number;
  /** Acknowledged facts kept for replay after the background restarts. */
  retained: number;
  /** Facts per batch. */
  batch: number;
}

export const DEFAULT_OUTBOX_BOUNDS: OutboxBounds = { unacked: 50_000, retained: 50_000, batch: 2_000 };

function bump(counts: DropCounts, kind: string, by = 1) {
  counts[kind] = (counts[kind] ?? 0) + by;
}

export class Outbox {
  /** Batches not yet forgotten, oldest first: acknowledged (retained) ones, then unacknowledged ones. */
  private readonly batches: Batch[] = [];
  private waiting: Fact[] = [];
  private seq = 0;
  private acked = 0;
  /** The highest seq handed to the current connection. */
  private sent = 0;
  private ackedFacts = 0;
  private unackedFacts = 0;
  private dropsSinceBatch: DropCounts = {};
  private rejectedSinceBatch = 0;
  private errorSinceBatch: string | undefined;
  /** Per kind, facts evicted from the retained log (lost to a background that restarts). */
  readonly evicted: DropCounts = {};

  constructor(private readonly bounds: OutboxBounds = DEFAULT_OUTBOX_BOUNDS) {}

  add(facts: readonly Fact[]): void {
    for (const fact of facts) {
      if (this.unackedFacts >= this.bounds.unacked) {
        bump(this.dropsSinceBatch, fact.kind);
        continue;
      }
      this.waiting.push(fact);
      this.unackedFacts++;
    }
  }

  /** Malformed facts the relay refused; reported on the next batch. */
  reject(n: number, error: string): void {
    this.rejectedSinceBatch += n;
    this.errorSinceBatch ??= error;
  }

  /** Something is waiting to be put in a batch. */
  get hasWaiting(): boolean {
    return this.waiting.length > 0 || this.rejectedSinceBatch > 0 || Object.keys(this.dropsSinceBatch).length > 0;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Puts everything waiting into batches of at most `bounds.batch` facts. */
  seal(): void {
    while (this.hasWaiting) {
      const facts = this.waiting.length > this.bounds.batch ? this.waiting.splice(0, this.bounds.batch) : this.waiting;
      if (facts === this.waiting) this.waiting = [];
      const batch: Batch = { type: 'batch', seq: ++this.seq, facts };
      if (Object.keys(this.dropsSinceBatch).length) batch.dropped = this.dropsSinceBatch;
      if (this.rejectedSinceBatch) {
        batch.rejected = this.rejectedSinceBatch;
        if (this.errorSinceBatch) batch.error = this.errorSinceBatch;
      }
      this.dropsSinceBatch = {};
      this.rejectedSinceBatch = 0;
      this.errorSinceBatch = undefined;
      this.batches.push(batch);
    }
  }

  /** Batches the current connection has not been given yet. */
  takeUnsent(): Batch[] {
    const out = this.batches.filter((b) => b.seq > this.sent);
    if (out.length) this.sent = out[out.length - 1].seq;
    return out;
  }

  /** A new connection: it has everything up to `after`. */
  resume(after: number): void {
    this.sent = after;
    if (after > this.acked) this.ack(after);
  }

  ack(seq: number): void {
    if (seq <= this.acked) return;
    for (const b of this.batches) {
      if (b.seq > seq) break;
      if (b.seq > this.acked) {
        this.unackedFacts -= b.facts.length;
        this.ackedFacts += b.facts.length;
      }
    }
    this.acked = Math.min(seq, this.seq);
    this.evictRetained();
  }

  /** The panel cleared the log: retained batches up to `seq` are not to be replayed. */
  forget(seq: number): void {
    while (this.batches.length && this.batches[0].seq <= Math.min(seq, this.acked)) {
      this.ackedFacts -= this.batches.shift()!.facts.length;
    }
  }

  private evictRetained(): void {
    while (this.ackedFacts > this.bounds.retained && this.batches.length && this.batches[0].seq <= this.acked) {
      const b = this.batches.shift()!;
      this.ackedFacts -= b.facts.length;
      for (const f of b.facts) bump(this.evicted, f.kind);
    }
  }

  /**
   * The document came back from the back/forward cache as a new session: number everything
   * held from 1 again, none of it acknowledged, so the whole history travels under a new relay id.
   */
  renumber(): void {
    this.batches.forEach((b, i) => (b.seq = i + 1));
    this.seq = this.batches.length;
    this.acked = 0;
    this.sent = 0;
    this.unackedFacts += this.ackedFacts;
    this.ackedFacts = 0;
  }

  get lastSeq(): number {
    return this.seq;
  }

  get lastAcked(): number {
    return this.acked;
  }

  /** The oldest seq still held (lastSeq + 1 when none). */
  get firstRetained(): number {
    return this.batches.length ? this.batches[0].seq : this.seq + 1;
  }

  get hasUnacked(): boolean {
    return this.acked < this.seq || this.hasWaiting;
  }
}
