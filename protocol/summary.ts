/**
 * The stable `portscope summary --json` shape, produced by the model
 * (panel/model) for the CLI, the Playwright fixture and tests. Changing a field is a
 * breaking change of a public interface.
 */
export type DiagnosticCode =
  | 'port-never-started'
  | 'post-after-close'
  | 'post-after-transfer'
  | 'doomed-message'
  | 'clone-error'
  | 'message-to-destroyed-context'
  | 'queue-growing'
  | 'port-leak'
  | 'handler-threw'
  | 'client-message-queue-never-started';

export type DropReason = 'closed' | 'doomed' | 'shipped' | 'origin-mismatch' | 'context-destroyed';

export interface SummaryContext {
  id: string;
  kind: string;
  url: string;
  observed: boolean;
}

export interface SummaryPort {
  id: string;
  channel: string;
  context: string;
  enabled: boolean;
  shipped: boolean;
  closed: boolean;
  queued: number;
  posted: number;
  delivered: number;
  dropped: number;
  /** The well-known library that created this port's channel, when its creation site tells (React scheduler, comlink, penpal, workbox-window). */
  library?: string;
  /** First seen when used: the port arrived by a path Portscope did not observe; what came before is unknown. */
  seenLate?: true;
  /**
   * Of the numbers above, the messages counted rather than recorded (nobody watched the tab:
   * `messages-counted`). Present only when some were.
   */
  counted?: CountedMessages;
}

/** Messages known by count only: no preview, no record. */
export interface CountedMessages {
  posted: number;
  delivered: number;
  queued: number;
}

export interface SummaryDiagnostic {
  code: DiagnosticCode;
  port: string | null;
  context: string | null;
  message: string;
}

export interface Summary {
  contexts: SummaryContext[];
  channels: number;
  ports: SummaryPort[];
  messages: { posted: number; delivered: number; queued: number; dropped: number };
  /**
   * Of `messages.posted`, those sent to a port held by a context the runtime does not run in
   * (an uninstrumented worker): neither delivered, queued nor dropped as far as anyone can see.
   * Present only when some were.
   */
  unobserved?: number;
  /** Of `messages`, those counted rather than recorded. Present only when some were. */
  counted?: CountedMessages;
  /**
   * `carriers` counts recorded carrier messages; these are the worker and window carrier
   * messages without ports counted rather than recorded (`carriers-counted`), posted and
   * received as each context counted them (one message may be counted at both ends). Present
   * only when some were.
   */
  countedCarriers?: { posted: number; received: number };
  carriers: number;
  transfers: { port: string; from: string; to: string }[];
  diagnostics: SummaryDiagnostic[];
}
