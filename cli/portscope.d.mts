// Types of the published `portscope` entry (cli/portscope.mjs → cli/fixture.ts). Kept in step
// with the sources by tests/node/cli/published-types.check.ts (`npm run typecheck`).

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

export interface CountedMessages {
  posted: number;
  delivered: number;
  queued: number;
}

/** `portscope summary --json` without its `format`/`version` envelope; see the README. */
export interface Summary {
  contexts: { id: string; kind: string; url: string; observed: boolean }[];
  channels: number;
  ports: {
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
    counted?: CountedMessages;
  }[];
  messages: { posted: number; delivered: number; queued: number; dropped: number };
  /** Of `messages.posted`, those sent to a receiver no runtime observes. Present only when some were. */
  unobserved?: number;
  counted?: CountedMessages;
  carriers: number;
  transfers: { port: string; from: string; to: string }[];
  diagnostics: { code: DiagnosticCode; port: string | null; context: string | null; message: string }[];
}

/** What createPortscope uses of a Playwright BrowserContext: any Playwright version's context fits. */
export interface PortscopeContext {
  exposeBinding(name: string, binding: (source: unknown, json: unknown) => void): Promise<unknown>;
  addInitScript(script: { path?: string; content?: string }): Promise<unknown>;
  pages(): PortscopePage[];
  browser(): { version(): string } | null;
}

/** What `attach(page)` uses of a Playwright Page. */
export interface PortscopePage {
  url(): string;
  context(): unknown;
}

export interface PortscopeOptions {
  /** Capture the call site of every post and channel (costs page time). */
  captureStacks?: boolean;
  /** Instrument dedicated and shared workers from inside (docs/in-worker.md). */
  inWorker?: boolean;
  /** Message bodies kept; older ones are evicted, and counted. Default 100,000. */
  messageCap?: number;
  queueGrowingThreshold?: number;
  portLeakThreshold?: number;
  factLogCap?: number;
  recordCap?: number;
  correlationGraceMs?: number;
  backlogCap?: number;
  /** Contexts remembered for the trace. Default 10,000. */
  contextCap?: number;
}

export interface PortscopeTrace extends Summary {
  /** What the recording counted: facts, and what its bounds evicted, dropped or inferred. */
  stats: {
    facts: number;
    evictedMessages: number;
    evictedFacts: number;
    droppedFacts: Record<string, number>;
    unmatched: Record<string, number>;
    evictedRecords: number;
    inferred: Record<string, number>;
    waiting: number;
    counted: { posted: number; delivered: number };
  };
  /** Facts refused as malformed before the model, per kind. */
  refused: Record<string, number>;
  /** The trace file's document (`portscope-trace`, version 1). */
  toTrace(): object;
  save(path: string): Promise<void>;
}

export interface Portscope {
  /** Instruments the context (once) before `page` navigates; documents loaded earlier are not recorded. */
  attach(page?: PortscopePage): Promise<void>;
  /** Waits for the runtime's last flush, then returns the summary of everything recorded so far. */
  trace(): Promise<PortscopeTrace>;
  readonly recording: object;
}

export function createPortscope(context: PortscopeContext, options?: PortscopeOptions): Portscope;
