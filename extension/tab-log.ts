/**
 * One tab's facts held by the background while no panel (or a late panel) reads them: batches
 * in arrival order, bounded by a total fact count. Past the bound the oldest facts are evicted
 * and counted per kind.
 */
import type { Fact } from '../protocol/facts.ts';
import { emptyCounts, type DropCounts } from '../protocol/messages.ts';

export interface Chunk {
  /** Arrival number across all tabs (the debug hook merges tabs in arrival order). */
  arrival: number;
  session: string;
  source: string;
  seq: number;
  facts: Fact[];
}

export const DEFAULT_TAB_CAP = 50_000;

export class TabLog {
  /** Slots before `head` are evicted (undefined) until the next compaction. */
  private chunks: (Chunk | undefined)[] = [];
  private head = 0;
  private size = 0;
  readonly evicted: DropCounts = emptyCounts();

  constructor(private readonly cap: number = DEFAULT_TAB_CAP) {}

  append(chunk: Chunk): void {
    this.chunks.push(chunk);
    this.size += chunk.facts.length;
    this.evict();
  }

  private evict(): void {
    let over = this.size - this.cap;
    while (over > 0) {
      const c = this.chunks[this.head]!;
      const n = Math.min(over, c.facts.length);
      for (let i = 0; i < n; i++) {
        const kind = c.facts[i].kind;
        this.evicted[kind] = (Object.hasOwn(this.evicted, kind) ? this.evicted[kind] : 0) + 1;
      }
      if (n === c.facts.length) {
        // Release the evicted chunk now: until compaction its slot would keep every fact alive,
        // hundreds of MB past the cap under a flood.
        this.chunks[this.head++] = undefined;
      } else {
        // Replace rather than mutate: the dropped head may still be on its way to a panel.
        this.chunks[this.head] = { ...c, facts: c.facts.slice(n) };
      }
      this.size -= n;
      over -= n;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1_024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  get buffered(): number {
    return this.size;
  }

  *[Symbol.iterator](): IterableIterator<Chunk> {
    for (let i = this.head; i < this.chunks.length; i++) yield this.chunks[i]!;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.size = 0;
    for (const k of Object.keys(this.evicted)) delete this.evicted[k];
  }
}
