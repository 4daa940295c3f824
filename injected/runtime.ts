/** What every part of the runtime shares within one global: its context id, emitter and config. */
import type { RuntimeConfig } from '../protocol/handshake.ts';
import type { Emitter } from './emitter.ts';
import type { PortRecord } from './ids.ts';

export interface Runtime {
  ctx: string;
  emitter: Emitter;
  config: RuntimeConfig;
  /** Record every message (true), or count plain traffic (counted.ts) because nobody watches. */
  recordMessages: boolean;
  /**
   * The last record listed with counts to report: with the next batch that leaves, or alone within
   * COUNTS_ALONE_MS (counted.ts); each links to the one listed before it (`PortRecord.countedBefore`),
   * back to the first counted since the last flush.
   */
  counted: PortRecord | undefined;
  /** Whether the counts' own timer is pending (counted.ts COUNTS_ALONE_MS; one at a time). */
  countsTimer: boolean;
  /** Carrier messages counted since the last report (carrier-counts.ts); made at the first one. */
  carrierCounts?: CarrierCounts;
  global: any;
}

/** Carrier messages counted, not recorded, since their last report (carrier-counts.ts). */
/** Messages posted and received since the last report, for one carrier kind. */
export interface CarrierTally {
  posted: number;
  received: number;
}

export interface CarrierCounts {
  worker: CarrierTally;
  window: CarrierTally;
  /** Whether a report is due (the counts timer or the next flush settles it). */
  listed: boolean;
}
