/** What the recorder needs from a browser, whichever automation library drives it. */
import type { RuntimeConfig } from '../protocol/handshake.ts';

export interface DriverOptions {
  runtimeBundle: string;
  /** Runtime configuration injected before the bundle; undefined keeps the runtime's defaults. */
  config?: RuntimeConfig;
  headed: boolean;
  loadTimeoutMs: number;
  /** Called with each message the runtime emits (a JSON string). */
  onBatch(message: unknown): void;
}

export interface Driver {
  browserVersion: string;
  /** Rejects with a PortscopeCliError if the page crashes; never resolves. */
  crashed: Promise<never>;
  open(url: string): Promise<void>;
  /** Evaluates a page expression in the top document (tests read what the page itself did). */
  evaluate(expression: string): Promise<unknown>;
  close(): Promise<void>;
}
