/**
 * One tab's facts held by the background while no panel (or a late panel) reads them: batches
 * in arrival order, bounded by a total fact count and by their size in characters (of the
 * JSON they came as, plus the wire texts kept to send them to panels). Past either bound the
 * oldest facts are evicted and counted per kind.
 */
import type { Fact } from '../protocol/facts.ts';
import { emptyCounts, type DropCounts, type EncodedFacts } from '../protocol/messages.ts';

export interface Chunk {
  /** Arrival number across all tabs (the debug hook merges tabs in arrival order). */
  arrival: number;
  session: string;
  source: string;
  seq: number;
  facts: Fact[];
  /** The facts' size in characters (their JSON), as measured on arrival. */
  chars: number;
  /**
   * The facts as the wire texts panels are sent (BackgroundToPanel `facts-text`), kept so every
   * panel and every replay gets the same texts; null until the chunk is first offered when they
   * are not the relay's own (TabLog.keepTexts), and again once eviction cut the chunk.
   */
  texts: EncodedFacts[] | null;
}

/** Characters of a chunk's texts. */
function textChars(texts: EncodedFacts[] | null): number {
  let n = 0;
  if (texts) for (const t of texts) n += t.json.length;
  return n;
}

export const DEFAULT_TAB_CAP = 50_000;
/** 16 Mi characters of JSON: the parsed facts take a few times that in the background's heap. */
export const DEFAULT_TAB_CHARS = 16 * 1024 * 1024;

export class TabLog {
  /** Slots before `head` are evicted (undefined) until the next compaction. */
  private chunks: (Chunk | undefined)[] = [];
  private head = 0;
  private size = 0;
  private chars = 0;
  readonly evicted: DropCounts = emptyCounts();

  constructor(
    private readonly cap: number = DEFAULT_TAB_CAP,
    private readonly charCap: number = DEFAULT_TAB_CHARS,
  ) {}

  append(chunk: Chunk): void {
    this.chunks.push(chunk);
    this.size += chunk.facts.length;
    this.chars += chunk.chars + textChars(chunk.texts);
    this.evict();
  }

  /**
   * Keeps the texts made for a held chunk at its first offer, counted in the size bound. The
   * bound is enforced at the next `settle` (or append), not here: the caller may be walking the log.
   */
  keepTexts(chunk: Chunk, texts: EncodedFacts[]): EncodedFacts[] {
    this.chars += textChars(texts) - textChars(chunk.texts);
    chunk.texts = texts;
    return texts;
  }

  /** Evicts what the texts kept since the last append put over the bound. */
  settle(): void {
    this.evict();
  }

  /**
   * Facts to evict from the head chunk: enough for the count bound, and for the size bound at
   * the chunk's average fact size. The newest chunk is kept whole for the size bound (the
   * validator bounds one batch), so the log always shows the latest facts.
   */
  private excess(c: Chunk, newest: boolean): number {
    const overCount = this.size - this.cap;
    const overChars = this.chars - this.charCap;
    if (overChars <= 0 || newest) return Math.max(0, overCount);
    const perFact = (c.chars + textChars(c.texts)) / c.facts.length;
    return Math.max(overCount, perFact > 0 ? Math.ceil(overChars / perFact) : 0, 1);
  }

  private evict(): void {
    while (this.head < this.chunks.length) {
      const c = this.chunks[this.head]!;
      const over = this.excess(c, this.head === this.chunks.length - 1);
      if (over <= 0) break;
      const n = Math.min(over, c.facts.length);
      for (let i = 0; i < n; i++) {
        const kind = c.facts[i].kind;
        this.evicted[kind] = (Object.hasOwn(this.evicted, kind) ? this.evicted[kind] : 0) + 1;
      }
      const texts = textChars(c.texts);
      if (n === c.facts.length) {
        // Release the evicted chunk now: until compaction its slot would keep every fact alive,
        // hundreds of MB past the cap under a flood.
        this.chunks[this.head++] = undefined;
        this.chars -= c.chars + texts;
      } else {
        // Replace rather than mutate: the dropped head may still be on its way to a panel. Its
        // texts hold the evicted facts too: the rest is encoded again if it is offered.
        const chars = Math.round((c.chars * (c.facts.length - n)) / c.facts.length);
        this.chunks[this.head] = { ...c, facts: c.facts.slice(n), chars, texts: null };
        this.chars -= c.chars - chars + texts;
      }
      this.size -= n;
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

  /** Characters held (the JSON size of the facts buffered). */
  get bufferedChars(): number {
    return this.chars;
  }

  *[Symbol.iterator](): IterableIterator<Chunk> {
    for (let i = this.head; i < this.chunks.length; i++) yield this.chunks[i]!;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.size = 0;
    this.chars = 0;
    for (const k of Object.keys(this.evicted)) delete this.evicted[k];
  }
}
