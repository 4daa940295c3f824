/**
 * The relay's link says the document's userAgent with the first batch of each connection, never
 * in the hello: the relay says hello at document_start, where reading `navigator` would delay
 * the page's first script as much as the MAIN-world runtime's read did (injected/install.ts Announced).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { BackgroundLink } from '../../../content/link.ts';
import { Outbox } from '../../../content/outbox.ts';
import type { Fact } from '../../../protocol/facts.ts';

class FakePort {
  sent: Record<string, unknown>[] = [];
  private onMessageListeners: ((m: unknown) => void)[] = [];
  private onDisconnectListeners: (() => void)[] = [];
  onMessage = { addListener: (l: (m: unknown) => void) => this.onMessageListeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => this.onDisconnectListeners.push(l) };
  postMessage(m: unknown) {
    this.sent.push(JSON.parse(JSON.stringify(m)) as Record<string, unknown>);
  }
  disconnect() {}
  deliver(m: unknown) {
    for (const l of this.onMessageListeners) l(m);
  }
  lose() {
    for (const l of this.onDisconnectListeners) l();
  }
}

const welcome = (resumeAfter: number) => ({
  type: 'welcome',
  session: 'session',
  resumeAfter,
  config: { captureStacks: false, inWorker: false },
  recordMessages: true,
});
const closed = (seq: number): Fact => ({ kind: 'port-closed', seq, time: 1765090000000, ctx: 'c', port: 1 });

function setup() {
  const ports: FakePort[] = [];
  let reads = 0;
  const outbox = new Outbox();
  const link = new BackgroundLink(
    outbox,
    {
      relay: 'r',
      url: () => 'https://page.test/',
      top: true,
      userAgent: () => {
        reads++;
        return 'UA/1';
      },
    },
    {
      connect: () => {
        const port = new FakePort();
        ports.push(port);
        return port as unknown as Runtime.Port;
      },
      onConfig: () => {},
      onOrphaned: () => {},
    },
  );
  return { link, outbox, ports, reads: () => reads };
}

const batches = (port: FakePort) => port.sent.filter((m) => m.type === 'batch' || m.type === 'json-batch');

afterEach(() => {
  vi.useRealTimers();
});

describe("the relay's userAgent", () => {
  it('is not read for the hello, and goes with the first batch of the connection only', () => {
    const { link, outbox, ports, reads } = setup();
    link.pump();
    expect(ports).toHaveLength(1);
    expect(ports[0].sent.map((m) => m.type)).toEqual(['hello']);
    expect(ports[0].sent[0]).not.toHaveProperty('userAgent');
    expect(reads()).toBe(0);
    ports[0].deliver(welcome(0));
    outbox.add([closed(1)]);
    link.pump();
    outbox.add([closed(2)]);
    link.pump();
    expect(batches(ports[0]).map((b) => b.userAgent)).toEqual(['UA/1', undefined]);
    expect(reads()).toBe(1);
  });

  it('a new connection says it again with its first batch', () => {
    vi.useFakeTimers();
    const { link, outbox, ports } = setup();
    link.pump();
    ports[0].deliver(welcome(0));
    outbox.add([closed(1)]);
    link.pump();
    ports[0].lose();
    outbox.add([closed(2)]);
    // The link connects again after its backoff (extension/reconnecting-port.ts), at most 5 s.
    vi.advanceTimersByTime(6_000);
    link.pump();
    expect(ports).toHaveLength(2);
    ports[1].deliver(welcome(0));
    const sent = batches(ports[1]);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent[0].userAgent).toBe('UA/1');
    expect(sent.slice(1).every((b) => b.userAgent === undefined)).toBe(true);
  });
});
