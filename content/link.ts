/**
 * The relay's connection to the background: a long-lived runtime port. It says hello, re-sends
 * what the background lacks, and hands batches over as they are sealed.
 *
 * Reconnection is lazy: after a disconnect (Chrome stopped the service worker, the page went
 * into the back/forward cache) the relay connects again only when it has something to send or
 * the background asks for a resync, with the shared backoff (extension/reconnecting-port.ts) —
 * so an idle tab never wakes the background and many frames never storm it.
 */
import type { Runtime } from 'webextension-polyfill';
import type { RuntimeConfig } from '../protocol/handshake.ts';
import { CONTENT_PORT_NAME, type BackgroundToContent, type ContentToBackground } from '../protocol/messages.ts';
import { ReconnectingPort } from '../extension/reconnecting-port.ts';
import type { Outbox } from './outbox.ts';
import { ProtocolError, validateBackgroundToContent } from '../protocol/validate.ts';

export interface Identity {
  /** Changes when the document is restored from the back/forward cache (a new session). */
  relay: string;
  url: () => string;
  top: boolean;
  /**
   * The document's userAgent, read for the first batch of a connection — a later task than
   * document_start, where reading `navigator` would delay the page's first script (injected/install.ts Announced).
   */
  userAgent?: () => string;
}

export interface LinkHooks {
  connect(name: string): Runtime.Port;
  /**
   * `workerRuntime`: the in-worker runtime's text, sent along while `config.inWorker` is on.
   * `recordMessages`: whether someone watches the tab (protocol/messages.ts).
   */
  onConfig(config: RuntimeConfig, workerRuntime: string | undefined, recordMessages: boolean): void;
  /** The extension was reloaded or removed: this relay is orphaned for good. */
  onOrphaned(): void;
}

/**
 * An open extension port keeps the page out of Chromium's back/forward cache
 * (EmbedderExtensionMessaging) and keeps the service worker awake: once everything is
 * acknowledged and nothing new came for this long, the relay lets the port go.
 */
const IDLE_DISCONNECT_MS = 2_000;

export class BackgroundLink {
  private readonly background: ReconnectingPort<Runtime.Port>;
  private welcomed = false;
  /** Whether this connection's first batch, which carries the userAgent, has been sent. */
  private saidUserAgent = false;
  private session: string | null = null;
  /** While prerendering or in the back/forward cache, the relay stays quiet. */
  private paused = false;
  /** The document unloads: batches go out without waiting for the welcome (there is no later task). */
  private unloading = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The batch whose sending last threw, and on how many connections in a row. */
  private failing = { seq: 0, times: 0 };

  constructor(
    private readonly outbox: Outbox,
    private readonly identity: Identity,
    hooks: LinkHooks,
  ) {
    this.background = new ReconnectingPort<Runtime.Port>({
      connect: () => hooks.connect(CONTENT_PORT_NAME),
      opened: () => this.hello(),
      message: (m) => this.receive(m, hooks),
      // Lazy: an idle tab never wakes the background; what is unacknowledged brings it back.
      lost: () => {
        this.welcomed = false;
        return this.outbox.hasUnacked && !this.paused;
      },
      orphaned: () => hooks.onOrphaned(),
    });
  }

  /** Something new may be ready: send it, connecting first when needed. */
  pump(): void {
    if (this.background.orphaned || this.paused) return;
    if (!this.background.connected) {
      if (this.background.waiting) return;
      this.background.open();
      if (!this.background.connected || !this.unloading) return;
      // No welcome will come in time to say what the background lacks: everything not acknowledged.
      this.outbox.resume(this.outbox.lastAcked);
    }
    if (!this.welcomed && !this.unloading) return;
    this.outbox.seal();
    for (const batch of this.outbox.takeUnsent()) {
      if (this.saidUserAgent || !this.identity.userAgent) this.send(batch);
      else {
        this.saidUserAgent = true;
        // A copy: the outbox keeps the batch as it was, for a later connection's first batch to differ.
        this.send({ ...batch, userAgent: this.identity.userAgent() });
      }
    }
  }

  /** The background asked every relay of the tab to say hello (it restarted and is rebuilding). */
  resync(): void {
    if (!this.background.connected) this.pump();
  }

  /**
   * The document is going away for good. The background takes batches that follow a hello on
   * the same port in order, so a connection opened now can carry them at once; what it already
   * holds it acknowledges and ignores.
   */
  unload(): void {
    this.unloading = true;
    this.background.cancelRetry();
  }

  pause(): void {
    this.paused = true;
    this.background.cancelRetry();
    this.drop();
  }

  /** Back from the back/forward cache: a new session, so a new identity carrying the whole history. */
  restore(relay: string): void {
    this.identity.relay = relay;
    this.session = null;
    this.outbox.renumber();
    this.resume();
  }

  resume(): void {
    this.paused = false;
    this.background.reset();
    this.pump();
  }

  private hello(): void {
    this.welcomed = false;
    this.saidUserAgent = false;
    const o = this.outbox;
    const hello: ContentToBackground = {
      type: 'hello',
      relay: this.identity.relay,
      session: this.session,
      url: this.identity.url(),
      top: this.identity.top,
      lastSeq: o.lastSeq,
      firstRetained: o.firstRetained,
    };
    if (Object.keys(o.evicted).length) hello.evicted = o.evicted;
    this.send(hello);
  }

  private idleLater(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.background.connected && this.welcomed && !this.outbox.hasUnacked) this.drop();
    }, IDLE_DISCONNECT_MS);
  }

  private drop(): void {
    this.welcomed = false;
    this.background.drop();
  }

  private send(message: ContentToBackground): void {
    if (this.background.send(message)) return;
    if (!this.background.connected) return;
    // The port died under us, or the browser will not carry this message (too large). A
    // batch that fails on a second connection too is given up, counted, so it cannot wedge
    // the relay; the next connection re-sends what is unacknowledged.
    if (message.type === 'batch' || message.type === 'json-batch') {
      this.failing =
        this.failing.seq === message.seq
          ? { seq: message.seq, times: this.failing.times + 1 }
          : { seq: message.seq, times: 1 };
      if (this.failing.times >= 2) this.outbox.refuse(message.seq);
    }
    this.welcomed = false;
    this.outbox.resume(this.outbox.lastAcked);
    if (!this.paused) this.background.fail();
  }

  private receive(raw: unknown, hooks: LinkHooks): void {
    let m: BackgroundToContent;
    try {
      m = validateBackgroundToContent(raw);
    } catch (e) {
      if (e instanceof ProtocolError) return;
      throw e;
    }
    switch (m.type) {
      case 'welcome':
        this.welcomed = true;
        this.session = m.session;
        this.outbox.resume(m.resumeAfter);
        hooks.onConfig(m.config, m.workerRuntime, m.recordMessages);
        this.pump();
        this.idleLater();
        return;
      case 'ack':
        this.outbox.ack(m.seq);
        this.idleLater();
        return;
      case 'config':
        hooks.onConfig(m.config, m.workerRuntime, m.recordMessages);
        return;
      case 'forget':
        this.outbox.forget(m.seq);
        return;
    }
  }
}
