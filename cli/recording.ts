/**
 * One recording: batches from the runtime (JSON strings, one per flush) go through the same
 * validation as the extension's relay and into the model. Bounded: the model's fact log and
 * message cap bound memory; contexts are kept apart (a trace must never lose one) up to
 * `contextCap`; everything refused or left out is counted per kind in the trace's meta.
 */
import type { Fact } from '../protocol/facts.ts';
import { addCounts } from '../protocol/messages.ts';
import { FactSequence } from '../protocol/fact-sequence.ts';
import { createTrace, type ContextFact, type Trace, type TraceMeta } from '../protocol/trace.ts';
import { decodeFacts, partitionFacts, ProtocolError, validateRuntimeToRelay } from '../protocol/validate.ts';
import { createModel, type ChannelModel, type ModelOptions } from '../panel/model/index.ts';

declare const __PORTSCOPE_VERSION__: string;
export const PORTSCOPE_VERSION = typeof __PORTSCOPE_VERSION__ === 'string' ? __PORTSCOPE_VERSION__ : '0.0.0-dev';

export interface RecordingOptions extends ModelOptions {
  /** Contexts remembered for the trace's `contexts` list. Default 10,000. */
  contextCap?: number;
}

export class Recording {
  readonly model: ChannelModel;
  readonly startedAt = new Date();
  /** Facts refused before the model, per kind (`invalid` when the kind itself was unreadable). */
  readonly refused: Record<string, number> = {};
  /** The first validation error, for the user. */
  firstError?: string;
  batches = 0;
  lastBatchAt = 0;
  private readonly contexts = new Map<string, ContextFact>();
  /** Facts numbered by the runtime that never arrived (lost on the way, and counted nowhere else). */
  private readonly sequence = new FactSequence();
  private readonly contextCap: number;

  constructor(options: RecordingOptions = {}) {
    const { contextCap = 10_000, ...modelOptions } = options;
    this.contextCap = contextCap;
    this.model = createModel(modelOptions);
  }

  /** Takes one runtime message (a JSON string or an already parsed value). Never throws. */
  receive(message: unknown): void {
    this.batches++;
    this.lastBatchAt = Date.now();
    let facts: unknown[];
    try {
      const m = validateRuntimeToRelay(message, 'batch');
      if (m.type !== 'batch') return;
      if ('json' in m) {
        // The extension runtime's JSON form; the standalone runtime sends objects or whole-message JSON.
        const decoded = decodeFacts(m, 'batch');
        if (decoded.rejected) this.refuse('invalid', decoded.rejected, decoded.firstError);
        this.noteSequence(decoded.facts);
        this.take(decoded.facts);
        return;
      }
      facts = m.facts;
      // Refused facts are counted as refused: note their numbers too, so they are not also missing.
      this.noteSequence(facts);
    } catch (err) {
      this.refuse('invalid', 1, err);
      return;
    }
    const { facts: good, rejected, firstError } = partitionFacts(facts, 'batch.facts');
    if (rejected) this.refuse('invalid', rejected, firstError);
    this.take(good);
  }

  private take(facts: Fact[]): void {
    for (const f of facts) {
      if (f.kind !== 'context' || this.contexts.has(f.ctx)) continue;
      if (this.contexts.size < this.contextCap) this.contexts.set(f.ctx, f);
      else this.refuse('context', 1);
    }
    try {
      this.model.apply(facts);
    } catch (err) {
      // The model must not throw on valid facts; if it does, the facts are still counted.
      this.refuse('model-error', facts.length, err);
    }
  }

  private noteSequence(facts: readonly unknown[]): void {
    for (const f of facts)
      if (typeof f === 'object' && f !== null)
        this.sequence.note((f as { ctx?: unknown }).ctx, (f as { seq?: unknown }).seq);
  }

  private refuse(kind: string, n: number, err?: unknown): void {
    this.refused[kind] = (this.refused[kind] ?? 0) + n;
    if (err && !this.firstError)
      this.firstError = err instanceof ProtocolError || err instanceof Error ? err.message : String(err);
  }

  factCount(): number {
    return this.model.stats.facts;
  }

  toTrace(meta: Pick<TraceMeta, 'browser' | 'url'>): Trace {
    const stats = this.model.stats;
    const dropped: Record<string, number> = { ...stats.droppedFacts };
    addCounts(dropped, this.refused);
    if (this.sequence.missing > 0) addCounts(dropped, { missing: this.sequence.missing });
    return createTrace({
      meta: {
        ...meta,
        startedAt: this.startedAt.toISOString(),
        endedAt: new Date().toISOString(),
        portscopeVersion: PORTSCOPE_VERSION,
        dropped,
        evicted: { messages: stats.evictedMessages, facts: stats.evictedFacts },
      },
      facts: this.model.factLog(),
      contexts: [...this.contexts.values()],
    });
  }

  /** Resolves once no batch has arrived for `quietMs` (the runtime flushes on a short timer), or after `maxMs`. */
  async settle(quietMs = 250, maxMs = 3000): Promise<void> {
    const start = Date.now();
    const floor = Date.now();
    while (Date.now() - start < maxMs) {
      await new Promise((r) => setTimeout(r, 50));
      if (Date.now() - Math.max(this.lastBatchAt, floor) >= quietMs) return;
    }
  }
}
