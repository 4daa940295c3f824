/**
 * Buffers facts and hands them to the sink in batches: on a short timer and when the buffer
 * reaches a batch size. The buffer is bounded: past the bound new facts are dropped and
 * counted per kind, and the counts travel as one `facts-dropped` fact at the next flush.
 *
 * The emitted fact objects stay mutable until they are flushed: a `message-dispatched`
 * record is completed by the page's handlers while the event is being dispatched.
 *
 * The buffer is a prototype-less record indexed 0…n−1, not an array: assigning a missing array
 * index walks the prototype chain (a page setter on Array.prototype[0] would see runtime data),
 * and defining it instead (own-index.ts) costs microseconds per fact in V8 — the largest
 * single cost of a recorded tiny message in the relay-burst profile. A record with no prototype
 * has no chain to walk; at the flush, `Array.prototype.slice` (captured at load) copies it into
 * the batch array, defining its elements.
 */
import type { Fact, FactKind, FactSink } from '../protocol/facts.ts';
import { apply, nativeSetTimeout, objectCreate, performanceNow, timeOrigin } from './natives.ts';

// Captured while the script is evaluated, before any page script runs.
const arraySlice = Array.prototype.slice;

/** A sink that takes a whole batch at once (the private port, the recorder binding). */
export interface BatchSink {
  deliver(facts: Fact[]): void;
}

export interface EmitterOptions {
  flushMs: number;
  batchSize: number;
  maxBuffered: number;
}

export const DEFAULT_EMITTER_OPTIONS: EmitterOptions = { flushMs: 50, batchSize: 500, maxBuffered: 20_000 };

/**
 * The `time` a fact for `emitBuilt` holds until it is stamped: a double, so that V8 keeps the
 * literal's field a double from the start. With an integer there (0) every stamp changed the
 * field's representation and so the object's map: the relay-burst profile showed `emitBuilt`
 * at three times the self time of the copying `emit` it replaced.
 */
export const UNSTAMPED_TIME = 0.5;

/** A fact before the emitter stamps it with `seq` and `time`. */
export type Unstamped<F = Fact> = F extends Fact ? Omit<F, 'seq' | 'time'> : never;

/** Facts waiting for the flush: indices 0…length−1 and `length`, on no prototype. */
type Buffer = { [index: number]: Fact; length: number };

function emptyBuffer(): Buffer {
  const buffer = objectCreate(null) as Buffer;
  buffer.length = 0;
  return buffer;
}

export class Emitter {
  private buffer: Buffer = emptyBuffer();
  private seq = 1;
  private dropped: Record<string, number> | null = null;
  private timer = false;
  private readonly options: EmitterOptions;
  /** Runs before each batch is taken, and may emit the facts that belong in it (counted.ts). */
  beforeTake: (() => void) | undefined = undefined;

  constructor(
    private readonly ctx: string,
    private readonly sink: BatchSink | FactSink,
    options: Partial<EmitterOptions> = {},
  ) {
    this.options = {
      flushMs: options.flushMs ?? DEFAULT_EMITTER_OPTIONS.flushMs,
      batchSize: options.batchSize ?? DEFAULT_EMITTER_OPTIONS.batchSize,
      maxBuffered: options.maxBuffered ?? DEFAULT_EMITTER_OPTIONS.maxBuffered,
    };
  }

  /** Stamps and buffers a fact; returns it (still mutable until flushed), or undefined when dropped. */
  emit<F extends Fact>(fact: Unstamped<F>): F | undefined {
    if (this.full(fact.kind)) return undefined;
    // A fresh literal: own data properties only, so no page setter on Object.prototype runs.
    const stamped = { ...fact, seq: this.seq++, time: timeOrigin + performanceNow() } as unknown as F;
    this.buffer[this.buffer.length++] = stamped;
    this.after();
    return stamped;
  }

  /**
   * `emit` for a fact the runtime built as a fresh literal with `seq` (0) and `time`
   * (UNSTAMPED_TIME) already among its own fields: stamped in place, not copied. Writing an own writable data property runs
   * no page setter; the copy `emit` makes costs a recorded message more than the rest of its
   * emission (BENCHMARKS.md, "Recording path, step 2"), so the facts of every message use this.
   */
  emitBuilt<F extends Fact>(fact: F): F | undefined {
    if (this.full(fact.kind)) return undefined;
    fact.seq = this.seq++;
    fact.time = timeOrigin + performanceNow();
    this.buffer[this.buffer.length++] = fact;
    this.after();
    return fact;
  }

  /** Past the bound: counts the fact as dropped (reported at the next flush). */
  private full(kind: string): boolean {
    if (this.buffer.length < this.options.maxBuffered) return false;
    this.dropped ??= objectCreate(null) as Record<string, number>;
    const counts = this.dropped;
    counts[kind] = (counts[kind] ?? 0) + 1;
    this.schedule();
    return true;
  }

  private after(): void {
    if (this.buffer.length >= this.options.batchSize) this.flush();
    else this.schedule();
  }

  flush(): void {
    const batch = this.take();
    if (batch === undefined) return;
    const sink = this.sink;
    if ('deliver' in sink) sink.deliver(batch);
    else for (let i = 0; i < batch.length; i++) sink.emit(batch[i]);
  }

  /** Empties the buffer (with the dropped counts as a last fact); undefined when there is nothing. */
  take(): Fact[] | undefined {
    if (this.beforeTake !== undefined) {
      // What it emits leaves in this very batch: no reason to start the timer again (a flush
      // that started it would take counts made since, whose emission would start it again:
      // counts alone would leave every flushMs, not on their own timer, counted.ts).
      const armed = this.timer;
      this.timer = true;
      try {
        this.beforeTake();
      } finally {
        this.timer = armed;
      }
    }
    if (this.dropped) {
      const counts = this.dropped;
      this.dropped = null;
      const buffer = this.buffer;
      buffer[buffer.length++] = {
        kind: 'facts-dropped',
        ctx: this.ctx,
        counts: { ...counts },
        seq: this.seq++,
        time: timeOrigin + performanceNow(),
      };
    }
    if (this.buffer.length === 0) return undefined;
    const batch = apply(arraySlice, this.buffer, []) as Fact[];
    this.buffer = emptyBuffer();
    return batch;
  }

  /** Starts the flush timer (for work that is reported at the flush without emitting now). */
  schedule(): void {
    if (this.timer) return;
    this.timer = true;
    nativeSetTimeout(() => {
      this.timer = false;
      this.flush();
    }, this.options.flushMs);
  }
}

export type { FactKind };
