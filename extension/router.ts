/**
 * The background's routing: relays (one per document per frame) send numbered batches; the
 * router de-duplicates them per relay, keeps each tab's bounded log, and forwards to the panels
 * subscribed to that tab — never to another tab's. Written against a minimal port interface so
 * the routing is unit-tested in Node; extension/background.ts wires it to the browser.
 */
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../protocol/handshake.ts';
import {
  addCounts,
  advanceCursor,
  emptyCounts,
  type BackgroundToContent,
  type BackgroundToPanel,
  type Cursor,
  type DropCounts,
} from '../protocol/messages.ts';
import type { Fact } from '../protocol/facts.ts';
import {
  ProtocolError,
  validateContentToBackground,
  validateDevtoolsToBackground,
  validatePanelToBackground,
} from '../protocol/validate.ts';
import { TabLog, heldChunk, type Chunk } from './tab-log.ts';
import { FactGaps } from './fact-gaps.ts';
import { FactSenders } from './fact-sender.ts';
import { fillUserAgent } from './relay-user-agent.ts';

export interface PortLike {
  name: string;
  sender?: { tab?: { id?: number }; frameId?: number; url?: string; id?: string };
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** What survives a background restart (small; kept in storage.session). */
export interface PersistedTab {
  session: string | null;
  url: string;
  config: RuntimeConfig;
  /** Per relay, batches up to this seq were cleared by the panel and must not come back on replay. */
  cleared: Record<string, number>;
}

export interface RouterHooks {
  /** The extension's own origin (`chrome-extension://<id>/`): only its pages may connect as panels. */
  extensionOrigin: string;
  /** Ask every relay of the tab to say hello (after a restart, idle relays have not reconnected). */
  resync(tabId: number): void;
  /** Whether any content script in the tab answers (a `probe` from the panel); absent: unknown (false). */
  reach?(tabId: number): Promise<boolean>;
  persist(tabId: number, state: PersistedTab | null): void;
  /** Facts per tab. */
  cap?: number;
  /** Characters (of the facts' JSON) per tab. */
  capChars?: number;
  /** Status messages per tab are sent at most this often. */
  statusIntervalMs?: number;
  /** The in-worker runtime's text; by default the build's (vite.config.ts), absent in Node. */
  workerRuntime?: string;
  /**
   * The "Record while DevTools is closed" preference as stored when the router is made. The
   * background reads it before any relay is answered, so no welcome carries a stale value.
   */
  recordWhileClosed?: boolean;
  /** A tab's config was set by a panel or restored after a restart (extension/early-in-worker.ts listens). */
  configured?(tabId: number, config: RuntimeConfig): void;
  /** A relay batch was taken, in the form it travelled in (only the test build listens: extension/debug-hook.ts). */
  accepted?(form: 'json' | 'objects', facts: readonly Fact[]): void;
  /** The panels subscribed to a tab changed (extension/worker-debugger.ts attaches only while there is one). */
  panelsChanged?(tabId: number, panels: number): void;
  /**
   * Facts of a tab's current document entered its log from a relay (extension/worker-debugger.ts
   * names the workers its documents made; extension/early-in-worker.ts learns the blob: probes' answers).
   */
  relayed?(tabId: number, facts: readonly Fact[]): void;
}

/** The in-worker runtime's text, embedded here rather than in the MAIN-world script of every frame. */
declare const __PORTSCOPE_WORKER_RUNTIME__: string | undefined;
const BUILT_WORKER_RUNTIME =
  typeof __PORTSCOPE_WORKER_RUNTIME__ === 'string' ? __PORTSCOPE_WORKER_RUNTIME__ : undefined;

/** The drop kind of facts from an earlier document of the tab, arriving after the new top frame said hello. */
export const STALE_SESSION = 'stale-session';

interface RelayState {
  relay: string;
  session: string;
  lastSeq: number;
  port: PortLike | null;
  /** Said with the relay's first batch on a connection (extension/relay-user-agent.ts). */
  userAgent?: string;
}

interface PanelConn {
  port: PortLike;
  tabId: number | null;
  cursor: Cursor;
}

type ContentMessage = ReturnType<typeof validateContentToBackground>;

export interface TabState extends PersistedTab {
  tabId: number;
  relays: Map<string, RelayState>;
  log: TabLog;
  dropped: DropCounts;
  rejected: number;
  lastError?: string;
  panels: Set<PanelConn>;
  /** Connections of DevTools windows open on this tab (extension/devtools.ts). */
  inspectors: Set<PortLike>;
  /** The `recordMessages` last sent to the tab's relays. */
  recording: boolean;
  /**
   * The latest Clear: the arrival number of the last chunk the log held then, or null. Clear
   * keeps the log (contexts, channels and ports are stateful: a later dispatch needs the post's
   * port, the port its channel) and marks where the cut falls; a panel that subscribes later
   * gets `cleared` at that point of its replay and drops the messages before it, as the panel
   * that cleared did (panel/recording.ts). One number: the latest cut drops every message an
   * earlier one did, since a message no longer queued never is again.
   */
  cut: number | null;
  resynced: boolean;
  statusTimer?: ReturnType<typeof setTimeout>;
}

export class Router {
  protected readonly tabs = new Map<number, TabState>();
  /** Per tab, per worker session of the debugger (workerBatch): numbered like a relay's batches. */
  private readonly workerSources = new Map<number, Map<string, RelayState>>();
  private readonly gaps = new FactGaps();
  private readonly senders = new FactSenders();
  private arrival = 0;
  protected recordWhileClosed: boolean;

  constructor(private readonly hooks: RouterHooks) {
    this.recordWhileClosed = hooks.recordWhileClosed ?? false;
  }

  /** Restores what a previous incarnation of the background persisted. */
  hydrate(tabId: number, saved: PersistedTab): void {
    const tab = this.tab(tabId);
    tab.session = saved.session;
    tab.url = saved.url;
    tab.config = saved.config;
    tab.cleared = { ...saved.cleared };
    this.hooks.configured?.(tabId, tab.config);
  }

  private tab(tabId: number): TabState {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = {
        tabId,
        session: null,
        url: '',
        config: DEFAULT_RUNTIME_CONFIG,
        cleared: {},
        relays: new Map(),
        log: new TabLog(this.hooks.cap, this.hooks.capChars),
        dropped: emptyCounts(),
        rejected: 0,
        panels: new Set(),
        inspectors: new Set(),
        recording: this.recordWhileClosed,
        resynced: false,
        cut: null,
      };
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  private persist(tab: TabState) {
    this.hooks.persist(tab.tabId, { session: tab.session, url: tab.url, config: tab.config, cleared: tab.cleared });
  }

  forgetTab(tabId: number): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    clearTimeout(tab.statusTimer);
    this.tabs.delete(tabId);
    this.workerSources.delete(tabId);
    this.gaps.forget(tabId);
    this.hooks.persist(tabId, null);
  }

  // ── relays ────────────────────────────────────────────────────────────────

  connectContent(port: PortLike): void {
    const tabId = port.sender?.tab?.id;
    if (typeof tabId !== 'number' || tabId < 0) {
      port.disconnect();
      return;
    }
    const frameId = port.sender?.frameId ?? 0;
    let relay: RelayState | null = null;
    this.listen(
      port,
      validateContentToBackground,
      () => this.tab(tabId),
      (m, raw) => {
        const tab = this.tab(tabId);
        if (m.type === 'hello') {
          relay = this.hello(tab, port, frameId, m);
          return;
        }
        if (!relay) {
          this.reject(tab, 1, 'message: batch before hello');
          return;
        }
        this.hooks.accepted?.((raw as { type: unknown }).type === 'json-batch' ? 'json' : 'objects', m.facts);
        this.batch(tab, relay, port, m);
      },
    );
    port.onDisconnect.addListener(() => {
      if (relay && relay.port === port) relay.port = null;
    });
  }

  private batch(
    tab: TabState,
    relay: RelayState,
    port: PortLike | null,
    m: Exclude<ContentMessage, { type: 'hello' }>,
  ): void {
    if (m.seq <= relay.lastSeq) {
      // A replay of something already held: acknowledge again, keep nothing.
      if (port) this.toContent(port, { type: 'ack', seq: m.seq });
      return;
    }
    relay.lastSeq = m.seq;
    if (m.userAgent !== undefined) relay.userAgent = m.userAgent;
    if (port) this.toContent(port, { type: 'ack', seq: m.seq });
    if (relay.session === tab.session)
      this.senders.admit(tab, relay.session, relay.relay, port && (port.sender ?? {}), m, (n, e) =>
        this.reject(tab, n, e),
      );
    addCounts(tab.dropped, m.dropped);
    const missing = this.gaps.note(tab.tabId, relay.session, m);
    if (missing) addCounts(tab.dropped, { missing });
    if (m.rejected) this.reject(tab, m.rejected, m.error);
    if (m.rejectedFacts) this.reject(tab, m.rejectedFacts, m.factError);
    if (relay.session !== tab.session) {
      // An earlier document of this tab (a late iframe of the previous page): its facts are not kept, but counted.
      if (m.facts.length) addCounts(tab.dropped, { [STALE_SESSION]: m.facts.length });
    } else if (m.facts.length) {
      const filled = fillUserAgent(m.facts, relay.userAgent);
      // The relay's texts are kept as they are while they are exactly the facts kept; else the
      // facts are encoded once, here. Either way the log keeps texts only, not the objects.
      const texts = filled === 0 && m.texts !== undefined ? m.texts : null;
      const arrival = ++this.arrival;
      this.deliver(
        tab,
        heldChunk({ arrival, session: relay.session, source: relay.relay, seq: m.seq }, m.facts, texts),
      );
      if (port) this.hooks.relayed?.(tab.tabId, m.facts);
    }
    this.scheduleStatus(tab);
  }

  /**
   * A batch a worker's runtime sent through the DevTools protocol (extension/worker-debugger.ts),
   * as the runtime wrote it (`{"type":"batch","seq":N,"facts":[…]}`): it enters the tab's log as
   * a relay's batch does — validated as one, numbered per worker session, its facts' numbers
   * checked for gaps, counted as stale once the tab's top document has changed.
   */
  workerBatch(tabId: number, source: string, payload: string): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    if (tab.session === null) {
      // No document of the tab said hello yet: there is no session to keep these in, only a count.
      const facts = (() => {
        try {
          return (JSON.parse(payload) as { facts?: unknown } | null)?.facts;
        } catch {
          return undefined;
        }
      })();
      addCounts(tab.dropped, { [STALE_SESSION]: Array.isArray(facts) ? facts.length : 1 });
      this.scheduleStatus(tab);
      return;
    }
    let sources = this.workerSources.get(tabId);
    if (!sources) {
      sources = new Map();
      this.workerSources.set(tabId, sources);
    }
    let relay = sources.get(source);
    if (!relay) {
      relay = { relay: source, session: tab.session, lastSeq: 0, port: null };
      sources.set(source, relay);
    }
    let m: ContentMessage;
    try {
      let facts: unknown;
      try {
        facts = (JSON.parse(payload) as { facts?: unknown } | null)?.facts;
      } catch {
        throw new ProtocolError('worker batch', 'not JSON');
      }
      m = validateContentToBackground({ type: 'batch', seq: relay.lastSeq + 1, facts });
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      relay.lastSeq++;
      this.reject(tab, 1, e.message);
      return;
    }
    if (m.type !== 'hello') this.batch(tab, relay, null, m);
  }

  /** The debugger let a worker session go (it ended, or the debugger detached): nothing more comes from it. */
  workerGone(tabId: number, source?: string): void {
    if (source === undefined) this.workerSources.delete(tabId);
    else this.workerSources.get(tabId)?.delete(source);
  }

  /**
   * The one way in for every connection: each message is validated first; a malformed one is
   * counted against the tab it concerns (when known) and goes no further.
   */
  private listen<T>(
    port: PortLike,
    validate: (raw: unknown) => T,
    blame: () => TabState | null,
    handle: (m: T, raw: unknown) => void,
  ): void {
    port.onMessage.addListener((raw) => {
      let m: T;
      try {
        m = validate(raw);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        const tab = blame();
        if (tab) this.reject(tab, 1, e.message);
        return;
      }
      handle(m, raw);
    });
  }

  private hello(
    tab: TabState,
    port: PortLike,
    frameId: number,
    m: Extract<ContentMessage, { type: 'hello' }>,
  ): RelayState {
    if (frameId === 0 && m.top) {
      if (tab.session !== m.relay) {
        this.startSession(tab, m.relay, m.url);
        // A document never welcomed before: all its contexts' facts are to come here.
        if (m.session === null) this.gaps.start(tab.tabId, m.relay);
      } else if (tab.url !== m.url) {
        tab.url = m.url;
        this.persist(tab);
      }
    } else if (tab.session === null) {
      // The background restarted and this subframe spoke before its top frame: adopt its session.
      this.startSession(tab, m.session ?? m.relay, '');
    }
    const session = m.session ?? tab.session!;
    let relay = tab.relays.get(m.relay);
    if (!relay || relay.session !== session) {
      relay = { relay: m.relay, session, lastSeq: tab.cleared[m.relay] ?? 0, port: null };
      if (session === tab.session) tab.relays.set(m.relay, relay);
      // A fresh background lacks whatever the relay evicted from its own log.
      if (relay.lastSeq === 0 && m.firstRetained > 1 && session === tab.session) {
        addCounts(tab.log.evicted, m.evicted);
        this.scheduleStatus(tab);
      }
    }
    // A relay of a document that is no longer the tab's (a late iframe of the previous page): nothing to replay.
    if (session !== tab.session) relay.lastSeq = Math.max(relay.lastSeq, m.lastSeq);
    relay.port = port;
    this.toContent(port, {
      type: 'welcome',
      session,
      resumeAfter: relay.lastSeq,
      config: tab.config,
      ...this.workerRuntimeFor(tab.config),
      recordMessages: tab.recording,
    });
    return relay;
  }

  private startSession(tab: TabState, session: string, url: string) {
    tab.session = session;
    tab.url = url;
    tab.log.clear();
    tab.cut = null;
    tab.dropped = emptyCounts();
    tab.rejected = 0;
    tab.lastError = undefined;
    tab.cleared = {};
    tab.relays.clear();
    this.persist(tab);
    this.toPanels(tab, { type: 'session', tabId: tab.tabId, session, url });
    this.scheduleStatus(tab);
  }

  private deliver(tab: TabState, chunk: Chunk) {
    tab.log.append(chunk);
    // The chunk as it came, even if the bound evicted part of it at once: these panels are live.
    for (const panel of tab.panels) this.offer(panel, tab, chunk);
  }

  /** Sends a chunk to a panel: a held one without the facts evicted from it (TabLog.sendable). */
  private offer(panel: PanelConn, tab: TabState, chunk: Chunk) {
    if (!advanceCursor(panel.cursor, chunk)) return;
    const { session, source, seq, texts } = chunk.skip ? tab.log.sendable(chunk) : chunk;
    this.toPanel(panel, { type: 'facts-text', tabId: tab.tabId, session, source, seq, json: texts });
  }

  private reject(tab: TabState, n: number, error: string | undefined) {
    tab.rejected += n;
    if (error) tab.lastError = error;
    this.scheduleStatus(tab);
  }

  private toContent(port: PortLike, m: BackgroundToContent) {
    try {
      port.postMessage(m);
    } catch {
      // The relay went away; it says hello again when it comes back.
    }
  }

  // ── panels ────────────────────────────────────────────────────────────────

  connectPanel(port: PortLike): void {
    if (!port.sender?.url?.startsWith(this.hooks.extensionOrigin)) {
      port.disconnect();
      return;
    }
    const conn: PanelConn = { port, tabId: null, cursor: {} };
    const blame = () => (conn.tabId === null ? null : this.tab(conn.tabId));
    this.listen(port, validatePanelToBackground, blame, (m) => {
      switch (m.type) {
        case 'subscribe':
          return this.subscribe(conn, m.tabId, m.cursor ?? {});
        case 'clear':
          return this.clearTab(this.tab(m.tabId), conn);
        case 'config':
          if (conn.tabId !== null) this.configure(this.tab(conn.tabId), m.config);
          return;
        case 'probe':
          return void this.probe(conn, m.tabId);
      }
    });
    port.onDisconnect.addListener(() => this.unsubscribe(conn));
  }

  private unsubscribe(conn: PanelConn) {
    const tab = conn.tabId === null ? undefined : this.tabs.get(conn.tabId);
    if (tab?.panels.delete(conn)) {
      this.watchersChanged(tab);
      this.hooks.panelsChanged?.(tab.tabId, tab.panels.size);
    }
  }

  private subscribe(conn: PanelConn, tabId: number, cursor: Cursor) {
    if (conn.tabId !== tabId) this.unsubscribe(conn);
    const tab = this.tab(tabId);
    conn.tabId = tabId;
    conn.cursor = { ...cursor };
    tab.panels.add(conn);
    this.watchersChanged(tab);
    this.hooks.panelsChanged?.(tabId, tab.panels.size);
    if (tab.session) this.toPanel(conn, { type: 'session', tabId, session: tab.session, url: tab.url });
    // A panel that has seen nothing gets the latest Clear where it fell. One with a cursor was
    // subscribed then, and cut its own view (or was told: `cleared` below).
    let cutPending = tab.cut !== null && Object.keys(cursor).length === 0;
    let beforeCut = false;
    for (const chunk of tab.log) {
      if (cutPending && chunk.arrival > tab.cut!) {
        cutPending = false;
        if (beforeCut) this.toPanel(conn, { type: 'cleared', tabId });
      }
      beforeCut = true;
      this.offer(conn, tab, chunk);
    }
    if (cutPending && beforeCut) this.toPanel(conn, { type: 'cleared', tabId });
    tab.log.settle();
    this.toPanel(conn, this.status(tab));
    if (!tab.resynced) {
      tab.resynced = true;
      this.hooks.resync(tabId);
    }
  }

  private async probe(conn: PanelConn, tabId: number) {
    const contentScript = this.hooks.reach ? await this.hooks.reach(tabId).catch(() => false) : false;
    // Counted after the reach: answering it, an idle relay says hello again. Only connected
    // relays count: the relays of a document the tab navigated away from have disconnected.
    let relays = 0;
    for (const relay of this.tabs.get(tabId)?.relays.values() ?? []) if (relay.port) relays++;
    this.toPanel(conn, { type: 'presence', tabId, relays, contentScript });
  }

  /**
   * A panel's Clear: the log stays (bounded as ever) with the cut marked in it (TabState.cut);
   * the other panels of the tab are told, so that they cut where it falls in their stream. The
   * relays forget their retained batches, so a restarted background does not replay cleared
   * messages (it starts from the cut, without the structure before it: kept in memory only).
   */
  protected clearTab(tab: TabState, by: PanelConn | null) {
    let last: number | null = null;
    for (const chunk of tab.log) last = chunk.arrival;
    if (last !== null) tab.cut = last;
    this.forgetRelays(tab);
    for (const panel of tab.panels) if (panel !== by) this.toPanel(panel, { type: 'cleared', tabId: tab.tabId });
    this.toPanels(tab, this.status(tab));
  }

  /** Empties the tab's log and counts (the test build's debug hook, between scenarios). */
  protected emptyTab(tab: TabState) {
    this.forgetRelays(tab);
    tab.log.clear();
    tab.cut = null;
    this.toPanels(tab, { type: 'cleared', tabId: tab.tabId });
    this.toPanels(tab, this.status(tab));
  }

  private forgetRelays(tab: TabState) {
    for (const relay of tab.relays.values()) {
      tab.cleared[relay.relay] = relay.lastSeq;
      if (relay.port) this.toContent(relay.port, { type: 'forget', seq: relay.lastSeq });
    }
    tab.dropped = {};
    tab.rejected = 0;
    tab.lastError = undefined;
    this.persist(tab);
  }

  protected configure(tab: TabState, config: RuntimeConfig) {
    tab.config = config;
    this.persist(tab);
    this.sendConfig(tab);
    this.hooks.configured?.(tab.tabId, config);
  }

  private sendConfig(tab: TabState) {
    const m: BackgroundToContent = {
      type: 'config',
      config: tab.config,
      ...this.workerRuntimeFor(tab.config),
      recordMessages: tab.recording,
    };
    for (const relay of tab.relays.values()) if (relay.port) this.toContent(relay.port, m);
  }

  // ── who watches ───────────────────────────────────────────────────────────

  /** A DevTools window's devtools page: its tab is watched until the connection ends. */
  connectDevtools(port: PortLike): void {
    if (!port.sender?.url?.startsWith(this.hooks.extensionOrigin)) {
      port.disconnect();
      return;
    }
    let inspected: TabState | null = null;
    this.listen(
      port,
      validateDevtoolsToBackground,
      () => inspected,
      (m) => {
        if (inspected?.tabId === m.tabId) return;
        if (inspected?.inspectors.delete(port)) this.watchersChanged(inspected);
        inspected = this.tab(m.tabId);
        inspected.inspectors.add(port);
        this.watchersChanged(inspected);
      },
    );
    port.onDisconnect.addListener(() => {
      if (inspected?.inspectors.delete(port)) this.watchersChanged(inspected);
    });
  }

  /** The "Record while DevTools is closed" preference changed (storage.onChanged). */
  setRecordWhileClosed(on: boolean): void {
    this.recordWhileClosed = on;
    for (const tab of this.tabs.values()) this.watchersChanged(tab);
  }

  /** The tab's runtime config (the debugger's worker runtimes follow it: stacks, preview bounds). */
  runtimeConfig(tabId: number): RuntimeConfig | undefined {
    return this.tabs.get(tabId)?.config;
  }

  /** Whether the tab's runtimes record every message (true) or count plain traffic. */
  recordMessages(tabId: number): boolean {
    return this.tabs.get(tabId)?.recording ?? this.recordWhileClosed;
  }

  private watchersChanged(tab: TabState) {
    const recording = tab.panels.size > 0 || tab.inspectors.size > 0 || this.recordWhileClosed;
    if (recording === tab.recording) return;
    tab.recording = recording;
    this.sendConfig(tab);
    // Idle relays let their port go (content/link.ts): ask them to say hello, and the welcome carries the news.
    let everyRelayConnected = tab.relays.size > 0;
    for (const relay of tab.relays.values()) if (!relay.port) everyRelayConnected = false;
    if (!everyRelayConnected) {
      tab.resynced = true;
      this.hooks.resync(tab.tabId);
    }
  }

  /** The in-worker runtime travels to the relays only while the setting is on (docs/in-worker.md). */
  private workerRuntimeFor(config: RuntimeConfig): { workerRuntime?: string } {
    const text = this.hooks.workerRuntime ?? BUILT_WORKER_RUNTIME;
    return config.inWorker && text !== undefined ? { workerRuntime: text } : {};
  }

  protected status(tab: TabState): BackgroundToPanel {
    const m: BackgroundToPanel = {
      type: 'status',
      tabId: tab.tabId,
      dropped: { ...tab.dropped },
      evicted: { ...tab.log.evicted },
      buffered: tab.log.buffered,
      rejected: tab.rejected,
    };
    if (tab.lastError) m.lastError = tab.lastError;
    return m;
  }

  private scheduleStatus(tab: TabState) {
    if (tab.statusTimer !== undefined || tab.panels.size === 0) return;
    tab.statusTimer = setTimeout(() => {
      tab.statusTimer = undefined;
      this.toPanels(tab, this.status(tab));
    }, this.hooks.statusIntervalMs ?? 200);
  }

  private toPanels(tab: TabState, m: BackgroundToPanel) {
    for (const panel of tab.panels) this.toPanel(panel, m);
  }

  private toPanel(panel: PanelConn, m: BackgroundToPanel) {
    try {
      panel.port.postMessage(m);
    } catch {
      this.unsubscribe(panel);
    }
  }
}
