/**
 * Buffers facts and hands them to the sink in batches: on a short timer and when the buffer
 * reaches a batch size. The buffer is bounded: past the bound new facts are dropped and
 * counted per kind, and the counts travel as one `facts-dropped` fact at the next flush.
 *
 * The emitted fact objects stay mutable until they are flushed: a `message-dispatched`
 * record is completed by the page's handlers while the event is being dispatched.
 */
import type { Fact, FactKind, FactSink } from '../protocol/facts.ts';
import { nativeSetTimeout, objectCreate, performanceNow, timeOrigin } from './natives.ts';
import { append } from './own-index.ts';

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

/** A fact before the emitter stamps it with `seq` and `time`. */
export type Unstamped<F = Fact> = F extends Fact ? Omit<F, 'seq' | 'time'> : never;

export class Emitter {
  private buffer: Fact[] = [];
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
    const buffer = this.buffer;
    if (buffer.length >= this.options.maxBuffered) {
      this.dropped ??= objectCreate(null) as Record<string, number>;
      const counts = this.dropped;
      counts[fact.kind] = (counts[fact.kind] ?? 0) + 1;
      this.schedule();
      return undefined;
    }
    // A fresh literal: own data properties only, so no page setter on Object.prototype runs.
    const stamped = { ...fact, seq: this.seq++, time: timeOrigin + performanceNow() } as unknown as F;
    append(buffer, stamped);
    if (buffer.length >= this.options.batchSize) this.flush();
    else this.schedule();
    return stamped;
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
    if (this.beforeTake !== undefined) this.beforeTake();
    if (this.dropped) {
      const counts = this.dropped;
      this.dropped = null;
      const buffer = this.buffer;
      append<Fact>(buffer, {
        kind: 'facts-dropped',
        ctx: this.ctx,
        counts: { ...counts },
        seq: this.seq++,
        time: timeOrigin + performanceNow(),
      });
    }
    if (this.buffer.length === 0) return undefined;
    const batch = this.buffer;
    this.buffer = [];
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
