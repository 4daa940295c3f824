/**
 * A small builder of synthetic fact streams, one `Ctx` per context. Every fact gets a time from
 * one shared clock (the real order of events); tests then feed the facts in that order or in
 * another order across contexts, as the relays would.
 */
import type { CarrierKind, ContextKind, Fact, Preview, TransferItem } from '../../../protocol/facts.ts';

/** The fact whose kind includes K (listener-added/removed share one member). */
type FactOf<K, F = Fact> = F extends { kind: infer FK } ? (K extends FK ? F : never) : never;
type Omitted<K extends Fact['kind']> = Omit<FactOf<K>, 'seq' | 'time' | 'ctx' | 'kind'>;

export class Stream {
  time = 1000;
  readonly all: Fact[] = [];
  tick(ms = 1): void {
    this.time += ms;
  }
  context(
    id: string,
    kind: ContextKind = 'window',
    extra: { url?: string; framePath?: string; parent?: string; observed?: boolean } = {},
  ): Ctx {
    const ctx = new Ctx(this, id);
    ctx.emit('context', {
      contextKind: kind,
      url: extra.url ?? `https://app.test/${id}.html`,
      origin: 'https://app.test',
      framePath: extra.framePath ?? (kind === 'window' ? 'top' : ''),
      parent: extra.parent,
      observed: extra.observed ?? true,
      userAgent: 'test',
    } as Omitted<'context'>);
    return ctx;
  }
  /** A context whose `context` fact is not emitted (its facts still carry its id). */
  silentContext(id: string): Ctx {
    return new Ctx(this, id);
  }
}

export function preview(data: string): Preview {
  return { t: 'string', v: data, len: data.length };
}

export function fingerprint(data: string): string {
  return `fp:${data}`;
}

export class Ctx {
  readonly facts: Fact[] = [];
  private seq = 0;
  private nextPort = 1;
  private nextChannel = 1;
  private nextCarrier = 1;
  private nextWorker = 1;
  private msgs = new Map<number, number>();
  constructor(
    readonly stream: Stream,
    readonly id: string,
  ) {}

  emit<K extends Fact['kind']>(kind: K, body: Omitted<K>): FactOf<K> {
    this.stream.tick();
    const fact = { kind, ctx: this.id, seq: ++this.seq, time: this.stream.time, ...body } as unknown as FactOf<K>;
    this.facts.push(fact);
    this.stream.all.push(fact);
    return fact;
  }

  newPortId(): number {
    return this.nextPort++;
  }

  channel(): [number, number] {
    const port1 = this.newPortId();
    const port2 = this.newPortId();
    this.emit('channel-created', { channel: this.nextChannel++, port1, port2 });
    return [port1, port2];
  }

  post(
    port: number,
    data: string,
    opts: { transfer?: TransferItem[]; outcome?: 'sent' | 'closed' | 'shipped' | 'doomed' } = {},
  ): void {
    const msg = (this.msgs.get(port) ?? 0) + 1;
    this.msgs.set(port, msg);
    this.emit('port-posted', {
      port,
      msg,
      preview: preview(data),
      bytes: data.length,
      fingerprint: fingerprint(data),
      transfer: opts.transfer ?? [],
      outcome: opts.outcome ?? 'sent',
    });
  }

  /** Dispatches `data` at `port`; returns the local ids given to ports that arrived with it. */
  dispatch(
    port: number,
    data: string,
    arrived = 0,
    opts: { threw?: { name: string; message: string }; emitReceived?: boolean } = {},
  ): number[] {
    const ports = Array.from({ length: arrived }, () => this.newPortId());
    if (opts.emitReceived !== false) {
      ports.forEach((p, index) =>
        this.emit('port-received', {
          port: p,
          carrier: 'port',
          viaPort: port,
          fingerprint: fingerprint(data),
          index,
          count: arrived,
        }),
      );
    }
    this.emit('message-dispatched', {
      port,
      fingerprint: fingerprint(data),
      preview: preview(data),
      ports,
      handlers: 1,
      duration: 0.1,
      ...(opts.threw ? { threw: opts.threw } : {}),
    });
    return ports;
  }

  /** Plain traffic counted, not recorded, since the port's previous report (nobody watches the tab). */
  counted(port: number, posted: number, dispatched: number): void {
    this.emit('messages-counted', { port, posted, dispatched });
  }

  start(port: number): void {
    this.emit('port-enabled', { port, how: 'start' });
  }
  onmessage(port: number): void {
    this.emit('listener-added', { port, type: 'message', via: 'onmessage' });
    this.emit('port-enabled', { port, how: 'onmessage' });
  }
  addListener(port: number): void {
    this.emit('listener-added', { port, type: 'message', via: 'addEventListener' });
  }
  close(port: number): void {
    this.emit('port-closed', { port });
  }
  collected(port: number): void {
    this.emit('port-collected', { port });
  }
  destroyed(reason: 'unload' | 'terminate' | 'close' | 'removed' = 'removed'): void {
    this.emit('context-destroyed', { reason });
  }

  /** A carrier post (window.postMessage, worker.postMessage) shipping `ports`. */
  /** A SharedWorker at `url` made here, and its `port` (seen here, started with onmessage): the port's id. */
  sharedWorkerPort(url: string): number {
    this.worker(url, undefined, 'sharedworker');
    const port = this.newPortId();
    this.emit('port-seen', { port, how: 'sharedworker' });
    this.onmessage(port);
    return port;
  }

  /** The usual two-window setup: this top window hands `port` to its iframe `child` (top.frames[0]) over window.postMessage; returns the port's id there. */
  handToFrame(child: Ctx, port: number): number {
    this.carrierPost('window', 'top.frames[0]', 'init', [port]);
    return child.carrierReceive('window', 'top', 'init', 1, { sourcePath: 'top' })[0];
  }

  carrierPost(
    carrier: CarrierKind,
    target: string,
    data: string,
    ports: number[],
    opts: { emitShipped?: boolean } = {},
  ): number {
    const carrierId = this.nextCarrier++;
    if (opts.emitShipped !== false)
      ports.forEach((port, index) => this.emit('port-shipped', { port, carrier, carrierId, index }));
    this.emit('carrier-posted', {
      carrierId,
      carrier,
      target,
      fingerprint: fingerprint(data),
      preview: preview(data),
      bytes: data.length,
      transfer: ports.map((port) => ({ t: 'port', port }) as TransferItem),
    });
    return carrierId;
  }

  /** A carrier message arriving with `count` ports; returns their new local ids. */
  carrierReceive(
    carrier: CarrierKind,
    source: string,
    data: string,
    count: number,
    opts: { sourcePath?: string; emitCarrierReceived?: boolean } = {},
  ): number[] {
    const ports = Array.from({ length: count }, () => this.newPortId());
    ports.forEach((port, index) =>
      this.emit('port-received', {
        port,
        carrier,
        ...(opts.sourcePath !== undefined ? { sourcePath: opts.sourcePath } : {}),
        fingerprint: fingerprint(data),
        index,
        count,
      }),
    );
    if (opts.emitCarrierReceived !== false)
      this.emit('carrier-received', { carrier, source, fingerprint: fingerprint(data), ports });
    return ports;
  }

  worker(url: string, childCtx?: string, workerKind: 'worker' | 'sharedworker' = 'worker'): number {
    const worker = this.nextWorker++;
    this.emit('worker-created', { worker, workerKind, url, module: false, ...(childCtx ? { childCtx } : {}) });
    return worker;
  }
}

/** All facts of the given contexts, context by context (the worst interleaving for correlation). */
export function byContext(...contexts: Ctx[]): Fact[] {
  return contexts.flatMap((c) => c.facts);
}
