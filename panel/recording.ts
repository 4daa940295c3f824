/**
 * One recording of the inspected page: the channel model fed by its facts, the user's Clear
 * cut, and the navigations a preserved log spans. Clear is a cut in the fact log, not a reset:
 * channel messaging is stateful (a dispatch needs its post's port, a port its channel, a
 * channel its contexts), so the structural facts before the cut keep serving the model and
 * only the message records before it are dropped (counted in `cleared`).
 *
 * `rebuild(log)` is the one way a model is made again from facts: after an early settle, for
 * new bounds, and for an imported trace. It replays the cut where the user made it, so a
 * rebuilt model never brings cleared messages back.
 */
import type { Fact } from '../protocol/facts.ts';
import type { ChannelModel } from './model/types.ts';

/** A reload or navigation of the inspected page, kept while Preserve log is on. */
export interface Navigation {
  /** Fact time (ms since the epoch) of the first fact of the new document, or the panel's clock until one comes. */
  time: number;
  url: string | null;
}

/** A model made from `log`, with the messages before `cut` (a fact of the log) dropped as a Clear drops them. */
export function rebuild(create: () => ChannelModel, log: readonly Fact[], cut: Fact | null): ChannelModel {
  const model = create();
  const at = cut === null ? -1 : log.lastIndexOf(cut);
  if (at < 0) {
    // No cut, or the cut fell out of the bounded log: every fact kept is after it.
    model.apply(log);
    return model;
  }
  model.apply(log.slice(0, at + 1));
  model.dropMessageRecords();
  model.apply(log.slice(at + 1));
  return model;
}

export class Recording {
  model: ChannelModel;
  /** Message records dropped by Clear since the recording began. */
  cleared = 0;
  /** Replaced, never changed in place, so a reader can compare it by identity. */
  navigations: readonly Navigation[] = [];
  /** The last fact applied before the latest Clear. */
  private cut: Fact | null = null;
  /** A navigation whose time waits for the new document's first fact (its index in `navigations`). */
  private pending: number | null = null;

  /** `create` makes an empty model with the current bounds (the store replaces it when they change). */
  constructor(public create: () => ChannelModel) {
    this.model = create();
  }

  apply(facts: readonly Fact[]): void {
    if (this.pending !== null && facts.length > 0) {
      let first = Infinity;
      for (const fact of facts) if (fact.time < first) first = fact.time;
      // A new object and a new array: the store publishes them as they are.
      const navigations = this.navigations.slice();
      const at = navigations[this.pending];
      if (at) navigations[this.pending] = { ...at, time: first };
      this.navigations = navigations;
      this.pending = null;
    }
    this.model.apply(facts);
  }

  /** The user's Clear: returns how many message records went. */
  clearMessages(): number {
    const log = this.model.factLog();
    this.cut = log.at(-1) ?? null;
    const dropped = this.model.dropMessageRecords();
    this.cleared += dropped;
    this.navigations = [];
    this.pending = null;
    return dropped;
  }

  navigated(url: string | null, now: number): void {
    this.pending = this.navigations.length;
    this.navigations = [...this.navigations, { time: now, url }];
  }

  /** Remakes the model from its own fact log, with the bounds `create` gives now. */
  rebuild(): void {
    this.model = rebuild(this.create, this.model.factLog(), this.cut);
  }

  /** A new session without Preserve log: nothing of the old one stays. */
  reset(): void {
    this.model.clear();
    this.cleared = 0;
    this.navigations = [];
    this.cut = null;
    this.pending = null;
  }
}
