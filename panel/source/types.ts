/**
 * Where the panel's facts come from: the extension (a runtime port to the background,
 * one inspected tab) or a trace (the standalone viewer). The store knows only this shape.
 */
import type { Fact } from '../../protocol/facts.ts';
import type { RuntimeConfig } from '../../protocol/handshake.ts';
import type { BackgroundToPanel } from '../../protocol/messages.ts';

export type Connection = 'standalone' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** What the background reports about losses on the way (protocol/messages.ts `status`). */
export type RelayStatus = Omit<Extract<BackgroundToPanel, { type: 'status' }>, 'type' | 'tabId'>;

export const EMPTY_RELAY_STATUS: RelayStatus = { dropped: {}, evicted: {}, buffered: 0, rejected: 0 };

export interface SourceEvents {
  facts(facts: Fact[]): void;
  /** The inspected page navigated: a new session begins (its URL when known). */
  session(url: string | null): void;
  /** The URL of the current session's page. */
  pageUrl(url: string): void;
  status(status: RelayStatus): void;
  connection(state: Connection, attempt: number): void;
  /** Whether Portscope runs in the page (false: it loaded before the extension, or may not be scripted). */
  instrumented(on: boolean): void;
  /** Something the user should know that is not an error of theirs. */
  notice(text: string): void;
  /**
   * A Clear made before this panel saw the facts that follow (an earlier panel's, replayed when
   * this one subscribed), or by another panel of the tab: the messages before this point go.
   */
  cleared(): void;
}

export type SourceCommand = { type: 'clear' } | { type: 'config'; config: RuntimeConfig };

export interface FactSource {
  start(events: SourceEvents): void;
  send(command: SourceCommand): void;
  stop(): void;
}
