/**
 * The relay's log of one document's facts, numbered in batches (seq 1, 2, 3...).
 *
 * Facts arrive in two forms: objects (validated by the relay) and the runtime's JSON texts,
 * which the relay keeps as they are — each with the fact count and per-kind counts the runtime
 * declared — so nothing on the page's thread walks them. A batch carries one form; a change of
 * form starts a new batch, which keeps the facts in order.
 *
 * Unacknowledged batches are held until the background acknowledges them; acknowledged ones
 * are retained too (bounded) so that a background that was stopped and lost its memory can be
 * rebuilt by replaying them. Bounds, in facts and in characters of JSON (a fact object is
 * measured by its JSON text, which is what a runtime port carries): facts waiting for an
 * acknowledgement (past it, new facts are dropped and counted per kind — a JSON text whole —
 * and the counts ride on the next batch), facts and characters per batch (a browser message
 * has a size limit), and acknowledged facts retained for replay (past it, the oldest batches
 * are evicted and counted). A batch the browser still refuses to carry is replaced by its
 * counts (`refuse`): counted as dropped, it never blocks the batches after it.
 */
import type { Fact } from '../protocol/facts.ts';
import { addCounts, type ContentToBackground, type DropCounts, type EncodedFacts } from '../protocol/messages.ts';

export type Batch = Extract<ContentToBackground, { type: 'batch' | 'json-batch' }>;

export interface OutboxBounds {
  /** Facts not yet acknowledged (in batches or waiting for one). */
  unacked: number;
  /** Acknowledged facts kept for replay after the background restarts. */
  retained: number;
  /** Facts per batch. */
  batch: number;
  /** Characters of JSON not yet acknowledged. */
  unackedChars: number;
  /** Characters of JSON text retained for replay. */
  retainedChars: number;
  /** Characters of JSON text per batch (a runtime port message has a size limit: 64 MiB in Chrome). */
  batchChars: number;
}

/**
 * `unackedChars` is the memory the relay may hold for a background that has not answered yet;
 * `unacked` only keeps the count of facts in proportion to it. At 50,000 it bound first: a page
 * task that posts 25,000 messages while recording (no acknowledgement can be read before the
 * task ends) dropped facts (counted) the characters bound had room for — 2 MB of tiny facts' texts (≈ 42
 * characters each) against 32 Mi. At 500,000 the characters bound comes first for any fact of 68
 * characters or more, and tiny facts stop at ≈ 21 M characters: the worst case held is unchanged
 * for texts, the only form the MAIN-world runtime sends (fact objects are the relay's own few).
 */
export const DEFAULT_OUTBOX_BOUNDS: OutboxBounds = {
  unacked: 500_000,
  retained: 50_000,
  batch: 2_000,
  unackedChars: 32 * 1024 * 1024,
  retainedChars: 32 * 1024 * 1024,
  batchChars: 8 * 1024 * 1024,
};

/** A runtime batch kept as JSON text, with what the runtime declared about it. */
export interface EncodedRun extends EncodedFacts {
  kinds: DropCounts;
}

/** Waiting facts: consecutive ones of the same form are kept together (objects with their JSON lengths). */
type Waiting = { facts: Fact[]; sizes: number[] } | { encoded: EncodedRun[] };

/** The length of a fact's JSON text; facts the relay validated always have one. */
function jsonLength(fact: Fact): number {
  return JSON.stringify(fact).length;
}

interface Held {
  batch: Batch;
  /** Facts in the batch. */
  count: number;
  /** Characters of JSON text in the batch. */
  chars: number;
  /** Facts per kind, for eviction counts (JSON batches; object batches count their facts). */
  kinds: DropCounts | null;
}

export class Outbox {
  /** Batches not yet forgotten, oldest first: acknowledged (retained) ones, then unacknowledged ones. */
  private readonly held: Held[] = [];
  private waiting: Waiting[] = [];
  private waitingFacts = 0;
  private seq = 0;
  private acked = 0;
  /** The highest seq handed to the current connection. */
  private sent = 0;
  private ackedFacts = 0;
  private unackedFacts = 0;
  private ackedChars = 0;
  private unackedChars = 0;
  private dropsSinceBatch: DropCounts = {};
  private rejectedSinceBatch = 0;
  private errorSinceBatch: string | undefined;
  /** Per kind, facts evicted from the retained log (lost to a background that restarts). */
  readonly evicted: DropCounts = {};

  constructor(private readonly bounds: OutboxBounds = DEFAULT_OUTBOX_BOUNDS) {}

  add(facts: readonly Fact[]): void {
    for (const fact of facts) {
      const size = jsonLength(fact);
      // A fact longer than a batch may be could never be sent.
      if (
        this.unackedFacts >= this.bounds.unacked ||
        this.unackedChars + size > this.bounds.unackedChars ||
        size > this.bounds.batchChars
      ) {
        addCounts(this.dropsSinceBatch, { [fact.kind]: 1 });
        continue;
      }
      const last = this.waiting[this.waiting.length - 1];
      if (last && 'facts' in last) {
        last.facts.push(fact);
        last.sizes.push(size);
      } else this.waiting.push({ facts: [fact], sizes: [size] });
      this.waitingFacts++;
      this.unackedFacts++;
      this.unackedChars += size;
    }
  }

  /** A runtime batch as JSON text: kept whole, or dropped whole (counted per kind) past a bound. */
  addEncoded(run: EncodedRun): void {
    if (run.count === 0) return;
    if (
      this.unackedFacts + run.count > this.bounds.unacked ||
      this.unackedChars + run.json.length > this.bounds.unackedChars
    ) {
      addCounts(this.dropsSinceBatch, run.kinds);
      return;
    }
    const last = this.waiting[this.waiting.length - 1];
    if (last && 'encoded' in last) last.encoded.push(run);
    else this.waiting.push({ encoded: [run] });
    this.waitingFacts += run.count;
    this.unackedFacts += run.count;
    this.unackedChars += run.json.length;
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
    return this.waitingFacts;
  }

  /** Puts everything waiting into batches of at most `bounds.batch` facts (a JSON text is never split). */
  seal(): void {
    while (this.hasWaiting) {
      const head = this.waiting[0];
      let held: Held;
      if (head === undefined)
        held = { batch: { type: 'batch', seq: ++this.seq, facts: [] }, count: 0, chars: 0, kinds: null };
      else if ('facts' in head) held = this.sealFacts(head);
      else held = this.sealEncoded(head);
      const batch = held.batch;
      if (Object.keys(this.dropsSinceBatch).length) batch.dropped = this.dropsSinceBatch;
      if (this.rejectedSinceBatch) {
        batch.rejected = this.rejectedSinceBatch;
        if (this.errorSinceBatch) batch.error = this.errorSinceBatch;
      }
      this.dropsSinceBatch = {};
      this.rejectedSinceBatch = 0;
      this.errorSinceBatch = undefined;
      this.held.push(held);
    }
  }

  private sealFacts(head: { facts: Fact[]; sizes: number[] }): Held {
    let n = 0;
    let chars = 0;
    while (
      n < head.facts.length &&
      n < this.bounds.batch &&
      (n === 0 || chars + head.sizes[n] <= this.bounds.batchChars)
    )
      chars += head.sizes[n++];
    let facts = head.facts;
    if (n < facts.length) {
      facts = head.facts.splice(0, n);
      head.sizes.splice(0, n);
    } else this.waiting.shift();
    this.waitingFacts -= facts.length;
    return { batch: { type: 'batch', seq: ++this.seq, facts }, count: facts.length, chars, kinds: null };
  }

  private sealEncoded(head: { encoded: EncodedRun[] }): Held {
    const runs = head.encoded;
    let n = 0;
    let count = 0;
    let chars = 0;
    // At least one text per batch, however large.
    while (
      n < runs.length &&
      (n === 0 || (count + runs[n].count <= this.bounds.batch && chars + runs[n].json.length <= this.bounds.batchChars))
    ) {
      count += runs[n].count;
      chars += runs[n].json.length;
      n++;
    }
    const taken = n === runs.length ? runs : runs.splice(0, n);
    if (taken === runs) this.waiting.shift();
    this.waitingFacts -= count;
    const kinds: DropCounts = {};
    const json: EncodedFacts[] = [];
    for (const run of taken) {
      json.push({ json: run.json, count: run.count });
      addCounts(kinds, run.kinds);
    }
    return { batch: { type: 'json-batch', seq: ++this.seq, json }, count, chars, kinds };
  }

  /** Batches the current connection has not been given yet. */
  takeUnsent(): Batch[] {
    const out: Batch[] = [];
    for (const h of this.held) if (h.batch.seq > this.sent) out.push(h.batch);
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
    for (const h of this.held) {
      if (h.batch.seq > seq) break;
      if (h.batch.seq > this.acked) {
        this.unackedFacts -= h.count;
        this.ackedFacts += h.count;
        this.unackedChars -= h.chars;
        this.ackedChars += h.chars;
      }
    }
    this.acked = Math.min(seq, this.seq);
    this.evictRetained();
  }

  /**
   * The browser refused to carry batch `seq` (it threw on every attempt): its facts are counted
   * as dropped in its place, so the batches after it still go and the loss is shown.
   */
  refuse(seq: number): void {
    const h = this.held.find((x) => x.batch.seq === seq);
    if (!h || h.batch.seq <= this.acked) return;
    const dropped: DropCounts = { ...h.batch.dropped };
    if (h.kinds) addCounts(dropped, h.kinds);
    else if (h.batch.type === 'batch') for (const f of h.batch.facts) addCounts(dropped, { [f.kind]: 1 });
    const { rejected, error } = h.batch;
    h.batch = {
      type: 'batch',
      seq,
      facts: [],
      dropped,
      ...(rejected ? { rejected } : {}),
      ...(error ? { error } : {}),
    };
    this.unackedFacts -= h.count;
    this.unackedChars -= h.chars;
    h.count = 0;
    h.chars = 0;
    h.kinds = null;
  }

  /** The panel cleared the log: retained batches up to `seq` are not to be replayed. */
  forget(seq: number): void {
    while (this.held.length && this.held[0].batch.seq <= Math.min(seq, this.acked)) {
      const h = this.held.shift()!;
      this.ackedFacts -= h.count;
      this.ackedChars -= h.chars;
    }
  }

  private evictRetained(): void {
    while (
      (this.ackedFacts > this.bounds.retained || this.ackedChars > this.bounds.retainedChars) &&
      this.held.length &&
      this.held[0].batch.seq <= this.acked
    ) {
      const h = this.held.shift()!;
      this.ackedFacts -= h.count;
      this.ackedChars -= h.chars;
      if (h.kinds) addCounts(this.evicted, h.kinds);
      else if (h.batch.type === 'batch') for (const f of h.batch.facts) addCounts(this.evicted, { [f.kind]: 1 });
    }
  }

  /**
   * The document came back from the back/forward cache as a new session: number everything
   * held from 1 again, none of it acknowledged, so the whole history travels under a new relay id.
   */
  renumber(): void {
    this.held.forEach((h, i) => {
      h.batch.seq = i + 1;
    });
    this.seq = this.held.length;
    this.acked = 0;
    this.sent = 0;
    this.unackedFacts += this.ackedFacts;
    this.ackedFacts = 0;
    this.unackedChars += this.ackedChars;
    this.ackedChars = 0;
  }

  get lastSeq(): number {
    return this.seq;
  }

  get lastAcked(): number {
    return this.acked;
  }

  /** The oldest seq still held (lastSeq + 1 when none). */
  get firstRetained(): number {
    return this.held.length ? this.held[0].batch.seq : this.seq + 1;
  }

  get hasUnacked(): boolean {
    return this.acked < this.seq || this.hasWaiting;
  }
}
