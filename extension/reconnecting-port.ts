/**
 * One runtime port to the background that comes back after the background goes away. Chrome
 * stops an idle service worker (and Firefox an idle event page) at any time, which disconnects
 * every port to it; connecting again wakes it. The relay (content/link.ts), the devtools page
 * (extension/devtools.ts) and the panel (panel/source/extensionPort.ts) share this one policy:
 *
 * - A connection *worked* when a message came over it or it stayed up for WORKED_AFTER_MS.
 *   After a disconnect, the next attempt waits delay(n), where n counts the connections in a
 *   row that did not work: BACKOFF_FIRST_MS·2ⁿ, at most BACKOFF_MAX_MS. So a background that
 *   was merely stopped is back within about a tenth of a second, and one that keeps failing
 *   (an extension being reloaded, a browser shutting down) is asked at most every 5 s.
 * - The wait is drawn between half the ceiling and the ceiling, so the relays of many frames
 *   and tabs that lost the same background do not reconnect in one burst.
 * - `runtime.connect` throwing means the extension context is gone for good (reloaded or
 *   removed): nothing more is attempted and the owner is told once.
 *
 * Whether a disconnect is followed by a new connection is the owner's choice (`retry`): the
 * devtools page and the panel always come back; the relay only when it has something to send.
 */
export interface RuntimePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface ReconnectingPortOwner<P extends RuntimePort> {
  /** `runtime.connect` with the port's name; throws once the extension context is invalidated. */
  connect(): P;
  /** A new connection is up: say who we are (hello, subscribe, inspect). */
  opened(port: P): void;
  message(message: unknown): void;
  /** The background went away. Return true to connect again after the backoff. */
  lost(): boolean;
  /** The extension was reloaded or removed. */
  orphaned?(): void;
  /** A new connection is planned after `delayMs` (the `attempt`-th in a row that did not work). */
  retrying?(attempt: number, delayMs: number): void;
}

export const BACKOFF_FIRST_MS = 100;
export const BACKOFF_MAX_MS = 5_000;
export const WORKED_AFTER_MS = 5_000;

/** The longest wait before the attempt after `failures` connections that did not work. */
export function backoffCeiling(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.min(failures, 16));
}

export class ReconnectingPort<P extends RuntimePort> {
  private port: P | null = null;
  private failures = 0;
  private openedAt = 0;
  private worked = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private isOrphaned = false;

  constructor(
    private readonly owner: ReconnectingPortOwner<P>,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  get connected(): boolean {
    return this.port !== null;
  }

  get orphaned(): boolean {
    return this.isOrphaned;
  }

  /** Whether a new connection is planned. */
  get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** Connects now, unless connected, waiting for the backoff, closed or orphaned. */
  open(): void {
    if (this.port || this.timer !== undefined || this.closed || this.isOrphaned) return;
    let port: P;
    try {
      port = this.owner.connect();
    } catch {
      this.isOrphaned = true;
      this.owner.orphaned?.();
      return;
    }
    this.port = port;
    this.openedAt = this.now();
    this.worked = false;
    port.onMessage.addListener((m) => {
      if (this.port !== port) return;
      this.worked = true;
      this.owner.message(m);
    });
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.lose();
    });
    this.owner.opened(port);
  }

  /** Sends on the current connection; false when there is none or it died under us. */
  send(message: unknown): boolean {
    if (!this.port) return false;
    try {
      this.port.postMessage(message);
      return true;
    } catch {
      return false;
    }
  }

  /** Lets the connection go without a retry (idle, paused); `open` connects again. */
  drop(): void {
    const port = this.port;
    this.port = null;
    try {
      port?.disconnect();
    } catch {
      // Already gone.
    }
  }

  /** Gives the connection up as failed and plans the next one after the backoff. */
  fail(): void {
    this.countLoss();
    this.drop();
    this.retryLater();
  }

  /** Plans a connection after the backoff (no-op while one is planned or connected). */
  retryLater(): void {
    if (this.timer !== undefined || this.port || this.closed || this.isOrphaned) return;
    const ceiling = backoffCeiling(Math.max(0, this.failures - 1));
    const delay = ceiling / 2 + this.random() * (ceiling / 2);
    this.owner.retrying?.(this.failures, delay);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.open();
    }, delay);
  }

  /** Cancels a planned connection (the owner pauses or unloads). */
  cancelRetry(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts the backoff over (the owner knows the background is back, e.g. after a pause). */
  reset(): void {
    this.failures = 0;
  }

  /** Stops for good: no connection, no retry. */
  close(): void {
    this.closed = true;
    this.cancelRetry();
    this.drop();
  }

  private lose(): void {
    this.countLoss();
    this.port = null;
    if (this.owner.lost()) this.retryLater();
  }

  private countLoss(): void {
    const worked = this.worked || this.now() - this.openedAt >= WORKED_AFTER_MS;
    this.failures = worked ? 1 : this.failures + 1;
  }
}
