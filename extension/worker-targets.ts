/**
 * Workers instrumented before their first line, through the DevTools protocol; one core for two
 * transports: the CLI's own Chromium pipe (cli/cdp-pipe.ts, every target of the browser) and
 * the extension's `chrome.debugger` on one tab (extension/worker-debugger.ts).
 *
 * Dedicated workers (of every frame, nested ones included), and in the CLI shared and service
 * workers, are auto-attached paused on start (`Target.setAutoAttach` with
 * `waitForDebuggerOnStart`), the runtime is evaluated in them, then they run. Their facts leave
 * through a protocol binding (`Runtime.addBinding`), which the runtime takes off the global
 * before any page code runs. Nothing is built from a blob and no URL is patched: the worker is
 * the page's own. Documents get the runtime as a script evaluated on each new document (CLI),
 * or already have it from the content scripts (extension): there, the script evaluated on each
 * new document only tells that document's runtime to name the dedicated workers it makes.
 *
 * A dedicated worker announces the ctx its owner named in `worker-created.childCtx`
 * (injected/worker-protocol.ts): the owner flushes that fact at once, and the worker stays
 * paused until it has arrived (on the owner's session, or from the relays); the two are matched
 * by script URL in order of creation. A shared worker derives its ctx itself; a service worker
 * has its own.
 */

import type { PreviewBounds } from '../protocol/facts.ts';

export type CdpParams = Record<string, unknown>;
export type CdpListener = (params: CdpParams, sessionId: string | undefined) => void;

/** The event side of both transports (the CLI's pipe, chrome.debugger): listeners per method, told the session an event came from. */
export class CdpEvents {
  private readonly listeners = new Map<string, Set<CdpListener>>();

  on(method: string, listener: CdpListener): void {
    let set = this.listeners.get(method);
    if (!set) {
      set = new Set();
      this.listeners.set(method, set);
    }
    set.add(listener);
  }

  off(method: string, listener: CdpListener): void {
    this.listeners.get(method)?.delete(listener);
  }

  emit(method: string, params: CdpParams, sessionId: string | undefined): void {
    for (const listener of this.listeners.get(method) ?? []) listener(params, sessionId);
  }
}

/** What the core needs of a DevTools protocol connection with flattened sessions (undefined: the root session). */
export interface CdpTransport {
  send(method: string, params?: CdpParams, sessionId?: string): Promise<CdpParams>;
  on(method: string, listener: CdpListener): void;
}

export const BINDING = '__portscopeEmit';
/**
 * The global the extension's script on each new document sets for the MAIN-world runtime, which
 * takes it off before any page script runs (injected/main.iife.ts).
 */
export const NAME_WORKERS_GLOBAL = '__portscopeNameWorkers';
/** Owner key of the facts the documents' relays carry (extension): one per tab, matched by URL. */
const RELAYED = '';
const WORKER_TYPES = new Set(['worker', 'shared_worker', 'service_worker']);
const DOCUMENT_TYPES = new Set(['page', 'iframe']);
/** How long a dedicated worker waits, paused, for its owner's worker-created before it runs with an id of its own. */
const MATCH_TIMEOUT_MS = 2_000;
/** The dedicated-worker filter of every page, frame and worker session (their frames and dedicated workers). */
const CHILDREN = [{ type: 'iframe' }, { type: 'worker' }];
/** How long a restarted service worker may compile nothing before it is taken as waiting on start (extension). */
const RESTART_WAIT_MS = 1_000;
/** worker-created facts waiting for their worker, per owner session (a page that never starts its workers must not grow this). */
const MAX_PENDING_PER_SESSION = 256;

export interface TargetOptions {
  /** The runtime bundle's text (dist/portscope-injected.js). */
  runtime: string;
  /** Read when a runtime is evaluated (the extension's setting can change). */
  readonly captureStacks: boolean;
  /** The preview bounds every runtime gets (`record --preview full`, the panel's setting); the runtime's default when absent. */
  readonly preview?: PreviewBounds;
  /** Each batch a runtime emits (a JSON string), with the session it came from. */
  onBatch(payload: string, sessionId: string | undefined): void;
  /**
   * `runtime` (CLI, the default): documents get the runtime and the binding here, and every
   * worker kind is named. `relay` (extension): documents already run the runtime from the
   * content scripts and their facts travel through the relays (handed in with
   * `noteRelayedFacts`); documents name dedicated workers only (a shared worker is never
   * attached through `chrome.debugger`; a service worker has an id of its own).
   */
  documents?: 'runtime' | 'relay';
  /** How long a dedicated worker waits, paused, for its owner's worker-created (default 2 s). */
  matchTimeoutMs?: number;
}

interface NamedWorker {
  /** Absent: the owner's runtime did not name it (a document loaded before naming was asked): it stays outside. */
  childCtx?: string;
  parent: string;
  url: string;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/** What happened to the workers, for the recording's summary and the tests. */
export interface WorkerAccount {
  /** Workers evaluated from their first line, per target type. */
  instrumented: Record<string, number>;
  /** Dedicated workers whose owner's worker-created never came: they announced an id of their own. */
  unmatched: number;
  /** Targets the runtime could not be evaluated in (they ran uninstrumented), with the first reason. */
  failed: number;
  firstFailure?: string;
  /** Dedicated workers their creator's runtime did not name (a document loaded before the setting): left to run outside. */
  leftOutside?: number;
  /** Service workers attached already running, not waiting on start (extension): their first line was past, left outside. */
  alreadyRunning?: number;
  /**
   * Lives of service workers (extension) that ran a script before the first-line breakpoint held
   * (another client let the worker run first): left outside, never instrumented late.
   */
  missedFirstLine?: number;
  /** Batches of those lives' runtimes when it went in too late: dropped. */
  lateBatches?: number;
}

/** The answer for a dedicated worker its creator did not name, and for a service worker's life reached too late. */
const OUTSIDE = Symbol('outside');

export class ProtocolTargets {
  readonly account: WorkerAccount = { instrumented: {}, unmatched: 0, failed: 0 };
  private readonly pending = new Map<string, NamedWorker[]>();
  private readonly waiters = new Set<() => void>();
  /** Workers attached and not yet at their first statement. */
  private readonly beforeFirstLine = new Map<
    string,
    { info: TargetInfo; owner: string | undefined; breakpointId?: string }
  >();
  /** Every worker session, for a service worker that starts again in it. */
  private readonly workerSessions = new Map<string, { info: TargetInfo; owner: string | undefined }>();
  /** The context a worker session's runtime announced, and the last fact number it used. */
  private readonly lives = new Map<string, { ctx: string; lastSeq: number }>();
  /**
   * Service workers (extension) between the start of a life and its first-line pause: the scripts
   * compiled meanwhile. Any but the one paused at means a script ran before the breakpoint held.
   */
  private readonly parsedThisLife = new Map<string, Set<string>>();
  /** Service worker sessions attached already running (extension): outside, but never left waiting at a restart. */
  private readonly outsideServiceWorkers = new Set<string>();
  /** Service workers (extension) at their first-line pause while the runtime goes in: true once another client resumed it. */
  private readonly atFirstLine = new Map<string, { resumedByAnother: boolean }>();
  /** Service worker lives whose runtime went in after the pause had ended: their facts are dropped, counted (a partial inside would pass for a whole one). */
  private readonly lateLives = new Set<string>();
  private closing = false;

  constructor(
    private readonly cdp: CdpTransport,
    private readonly options: TargetOptions,
  ) {
    cdp.on('Target.attachedToTarget', (params, parentSession) => void this.attached(params, parentSession));
    cdp.on('Runtime.bindingCalled', (params, sessionId) => this.bindingCalled(params, sessionId));
    cdp.on('Debugger.paused', (params, sessionId) => void this.paused(params, sessionId));
    cdp.on('Debugger.scriptParsed', (params, sessionId) => {
      if (sessionId !== undefined) this.parsedThisLife.get(sessionId)?.add(params.scriptId as string);
    });
    cdp.on('Debugger.resumed', (_params, sessionId) => {
      const pause = sessionId === undefined ? undefined : this.atFirstLine.get(sessionId);
      if (pause) pause.resumedByAnother = true;
    });
    cdp.on('Target.detachedFromTarget', (params) => {
      this.atFirstLine.delete(params.sessionId as string);
      this.lateLives.delete(params.sessionId as string);
      this.beforeFirstLine.delete(params.sessionId as string);
      this.workerSessions.delete(params.sessionId as string);
      this.lives.delete(params.sessionId as string);
      this.pending.delete(params.sessionId as string);
      this.parsedThisLife.delete(params.sessionId as string);
      this.outsideServiceWorkers.delete(params.sessionId as string);
    });
    cdp.on('Inspector.targetCrashed', (_params, sessionId) => this.stopped(sessionId));
    cdp.on('Inspector.targetReloadedAfterCrash', (_params, sessionId) => void this.restarted(sessionId));
  }

  /** Auto-attaches, paused, to every page, frame and worker of the browser from now on. */
  async start(): Promise<void> {
    await this.cdp.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
      filter: [
        { type: 'page' },
        { type: 'iframe' },
        { type: 'worker' },
        { type: 'shared_worker' },
        { type: 'service_worker' },
      ],
    });
  }

  /**
   * The extension: the transport's root session is the inspected tab's page. Its document and
   * its frames get the naming script for every new document; its dedicated workers (and its
   * frames' and workers'), and the page's service worker, are attached paused. Shared workers
   * are not: a tab's session does not attach them (measured, docs/in-worker.md).
   */
  async startOnPage(): Promise<void> {
    await this.setUpDocument(undefined);
  }

  private setUpDocument(sessionId: string | undefined): Promise<unknown> {
    const send = (method: string, p: CdpParams = {}) => this.cdp.send(method, p, sessionId);
    const relayed = this.options.documents === 'relay';
    return Promise.all([
      relayed ? undefined : send('Runtime.enable'),
      relayed ? undefined : send('Runtime.addBinding', { name: BINDING }),
      send('Page.enable'),
      send('Page.addScriptToEvaluateOnNewDocument', { source: this.documentScript() }),
      this.attachChildren(sessionId),
    ]);
  }

  /**
   * Shared and service workers are the browser session's (a page session would attach its
   * in-scope service worker a second time); a page's or a worker's own are its frames and dedicated workers.
   */
  private attachChildren(sessionId: string | undefined): Promise<CdpParams> {
    // The extension's root session is the tab's page: its in-scope service worker is attached there, once.
    const filter =
      this.options.documents === 'relay' && sessionId === undefined
        ? [...CHILDREN, { type: 'service_worker' }]
        : CHILDREN;
    return this.cdp.send(
      'Target.setAutoAttach',
      { autoAttach: true, waitForDebuggerOnStart: true, flatten: true, filter },
      sessionId,
    );
  }

  /** What each worker kind a runtime names: all of them, or (extension) the dedicated ones only. */
  private naming(): true | 'dedicated' {
    return this.options.documents === 'relay' ? 'dedicated' : true;
  }

  private documentScript(): string {
    // A property the MAIN-world runtime deletes before any page script runs; its value says what to name.
    if (this.options.documents === 'relay')
      return `Object.defineProperty(globalThis, ${JSON.stringify(NAME_WORKERS_GLOBAL)}, { value: "dedicated", configurable: true, writable: true });`;
    const config = {
      captureStacks: this.options.captureStacks,
      inWorker: false,
      workerContexts: true,
      preview: this.options.preview,
    };
    return `globalThis.__portscopeConfig = ${JSON.stringify(config)};\n${this.options.runtime}`;
  }

  private workerScript(worker: { ctx?: string; parent?: string }): string {
    const config = {
      captureStacks: this.options.captureStacks,
      inWorker: false,
      workerContexts: this.naming(),
      preview: this.options.preview,
      worker,
    };
    return `globalThis.__portscopeConfig = ${JSON.stringify(config)};\n${this.options.runtime}`;
  }

  private async attached(params: CdpParams, parentSession: string | undefined): Promise<void> {
    const sessionId = params.sessionId as string;
    const info = params.targetInfo as TargetInfo;
    const send = (method: string, p: CdpParams = {}) => this.cdp.send(method, p, sessionId);
    try {
      if (DOCUMENT_TYPES.has(info.type)) await this.setUpDocument(sessionId);
      else if (WORKER_TYPES.has(info.type)) {
        // Already running (the setting came later): its first line is past, so it stays outside.
        if (this.queuesUntilRun(info) && params.waitingForDebugger !== true) {
          this.account.alreadyRunning = (this.account.alreadyRunning ?? 0) + 1;
          this.outsideServiceWorkers.add(sessionId);
          return;
        }
        this.workerSessions.set(sessionId, { info, owner: this.ownerKey(parentSession) });
        if (this.queuesUntilRun(info)) return await this.armThenRun(sessionId);
        await Promise.all([this.armFirstLine(sessionId), this.attachChildren(sessionId)]);
      }
    } catch (err) {
      this.account.failed++;
      this.account.firstFailure ??= `${info.type} ${info.url}: ${(err as Error).message}`;
    }
    // Whatever happened above, the target runs: paused forever would change the page.
    await send('Runtime.runIfWaitingForDebugger').catch(() => {});
  }

  /**
   * Paused on start, a worker has no script URL yet: reading `location` there crashes the
   * renderer (measured in Chromium 156). The runtime goes in at the instrumentation breakpoint
   * before the first script statement, when the worker is whole; the binding is added only then.
   * A blob: worker never stops there (measured): it is left alone, seen from outside, and its
   * creator does not name it (injected/worker-protocol.ts). (`Debugger.pause` instead of the
   * breakpoint left a page waiting for good now and then: not used.)
   */
  private async armFirstLine(sessionId: string): Promise<void> {
    const worker = this.workerSessions.get(sessionId);
    if (!worker) return;
    if (worker.info.url.startsWith('blob:')) return;
    const send = (method: string, p: CdpParams = {}) => this.cdp.send(method, p, sessionId);
    const armed = { ...worker, breakpointId: undefined as string | undefined };
    this.beforeFirstLine.set(sessionId, armed);
    const [, , breakpoint] = await Promise.all([
      send('Runtime.enable'),
      send('Debugger.enable'),
      send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' }),
    ]);
    armed.breakpointId = breakpoint.breakpointId as string | undefined;
  }

  /**
   * A service worker waiting on start under `chrome.debugger` answers nothing but
   * `Runtime.runIfWaitingForDebugger`, yet it queues what it was sent before and applies it, in
   * order, before it runs (measured, docs/in-worker.md): the breakpoint is sent first, unawaited,
   * and holds before its first statement. Its session outlives a stop, and the next life does not
   * wait on start: the breakpoint stays armed for it (every later script's pause is resumed at
   * once, as not ours). Over the CLI's pipe every command is answered at once.
   */
  private queuesUntilRun(info: TargetInfo): boolean {
    return this.options.documents === 'relay' && info.type === 'service_worker';
  }

  /**
   * The commands go unawaited, then the worker is let run. Another client of the worker (DevTools'
   * own session, a test driver's) may let it run first: under load the breakpoint then arrived
   * after the worker's scripts had run (measured, docs/in-worker.md). A script compiled before the
   * breakpoint's reply says so; that life stays outside.
   */
  private async armThenRun(sessionId: string): Promise<void> {
    const parsed = new Set<string>();
    this.parsedThisLife.set(sessionId, parsed);
    const armed = this.armFirstLine(sessionId).then(() => {
      if (parsed.size > 0) this.missedFirstLine(sessionId);
    });
    const run = this.cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId);
    try {
      await Promise.all([armed, run]);
    } catch (err) {
      this.beforeFirstLine.delete(sessionId);
      this.parsedThisLife.delete(sessionId);
      this.account.failed++;
      const info = this.workerSessions.get(sessionId)?.info;
      this.account.firstFailure ??= `${info?.type} ${info?.url}: ${(err as Error).message}`;
      await this.cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
    }
  }

  /** This life of a service worker ran before its first line was reached: it is not instrumented (no partial inside). */
  private missedFirstLine(sessionId: string): void {
    if (!this.beforeFirstLine.delete(sessionId)) return;
    this.countMissed();
    this.parsedThisLife.delete(sessionId);
  }

  private countMissed(): void {
    this.account.missedFirstLine = (this.account.missedFirstLine ?? 0) + 1;
  }

  /**
   * A service worker the browser stopped (idle, or asked to) keeps its session: the session hears
   * `Inspector.targetCrashed`. Every port it held is gone with it, so its context is destroyed
   * (a fact the recorder writes for it, after the last one it sent); what is posted to those ports
   * afterwards is then a diagnostic, not a silent loss.
   */
  private stopped(sessionId: string | undefined): void {
    const worker = sessionId === undefined ? undefined : this.workerSessions.get(sessionId);
    if (worker && this.queuesUntilRun(worker.info)) {
      // Its session stays armed: the next life's first script is its first line.
      this.beforeFirstLine.set(sessionId!, { ...worker });
      this.parsedThisLife.set(sessionId!, new Set());
      this.lateLives.delete(sessionId!);
    }
    const life = sessionId === undefined ? undefined : this.lives.get(sessionId);
    if (!life || this.closing) return;
    this.lives.delete(sessionId!);
    const fact = {
      kind: 'context-destroyed',
      ctx: life.ctx,
      reason: 'terminate',
      seq: life.lastSeq + 1,
      time: Date.now(),
    };
    this.options.onBatch(JSON.stringify({ type: 'batch', seq: 1, facts: [fact] }), sessionId);
  }

  /**
   * The stopped service worker started again (`Inspector.targetReloadedAfterCrash`): a new
   * global, paused on start like the first, so it gets the runtime again, before its first line,
   * and announces itself as a new context.
   */
  private async restarted(sessionId: string | undefined): Promise<void> {
    if (sessionId === undefined) return;
    const worker = this.workerSessions.get(sessionId);
    if (this.outsideServiceWorkers.has(sessionId)) {
      await this.cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
      return;
    }
    if (worker && this.queuesUntilRun(worker.info)) {
      // It stops at the breakpoint its session kept armed (measured not waiting on start). Sent at
      // once, runIfWaitingForDebugger would end that first-line pause (measured); so only if this
      // life compiled nothing within a second, that is, if it waits on start after all.
      const parsed = this.parsedThisLife.get(sessionId);
      setTimeout(() => {
        if (parsed && parsed.size === 0 && this.parsedThisLife.get(sessionId) === parsed)
          void this.cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
      }, RESTART_WAIT_MS);
      return;
    }
    if (!worker) return;
    try {
      await this.armFirstLine(sessionId);
    } catch (err) {
      this.account.failed++;
      this.account.firstFailure ??= `restarted worker: ${(err as Error).message}`;
    }
    await this.cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
  }

  /** The recorder closes the browser: workers going away now are not the page's doing. */
  stop(): void {
    this.closing = true;
  }

  /**
   * Where the worker-created that names a worker attached under `parentSession` comes from: that
   * session's binding (the CLI's documents, any worker), or the relays (the extension's documents).
   */
  private ownerKey(parentSession: string | undefined): string | undefined {
    if (this.options.documents !== 'relay') return parentSession;
    return parentSession !== undefined && this.workerSessions.has(parentSession) ? parentSession : RELAYED;
  }

  /** Facts the documents' relays carried (extension): the worker-created among them name dedicated workers. */
  noteRelayedFacts(facts: readonly unknown[]): void {
    this.noteNamedWorkers(RELAYED, facts);
  }

  /** A worker at its first statement: the runtime goes in, the debugger goes away, the worker runs. */
  private async paused(params: CdpParams, sessionId: string | undefined): Promise<void> {
    if (sessionId === undefined) return;
    const send = (method: string, p: CdpParams = {}) => this.cdp.send(method, p, sessionId);
    const waiting = this.beforeFirstLine.get(sessionId);
    if (!waiting || params.reason !== 'instrumentation') {
      // Not ours (a `debugger` statement before our debugger was off): the page never asked to stop there.
      await send('Debugger.resume').catch(() => {});
      return;
    }
    const parsed = this.parsedThisLife.get(sessionId);
    if (parsed && [...parsed].some((id) => id !== (params.data as { scriptId?: string } | undefined)?.scriptId)) {
      // Another script was compiled first: this pause is not the life's first line.
      this.missedFirstLine(sessionId);
      await send('Debugger.resume').catch(() => {});
      return;
    }
    this.beforeFirstLine.delete(sessionId);
    this.parsedThisLife.delete(sessionId);
    const { info, owner } = waiting;
    try {
      const identity = info.type === 'worker' ? await this.ownerNamed(owner, info.url) : {};
      if (identity === OUTSIDE) {
        // Its creator did not name it, so its own announcement would be a second context: it runs as it is.
        this.account.leftOutside = (this.account.leftOutside ?? 0) + 1;
        throw OUTSIDE;
      }
      const pause = this.queuesUntilRun(info) ? { resumedByAnother: false } : undefined;
      if (pause) this.atFirstLine.set(sessionId, pause);
      await send('Runtime.addBinding', { name: BINDING });
      if (pause?.resumedByAnother) {
        // Another client ended the pause (its runIfWaitingForDebugger does, measured): too late to go in.
        this.atFirstLine.delete(sessionId);
        this.lateLives.add(sessionId);
        this.countMissed();
        await send('Runtime.evaluate', { expression: `delete globalThis.${BINDING}`, silent: true }).catch(() => {});
        throw OUTSIDE;
      }
      const result = await send('Runtime.evaluate', { expression: this.workerScript(identity), silent: true });
      this.atFirstLine.delete(sessionId);
      if (pause?.resumedByAnother) {
        // The runtime ran after the worker's first statements: its facts would tell part of the story as the whole.
        this.lateLives.add(sessionId);
        this.countMissed();
        throw OUTSIDE;
      }
      if (result.exceptionDetails) throw new Error('the runtime threw');
      this.account.instrumented[info.type] = (this.account.instrumented[info.type] ?? 0) + 1;
    } catch (err) {
      if (err !== OUTSIDE) {
        this.account.failed++;
        this.account.firstFailure ??= `${info.type} ${info.url}: ${(err as Error).message}`;
      }
    }
    if (this.queuesUntilRun(info)) {
      // Kept armed: its next life stops at the same breakpoint (measured, docs/in-worker.md).
      await send('Debugger.resume').catch(() => {});
      return;
    }
    if (waiting.breakpointId !== undefined)
      await send('Debugger.removeBreakpoint', { breakpointId: waiting.breakpointId }).catch(() => {});
    await send('Debugger.resume').catch(() => {});
    await send('Debugger.disable').catch(() => {});
  }

  /** The identity the owner named for a dedicated worker that just attached under `ownerSession`. */
  private async ownerNamed(
    ownerSession: string | undefined,
    url: string,
  ): Promise<{ ctx?: string; parent?: string } | typeof OUTSIDE> {
    if (ownerSession === undefined) return {};
    const timeout = this.options.matchTimeoutMs ?? MATCH_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    for (;;) {
      const named = this.take(ownerSession, url, Date.now() >= deadline - timeout / 2);
      if (named) return named.childCtx === undefined ? OUTSIDE : { ctx: named.childCtx, parent: named.parent };
      if (Date.now() >= deadline) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(100, Math.max(0, deadline - Date.now())));
        this.waiters.add(wake);
      });
    }
    this.account.unmatched++;
    return {};
  }

  /**
   * The first worker-created of `session` for `url`; once the owner had time to speak, the only
   * one pending when none has that URL (a redirected script attaches under its final URL).
   */
  private take(session: string, url: string, loose: boolean): NamedWorker | undefined {
    const list = this.pending.get(session);
    if (!list || list.length === 0) return undefined;
    let index = list.findIndex((w) => w.url === url);
    if (index < 0 && loose && list.length === 1) index = 0;
    if (index < 0) return undefined;
    return list.splice(index, 1)[0];
  }

  private bindingCalled(params: CdpParams, sessionId: string | undefined): void {
    if (params.name !== BINDING || typeof params.payload !== 'string') return;
    const payload = params.payload;
    if (sessionId !== undefined && payload.includes('"worker-created"')) this.noteBatchNames(sessionId, payload);
    if (sessionId !== undefined && this.lateLives.has(sessionId)) {
      this.account.lateBatches = (this.account.lateBatches ?? 0) + 1;
      return;
    }
    if (sessionId !== undefined && this.workerSessions.has(sessionId)) this.noteLife(sessionId, payload);
    this.options.onBatch(payload, sessionId);
  }

  /** Which context a worker session speaks for, and its last fact number (read off the text: no second parse of every batch). */
  private noteLife(sessionId: string, payload: string): void {
    const announced = /"kind":"context","ctx":"([^"\\]+)"/.exec(payload)?.[1];
    const seqAt = payload.lastIndexOf('"seq":');
    const lastSeq = seqAt < 0 ? NaN : Number.parseInt(payload.slice(seqAt + 6), 10);
    const life = this.lives.get(sessionId);
    if (announced !== undefined && (!life || life.ctx !== announced))
      this.lives.set(sessionId, { ctx: announced, lastSeq: Number.isFinite(lastSeq) ? lastSeq : 1 });
    else if (life && Number.isFinite(lastSeq) && lastSeq > life.lastSeq) life.lastSeq = lastSeq;
  }

  private noteBatchNames(sessionId: string, payload: string): void {
    let facts: unknown;
    try {
      facts = (JSON.parse(payload) as { facts?: unknown }).facts;
    } catch {
      return;
    }
    if (Array.isArray(facts)) this.noteNamedWorkers(sessionId, facts);
  }

  private noteNamedWorkers(owner: string, facts: readonly unknown[]): void {
    let list = this.pending.get(owner);
    for (const f of facts as (Record<string, unknown> | null)[]) {
      if (f?.kind !== 'worker-created' || f.workerKind !== 'worker' || typeof f.ctx !== 'string') continue;
      const url = typeof f.url === 'string' ? f.url : '';
      // Unnamed: a blob: worker (never paused, nothing to match) or, in the extension, a
      // document that was loaded before naming was asked; only the latter waits for its worker.
      if (typeof f.childCtx !== 'string' && (this.options.documents !== 'relay' || url.startsWith('blob:'))) continue;
      if (!list) {
        list = [];
        this.pending.set(owner, list);
      }
      if (list.length >= MAX_PENDING_PER_SESSION) list.shift();
      const named: NamedWorker = { parent: f.ctx, url };
      if (typeof f.childCtx === 'string') named.childCtx = f.childCtx;
      list.push(named);
    }
    for (const wake of [...this.waiters]) wake();
  }
}
