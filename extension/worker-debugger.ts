/**
 * The Chrome extension's "See inside workers": an opt-in per inspected tab (the panel's settings
 * write it, extension/preference.ts) that attaches `chrome.debugger` to the tab while the setting
 * is on and a Portscope panel is open on it, and instruments the tab's dedicated workers (of every
 * frame, nested ones included) and its service worker from their first line with the core the CLI
 * uses (extension/worker-targets.ts; a service worker's life that another debugger client let run
 * first stays outside, counted in the account). Their facts arrive as `Runtime.bindingCalled`
 * events and enter the tab's log through the router, as a relay's batches do (Router.workerBatch).
 *
 * Chrome shows its "started debugging this browser" bar while attached; a user who cancels it
 * turns the setting off for the tab. Detached when the setting goes off, when the last panel of
 * the tab goes (DevTools closed), and when the tab closes; attached again when the background
 * starts again (it is a service worker Chrome may stop) and a panel reconnects with the setting on.
 */
import type { RuntimeConfig } from '../protocol/handshake.ts';
import { SEE_INSIDE_WORKERS_PREFIX } from '../protocol/messages.ts';
import type { Router } from './router.ts';
import { ProtocolTargets, CdpEvents, type CdpParams, type CdpTransport, type WorkerAccount } from './worker-targets.ts';

const PROTOCOL_VERSION = '1.3';
/** The runtime evaluated in each worker: the CLI's (dist/portscope-injected.js), copied into the extension by scripts/build.mjs. */
export const WORKER_RUNTIME_FILE = 'portscope-injected.js';
/** A dedicated worker waits for its document's worker-created, which travels through the relay: longer than over the CLI's pipe. */
const MATCH_TIMEOUT_MS = 5_000;

/** `chrome.debugger` for one tab, with flattened child sessions (`sessionId`). */
class TabTransport extends CdpEvents implements CdpTransport {
  constructor(private readonly tabId: number) {
    super();
  }

  async send(method: string, params: CdpParams = {}, sessionId?: string): Promise<CdpParams> {
    const target: chrome.debugger.DebuggerSession =
      sessionId === undefined ? { tabId: this.tabId } : { tabId: this.tabId, sessionId };
    return ((await chrome.debugger.sendCommand(target, method, params)) ?? {}) as CdpParams;
  }
}

interface Attachment {
  transport: TabTransport;
  targets: ProtocolTargets;
}

/** What the test build's debug hook shows per tab (extension/debug-hook.ts). */
export interface DebuggerState {
  attached: boolean;
  workers: WorkerAccount | null;
  lastError: string | null;
  /** Attaches that found an earlier session of this extension still attached (a background Chrome stopped and started again). */
  takenBack: number;
}

export class WorkerDebugger {
  /** Tabs whose setting is on. */
  private readonly wanted = new Set<number>();
  /** Panels open per tab. */
  private readonly panels = new Map<number, number>();
  private readonly attached = new Map<number, Attachment>();
  /** One change at a time per tab: attach and detach are asynchronous. */
  private readonly queues = new Map<number, Promise<void>>();
  private readonly errors = new Map<number, string>();
  private readonly lastAccount = new Map<number, WorkerAccount>();
  private listening = false;
  private takenBack = 0;
  private runtime: Promise<string> | null = null;

  constructor(
    private readonly router: () => Router | null,
    /** The tab's runtime config, read each time a worker's runtime is evaluated (the panel can change it). */
    private readonly config: (tabId: number) => RuntimeConfig | undefined,
  ) {
    // Without the permission the namespace is absent until it is granted; listeners go on with the first attach.
    if (typeof chrome !== 'undefined' && chrome.debugger) this.listen();
  }

  /** The setting changed for a tab (or was read at start). */
  setWanted(tabId: number, on: boolean): void {
    if (on === this.wanted.has(tabId)) return;
    if (on) this.wanted.add(tabId);
    else this.wanted.delete(tabId);
    this.reconcile(tabId);
  }

  panelsChanged(tabId: number, panels: number): void {
    if (panels > 0) this.panels.set(tabId, panels);
    else this.panels.delete(tabId);
    this.reconcile(tabId);
  }

  /** Facts the tab's relays carried: the worker-created among them name its dedicated workers. */
  relayed(tabId: number, facts: readonly unknown[]): void {
    this.attached.get(tabId)?.targets.noteRelayedFacts(facts);
  }

  forgetTab(tabId: number): void {
    this.wanted.delete(tabId);
    this.panels.delete(tabId);
    this.errors.delete(tabId);
    this.lastAccount.delete(tabId);
    this.reconcile(tabId);
  }

  state(tabId: number): DebuggerState {
    const attachment = this.attached.get(tabId);
    return {
      attached: attachment !== undefined,
      workers: attachment?.targets.account ?? this.lastAccount.get(tabId) ?? null,
      lastError: this.errors.get(tabId) ?? null,
      takenBack: this.takenBack,
    };
  }

  private reconcile(tabId: number): void {
    const previous = this.queues.get(tabId) ?? Promise.resolve();
    const next = previous
      .then(() => this.step(tabId))
      .catch((e: unknown) => {
        this.errors.set(tabId, e instanceof Error ? e.message : String(e));
      });
    this.queues.set(tabId, next);
    void next.then(() => {
      if (this.queues.get(tabId) === next) this.queues.delete(tabId);
    });
  }

  private async step(tabId: number): Promise<void> {
    const should = this.wanted.has(tabId) && this.panels.has(tabId);
    const attachment = this.attached.get(tabId);
    if (should && !attachment) await this.attach(tabId);
    else if (!should && attachment) await this.detach(tabId);
  }

  private async attach(tabId: number): Promise<void> {
    if (typeof chrome === 'undefined' || !chrome.debugger) {
      this.errors.set(tabId, 'the debugger permission is not granted');
      return;
    }
    this.listen();
    const runtime = await this.loadRuntime();
    const transport = new TabTransport(tabId);
    const config = this.config;
    const targets = new ProtocolTargets(transport, {
      runtime,
      get captureStacks() {
        return config(tabId)?.captureStacks ?? false;
      },
      get preview() {
        return config(tabId)?.preview;
      },
      documents: 'relay',
      matchTimeoutMs: MATCH_TIMEOUT_MS,
      onBatch: (payload, sessionId) => this.router()?.workerBatch(tabId, sourceOf(sessionId), payload),
    });
    transport.on('Target.detachedFromTarget', (params) =>
      this.router()?.workerGone(tabId, sourceOf(params.sessionId as string)),
    );
    // Listed before the attach resolves: the first events may come with it.
    this.attached.set(tabId, { transport, targets });
    try {
      if (await attachDebugger(tabId)) this.takenBack++;
      await targets.startOnPage();
      this.errors.delete(tabId);
    } catch (e) {
      this.attached.delete(tabId);
      this.lastAccount.set(tabId, targets.account);
      this.errors.set(tabId, e instanceof Error ? e.message : String(e));
      await chrome.debugger.detach({ tabId }).catch(() => {});
    }
  }

  private async detach(tabId: number): Promise<void> {
    const attachment = this.attached.get(tabId);
    if (!attachment) return;
    this.attached.delete(tabId);
    this.lastAccount.set(tabId, attachment.targets.account);
    this.router()?.workerGone(tabId);
    // A worker paused at its first line runs on when the debugger goes.
    await chrome.debugger.detach({ tabId }).catch(() => {});
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    chrome.debugger.onEvent.addListener((source, method, params) => {
      if (source.tabId === undefined) return;
      const attachment = this.attached.get(source.tabId);
      if (attachment) attachment.transport.emit(method, (params ?? {}) as CdpParams, source.sessionId);
      else if (method === 'Target.attachedToTarget') letRun(source.tabId, params as CdpParams);
    });
    chrome.debugger.onDetach.addListener((source, reason) => {
      const tabId = source.tabId;
      if (tabId === undefined || !this.attached.has(tabId)) return;
      const attachment = this.attached.get(tabId)!;
      this.attached.delete(tabId);
      this.lastAccount.set(tabId, attachment.targets.account);
      this.router()?.workerGone(tabId);
      if (reason === 'canceled_by_user') {
        // The user dismissed Chrome's debugging bar: that is turning the setting off, not a failure to retry.
        this.wanted.delete(tabId);
        chrome.storage.session.remove(`${SEE_INSIDE_WORKERS_PREFIX}${tabId}`).catch(() => {});
      } else this.errors.set(tabId, `detached: ${reason}`);
    });
  }

  private loadRuntime(): Promise<string> {
    this.runtime ??= fetch(chrome.runtime.getURL(WORKER_RUNTIME_FILE)).then((r) => {
      if (!r.ok) throw new Error(`${WORKER_RUNTIME_FILE}: ${r.status}`);
      return r.text();
    });
    // A failed read is tried again on the next attach.
    this.runtime.catch(() => (this.runtime = null));
    return this.runtime;
  }
}

/**
 * A session of an earlier background outlives it (measured: Chrome keeps it attached when it
 * stops the service worker) and still attaches new workers paused on start; until this
 * background takes the tab again, they must not wait for nobody.
 */
function letRun(tabId: number, params: CdpParams): void {
  if (params.waitingForDebugger !== true || typeof params.sessionId !== 'string') return;
  chrome.debugger
    .sendCommand({ tabId, sessionId: params.sessionId }, 'Runtime.runIfWaitingForDebugger', {})
    .catch(() => {});
}

/** The router's source name for a worker session (the tab's own session has no worker). */
function sourceOf(sessionId: string | undefined): string {
  return `worker:${sessionId ?? 'tab'}`;
}

/**
 * A background that Chrome stopped and started again may find its earlier session still
 * attached: it is let go and taken again, so that this incarnation hears its events. True then.
 */
async function attachDebugger(tabId: number): Promise<boolean> {
  try {
    await chrome.debugger.attach({ tabId }, PROTOCOL_VERSION);
    return false;
  } catch (e) {
    if (!(e instanceof Error) || !/already attached/i.test(e.message)) throw e;
    await chrome.debugger.detach({ tabId }).catch(() => {});
    await chrome.debugger.attach({ tabId }, PROTOCOL_VERSION);
    return true;
  }
}
