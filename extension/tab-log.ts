/**
 * One tab's facts held by the background while no panel (or a late panel) reads them: chunks in
 * arrival order, each kept once, as the wire texts panels are sent (a chunk's facts as objects
 * would take several times their text in the heap). Bounded by a total fact count and by the
 * characters of the texts held. Past either bound the oldest facts are evicted and counted per
 * kind, from the kinds each chunk keeps beside its texts.
 */
import { FACT_KINDS, type Fact, type FactKind } from '../protocol/facts.ts';
import { emptyCounts, type DropCounts, type EncodedFacts } from '../protocol/messages.ts';
import { chunkFacts, encodeChunk } from './chunk-text.ts';

export interface Chunk {
  /** Arrival number across all tabs (the debug hook merges tabs in arrival order). */
  arrival: number;
  session: string;
  source: string;
  seq: number;
  /**
   * The facts as the wire texts panels are sent (BackgroundToPanel `facts-text`): the only copy
   * the log keeps, so every panel and every replay gets the same strings.
   */
  texts: EncodedFacts[];
  /** Each fact of `texts` by its index in FACT_KINDS, in order: what eviction counts. */
  kinds: Uint8Array;
  /**
   * Leading facts of `texts` already evicted and counted. Their characters are still held (and
   * counted) until their part goes whole, or until the chunk is sent again (TabLog.sendable).
   */
  skip: number;
  /** Characters of `texts`. */
  chars: number;
}

const KIND_INDEX = new Map<string, number>(FACT_KINDS.map((k, i) => [k, i]));

/** The kinds of `facts`, as a chunk keeps them. */
export function kindsOf(facts: readonly Fact[]): Uint8Array {
  const kinds = new Uint8Array(facts.length);
  for (let i = 0; i < facts.length; i++) {
    const k = KIND_INDEX.get(facts[i].kind);
    // Every fact kept was validated: its kind is one of FACT_KINDS.
    if (k === undefined) throw new Error(`tab log: fact kind ${JSON.stringify(facts[i].kind)} is not a fact kind`);
    kinds[i] = k;
  }
  return kinds;
}

/** A chunk of `facts` as the log keeps it: `texts` when given (the relay's own, exactly these facts), else encoded. */
export function heldChunk(
  head: { arrival: number; session: string; source: string; seq: number },
  facts: readonly Fact[],
  texts: EncodedFacts[] | null,
): Chunk {
  const kept = texts ?? encodeChunk(facts);
  return { ...head, texts: kept, kinds: kindsOf(facts), skip: 0, chars: textChars(kept) };
}

/** The facts a chunk holds, decoded from its texts (the debug hook, a chunk sent again after eviction). */
export function factsOfChunk(c: Chunk): Fact[] {
  const facts = chunkFacts(c.texts);
  return c.skip ? facts.slice(c.skip) : facts;
}

/** Facts a chunk holds. */
export function factCount(c: Chunk): number {
  return c.kinds.length - c.skip;
}

function textChars(texts: readonly EncodedFacts[]): number {
  let n = 0;
  for (const t of texts) n += t.json.length;
  return n;
}

export const DEFAULT_TAB_CAP = 50_000;
/** 16 Mi characters of wire text: about that many bytes in the background's heap (twice for non-Latin-1 text). */
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
    this.size += factCount(chunk);
    this.chars += chunk.chars;
    this.evict();
  }

  /**
   * The held chunk `c` as it may be sent: when it has evicted facts still in its texts, the rest
   * is encoded again (once) and replaces it, letting those facts' characters go.
   */
  sendable(c: Chunk): Chunk {
    if (c.skip === 0) return c;
    // Replaced, not mutated: the chunk as it was may be on its way to a panel.
    const texts = encodeChunk(factsOfChunk(c));
    const cut: Chunk = { ...c, texts, kinds: c.kinds.slice(c.skip), skip: 0, chars: textChars(texts) };
    const i = this.chunks.indexOf(c, this.head);
    if (i >= 0) {
      this.chunks[i] = cut;
      this.chars += cut.chars - c.chars;
    }
    return cut;
  }

  /** Evicts what texts encoded again while the log was walked put over the bound (they are rarely longer). */
  settle(): void {
    this.evict();
  }

  /**
   * Facts to evict from the head chunk: enough for the count bound; for the size bound, the rest
   * of its first part, since a part's characters go only when all its facts have (cutting facts
   * out of a text means encoding the rest again: measured, it more than doubled the background's
   * cost per 1 KB fact while the log was full, for less than one part more held). The newest
   * chunk is kept whole for the size bound (the validator bounds one batch), so the log always
   * shows the latest facts.
   */
  private excess(c: Chunk, newest: boolean): number {
    const overCount = this.size - this.cap;
    if (this.chars <= this.charCap || newest) return Math.max(0, overCount);
    return Math.max(overCount, c.texts[0].count - c.skip);
  }

  private evict(): void {
    while (this.head < this.chunks.length) {
      const c = this.chunks[this.head]!;
      const over = this.excess(c, this.head === this.chunks.length - 1);
      if (over <= 0) break;
      const held = factCount(c);
      const n = Math.min(over, held);
      for (let i = c.skip; i < c.skip + n; i++) {
        const kind: FactKind = FACT_KINDS[c.kinds[i]];
        this.evicted[kind] = (Object.hasOwn(this.evicted, kind) ? this.evicted[kind] : 0) + 1;
      }
      this.size -= n;
      if (n === held) {
        // Release the evicted chunk now: until compaction its slot would keep its texts alive.
        this.chunks[this.head++] = undefined;
        this.chars -= c.chars;
        continue;
      }
      // The evicted facts go with the parts they fill whole; a part that also holds kept facts
      // stays until they go too, or until the chunk is sent again (sendable).
      let skip = c.skip + n;
      let parts = 0;
      let from = 0;
      let freed = 0;
      while (skip >= c.texts[parts].count) {
        skip -= c.texts[parts].count;
        from += c.texts[parts].count;
        freed += c.texts[parts].json.length;
        parts++;
      }
      // Replaced, not mutated: the chunk as it was may be on its way to a panel.
      this.chunks[this.head] = {
        ...c,
        texts: c.texts.slice(parts),
        kinds: c.kinds.subarray(from),
        skip,
        chars: c.chars - freed,
      };
      this.chars -= freed;
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

  /** Characters held (the wire texts of the chunks buffered). */
  get bufferedChars(): number {
    return this.chars;
  }

  *[Symbol.iterator](): IterableIterator<Chunk> {
    for (let i = this.head; i < this.chunks.length; i++) yield this.chunks[i]!;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.chars = 0;
    this.size = 0;
    for (const k of Object.keys(this.evicted)) delete this.evicted[k];
  }
}
