/**
 * Every context of the browser instrumented before its first line, through the DevTools
 * protocol: documents get the runtime as a script evaluated on each new document; dedicated
 * workers (of every frame, nested ones included), shared workers and service workers are
 * auto-attached paused on start (`Target.setAutoAttach` with `waitForDebuggerOnStart`), the
 * runtime is evaluated in them, then they run. Their facts leave through a protocol binding
 * (`Runtime.addBinding`), which the runtime takes off the global before any page code runs.
 * Nothing is built from a blob and no URL is patched: the worker is the page's own.
 *
 * A dedicated worker announces the ctx its owner named in `worker-created.childCtx`
 * (injected/worker-protocol.ts): the owner flushes that fact at once, and the worker stays
 * paused until it has arrived on the owner's session; the two are matched by script URL in
 * order of creation. A shared worker derives its ctx itself; a service worker has its own.
 */
import type { PreviewBounds } from '../protocol/facts.ts';
import type { CdpParams, CdpTransport } from './cdp-pipe.ts';

export const BINDING = '__portscopeEmit';
const WORKER_TYPES = new Set(['worker', 'shared_worker', 'service_worker']);
const DOCUMENT_TYPES = new Set(['page', 'iframe']);
/** How long a dedicated worker waits, paused, for its owner's worker-created before it runs with an id of its own. */
const MATCH_TIMEOUT_MS = 2_000;
/** worker-created facts waiting for their worker, per owner session (a page that never starts its workers must not grow this). */
const MAX_PENDING_PER_SESSION = 256;

export interface TargetOptions {
  /** The runtime bundle's text (dist/portscope-injected.js). */
  runtime: string;
  captureStacks: boolean;
  /** The preview bounds every runtime gets (`record --preview full`); the runtime's default when absent. */
  preview?: PreviewBounds;
  /** Each batch a runtime emits (a JSON string), with the session it came from. */
  onBatch(payload: string): void;
}

interface NamedWorker {
  childCtx: string;
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
}

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
  private closing = false;

  constructor(
    private readonly cdp: CdpTransport,
    private readonly options: TargetOptions,
  ) {
    cdp.on('Target.attachedToTarget', (params, parentSession) => void this.attached(params, parentSession));
    cdp.on('Runtime.bindingCalled', (params, sessionId) => this.bindingCalled(params, sessionId));
    cdp.on('Debugger.paused', (params, sessionId) => void this.paused(params, sessionId));
    cdp.on('Target.detachedFromTarget', (params) => {
      this.beforeFirstLine.delete(params.sessionId as string);
      this.workerSessions.delete(params.sessionId as string);
      this.lives.delete(params.sessionId as string);
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

  private documentScript(): string {
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
      workerContexts: true,
      preview: this.options.preview,
      worker,
    };
    return `globalThis.__portscopeConfig = ${JSON.stringify(config)};\n${this.options.runtime}`;
  }

  private async attached(params: CdpParams, parentSession: string | undefined): Promise<void> {
    const sessionId = params.sessionId as string;
    const info = params.targetInfo as TargetInfo;
    const send = (method: string, p: CdpParams = {}) => this.cdp.send(method, p, sessionId);
    // Shared and service workers are the browser session's (a page session would attach its
    // in-scope service worker a second time); a page's or a worker's own are its frames and dedicated workers.
    const children = () =>
      send('Target.setAutoAttach', {
        autoAttach: true,
        waitForDebuggerOnStart: true,
        flatten: true,
        filter: [{ type: 'iframe' }, { type: 'worker' }],
      });
    try {
      if (DOCUMENT_TYPES.has(info.type)) {
        await Promise.all([
          send('Runtime.enable'),
          send('Runtime.addBinding', { name: BINDING }),
          send('Page.enable'),
          send('Page.addScriptToEvaluateOnNewDocument', { source: this.documentScript() }),
          children(),
        ]);
      } else if (WORKER_TYPES.has(info.type)) {
        this.workerSessions.set(sessionId, { info, owner: parentSession });
        await Promise.all([this.armFirstLine(sessionId), children()]);
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
   * A service worker the browser stopped (idle, or asked to) keeps its session: the session hears
   * `Inspector.targetCrashed`. Every port it held is gone with it, so its context is destroyed
   * (a fact the recorder writes for it, after the last one it sent); what is posted to those ports
   * afterwards is then a diagnostic, not a silent loss.
   */
  private stopped(sessionId: string | undefined): void {
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
    this.options.onBatch(JSON.stringify({ type: 'batch', seq: 1, facts: [fact] }));
  }

  /**
   * The stopped service worker started again (`Inspector.targetReloadedAfterCrash`): a new
   * global, paused on start like the first, so it gets the runtime again, before its first line,
   * and announces itself as a new context.
   */
  private async restarted(sessionId: string | undefined): Promise<void> {
    if (sessionId === undefined || !this.workerSessions.has(sessionId)) return;
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
    this.beforeFirstLine.delete(sessionId);
    const { info, owner } = waiting;
    try {
      const identity = info.type === 'worker' ? await this.ownerNamed(owner, info.url) : {};
      await send('Runtime.addBinding', { name: BINDING });
      const result = await send('Runtime.evaluate', { expression: this.workerScript(identity), silent: true });
      if (result.exceptionDetails) throw new Error('the runtime threw');
      this.account.instrumented[info.type] = (this.account.instrumented[info.type] ?? 0) + 1;
    } catch (err) {
      this.account.failed++;
      this.account.firstFailure ??= `${info.type} ${info.url}: ${(err as Error).message}`;
    }
    if (waiting.breakpointId !== undefined)
      await send('Debugger.removeBreakpoint', { breakpointId: waiting.breakpointId }).catch(() => {});
    await send('Debugger.resume').catch(() => {});
    await send('Debugger.disable').catch(() => {});
  }

  /** The identity the owner named for a dedicated worker that just attached under `ownerSession`. */
  private async ownerNamed(ownerSession: string | undefined, url: string): Promise<{ ctx?: string; parent?: string }> {
    if (ownerSession === undefined) return {};
    const deadline = Date.now() + MATCH_TIMEOUT_MS;
    for (;;) {
      const named = this.take(ownerSession, url, Date.now() >= deadline - MATCH_TIMEOUT_MS / 2);
      if (named) return { ctx: named.childCtx, parent: named.parent };
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
    if (sessionId !== undefined && payload.includes('"worker-created"')) this.noteNamedWorkers(sessionId, payload);
    if (sessionId !== undefined && this.workerSessions.has(sessionId)) this.noteLife(sessionId, payload);
    this.options.onBatch(payload);
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

  private noteNamedWorkers(sessionId: string, payload: string): void {
    let facts: unknown;
    try {
      facts = (JSON.parse(payload) as { facts?: unknown }).facts;
    } catch {
      return;
    }
    if (!Array.isArray(facts)) return;
    let list = this.pending.get(sessionId);
    for (const f of facts as Record<string, unknown>[]) {
      if (
        f?.kind !== 'worker-created' ||
        f.workerKind !== 'worker' ||
        typeof f.childCtx !== 'string' ||
        typeof f.ctx !== 'string'
      )
        continue;
      if (!list) {
        list = [];
        this.pending.set(sessionId, list);
      }
      if (list.length >= MAX_PENDING_PER_SESSION) list.shift();
      list.push({ childCtx: f.childCtx, parent: f.ctx, url: typeof f.url === 'string' ? f.url : '' });
    }
    for (const wake of [...this.waiters]) wake();
  }
}
