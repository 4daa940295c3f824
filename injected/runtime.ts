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
  /** Records with counts to report at the next flush, in the order they were first counted since the last one. */
  counted: PortRecord[];
  global: any;
}
