/**
 * A port message queue that holds recorded messages and runs of counted ones. While nobody
 * watches a tab the runtime only counts plain traffic (`messages-counted`), and a port never
 * started can collect millions of such messages: a run stands for any number of consecutive
 * counted messages in one entry, so memory follows the number of runs, not of messages.
 */
import type { CountedRun, MessageRecord } from './types.ts';
import { Fifo } from './fifo.ts';
import { QueueDepthSeries } from './queueDepthSeries.ts';

export type { CountedRun };

export type QueueEntry = MessageRecord | CountedRun;

export function isRun(entry: QueueEntry): entry is CountedRun {
  // Not `'counted' in entry`: a MessageRecord may carry `counted: true` (its post was counted).
  return typeof entry.counted === 'number';
}

/** What a dispatch took from the front of the queue. */
export interface Taken {
  records: MessageRecord[];
  /** Counted messages taken, and messages whose records were evicted (they have no record). */
  counted: number;
}

export class PortMessageQueue {
  private entries = new Fifo<QueueEntry>();
  private total = 0;
  private countedTotal = 0;
  private evictedTotal = 0;
  /** The deepest this queue has been. */
  peak = 0;
  /** Made at the first change: most ports never queue anything. */
  private series: QueueDepthSeries | null = null;

  constructor(private readonly seriesCap: number) {}

  /** Every change of this queue's size over time (null while it never changed). */
  get depthSeries(): QueueDepthSeries | null {
    return this.series;
  }

  private noteDepth(time: number): void {
    if (this.total > this.peak) this.peak = this.total;
    if (!this.series) {
      if (this.total === 0) return;
      this.series = new QueueDepthSeries(this.seriesCap);
    }
    this.series.note(time, this.total);
  }

  /** Messages waiting, counted ones included. */
  get size(): number {
    return this.total;
  }

  /** Counted messages waiting (no record). */
  get counted(): number {
    return this.countedTotal;
  }

  /** Recorded messages waiting whose records were evicted. */
  get evicted(): number {
    return this.evictedTotal;
  }

  push(message: MessageRecord, time: number): void {
    this.entries.push(message);
    this.total++;
    this.noteDepth(time);
  }

  pushCounted(n: number, time: number, from: string): void {
    if (n <= 0) return;
    const tail = this.entries.last();
    if (tail && isRun(tail) && !tail.evicted && tail.from === from) tail.counted += n;
    else this.entries.push({ counted: n, postedAt: time, from });
    this.total += n;
    this.countedTotal += n;
    this.noteDepth(time);
  }

  peek(): QueueEntry | undefined {
    return this.entries.peek();
  }

  /** postedAt of the oldest waiting message, or null when empty. */
  oldestPostedAt(): number | null {
    return this.entries.peek()?.postedAt ?? null;
  }

  /** Removes the oldest message: its record, or the run it was counted in (still shared, with one fewer). */
  shift(time: number): QueueEntry | undefined {
    const head = this.entries.peek();
    if (!head) return undefined;
    this.total--;
    this.noteDepth(time);
    if (!isRun(head)) return this.entries.shift();
    this.untally(head, 1);
    if (--head.counted === 0) this.entries.shift();
    return head.evicted
      ? { counted: 1, postedAt: head.postedAt, from: head.from, evicted: true }
      : { counted: 1, postedAt: head.postedAt, from: head.from };
  }

  private untally(run: CountedRun, n: number): void {
    if (run.evicted) this.evictedTotal -= n;
    else this.countedTotal -= n;
  }

  /**
   * The record of a waiting message is evicted: the message stays in its place as part of an
   * evicted run. Records are evicted oldest first, so only runs and kept records (those with
   * ports) come before it: the search stays near the front. Returns false if it is not here.
   */
  evictRecord(message: MessageRecord): boolean {
    const entries = this.entries;
    let at = -1;
    for (let i = 0; i < entries.size; i++) {
      if (entries.at(i) === message) {
        at = i;
        break;
      }
    }
    if (at < 0) return false;
    this.evictedTotal++;
    const before = at > 0 ? entries.at(at - 1)! : undefined;
    if (before && isRun(before) && before.evicted && before.from === message.from.context) {
      before.counted++;
      entries.removeAt(at);
    } else entries.set(at, { counted: 1, postedAt: message.postedAt, from: message.from.context, evicted: true });
    return true;
  }

  /** Removes up to `n` messages from the front. */
  take(n: number, time: number): Taken {
    const taken: Taken = { records: [], counted: 0 };
    while (n > 0) {
      const head = this.entries.peek();
      if (!head) break;
      if (!isRun(head)) {
        taken.records.push(this.entries.shift() as MessageRecord);
        this.total--;
        n--;
        continue;
      }
      const k = Math.min(n, head.counted);
      head.counted -= k;
      if (head.counted === 0) this.entries.shift();
      this.total -= k;
      this.untally(head, k);
      taken.counted += k;
      n -= k;
    }
    this.noteDepth(time);
    return taken;
  }

  /** Removes everything. */
  drain(time: number): Taken {
    return this.take(this.total, time);
  }

  /** The waiting entries, oldest first (a run is one entry). */
  toArray(): QueueEntry[] {
    return this.entries.toArray();
  }

  /** Ids of the recorded messages waiting, oldest first. */
  recordIds(): string[] {
    const ids: string[] = [];
    for (const entry of this.entries.toArray()) if (!isRun(entry)) ids.push(entry.id);
    return ids;
  }
}
