import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { PREVIEW_BOUNDS } from '../../../protocol/facts.ts';
import type { Runtime } from '../../../injected/runtime.ts';

/**
 * Carrier messages while counting (injected/carrier-counts.ts): a worker or window carrier
 * message without ports is a count, not a fact, and its `event.data` is never read. Node's
 * MessageEvent `data` getter is replaced, before the runtime captures it, by one that counts its
 * reads; events are made trusted by an own `isTrusted` getter (natives.ts eventIsTrusted reads it
 * where the realm has no own-property getter, as in Node).
 */
const proto = MessageEvent.prototype;
const savedData = Object.getOwnPropertyDescriptor(proto, 'data')!;
const reads = { data: 0 };

let runtime: {
  carriers: typeof import('../../../injected/carriers.ts');
  counts: typeof import('../../../injected/carrier-counts.ts');
  counted: typeof import('../../../injected/counted.ts');
  Emitter: typeof import('../../../injected/emitter.ts').Emitter;
};

beforeAll(async () => {
  Object.defineProperty(proto, 'data', {
    configurable: true,
    get(this: MessageEvent) {
      reads.data++;
      return savedData.get!.call(this);
    },
  });
  // Imported only now: natives.ts takes the getters when it is evaluated.
  runtime = {
    carriers: await import('../../../injected/carriers.ts'),
    counts: await import('../../../injected/carrier-counts.ts'),
    counted: await import('../../../injected/counted.ts'),
    Emitter: (await import('../../../injected/emitter.ts')).Emitter,
  };
});

afterAll(() => {
  Object.defineProperty(proto, 'data', savedData);
});

/** A runtime as install.ts wires it: the flush settles every count first. */
function runtimeFor(recordMessages: boolean, flushMs = 10_000) {
  const batches: Fact[][] = [];
  const emitter = new runtime.Emitter(
    'c',
    { deliver: (batch: Fact[]) => batches.push(batch) },
    {
      flushMs,
      batchSize: 1_000,
      maxBuffered: 1_000,
    },
  );
  const rt = {
    ctx: 'c',
    emitter,
    config: { captureStacks: false, inWorker: false, preview: PREVIEW_BOUNDS },
    recordMessages,
    counted: undefined,
    countsTimer: false,
    global: globalThis,
  } as unknown as Runtime;
  emitter.beforeTake = () => runtime.counted.settleAllCounts(rt);
  const facts = () => batches.flat().map(({ seq: _s, time: _t, ...rest }) => rest);
  return { rt, emitter, batches, facts };
}

function trusted(data: unknown, ports: MessagePort[] = []): MessageEvent {
  const e = new MessageEvent('message', { data, ports });
  Object.defineProperty(e, 'isTrusted', { get: () => true });
  return e;
}

/** An event target with the runtime's carrier listener, as carriers.ts adds it to a Worker object. */
function workerObject(rt: Runtime): EventTarget {
  const target = new EventTarget();
  runtime.carriers.observeCarrier(rt, target, 'worker', () => ({ source: 'worker:1' }));
  return target;
}

const carriersCounted = (carrier: 'worker' | 'window', posted: number, received: number) => ({
  kind: 'carriers-counted',
  ctx: 'c',
  carrier,
  posted,
  received,
});

describe('carrier messages while counting', () => {
  it('counts arrivals without ports: no fact per message, event.data never read, one carriers-counted at the flush', () => {
    const { rt, emitter, batches, facts } = runtimeFor(false);
    const worker = workerObject(rt);
    const before = reads.data;
    for (let i = 0; i < 5; i++) worker.dispatchEvent(trusted({ reply: i }));
    expect(reads.data - before).toBe(0);
    expect(batches).toHaveLength(0);
    emitter.flush();
    expect(facts()).toEqual([carriersCounted('worker', 0, 5)]);
    // Reported counts are zero again: the next flush has nothing to say.
    emitter.flush();
    expect(batches).toHaveLength(1);
  });

  it('counts posts per carrier kind, and reports each kind with any count in its own fact', () => {
    const { rt, emitter, facts } = runtimeFor(false);
    const sent: unknown[] = [];
    const native = (message: unknown) => void sent.push(message);
    for (let i = 0; i < 3; i++) runtime.counts.countedCarrierPost(rt, native, undefined, [i], 'worker');
    runtime.counts.countedCarrierPost(rt, native, undefined, ['w', '*', []], 'window');
    emitter.flush();
    expect(sent).toEqual([0, 1, 2, 'w']);
    expect(facts()).toEqual([carriersCounted('worker', 3, 0), carriersCounted('window', 1, 0)]);
  });

  it('records an arrival that carries a port exactly as while recording', () => {
    const { rt, emitter, facts } = runtimeFor(false);
    const worker = workerObject(rt);
    const { port1, port2 } = new MessageChannel();
    worker.dispatchEvent(trusted('plain'));
    const before = reads.data;
    worker.dispatchEvent(trusted({ take: 'this' }, [port1]));
    // Its data is read: the fingerprint pairs the recorded message with its ports.
    expect(reads.data - before).toBeGreaterThan(0);
    emitter.flush();
    const kinds = facts().map((f) => f.kind);
    expect(kinds).toContain('port-received');
    const received = facts().find((f) => f.kind === 'carrier-received') as Extract<Fact, { kind: 'carrier-received' }>;
    expect(received).toMatchObject({ carrier: 'worker', source: 'worker:1' });
    expect(received.ports).toHaveLength(1);
    // The plain one before it was counted, not recorded.
    expect(facts().filter((f) => f.kind === 'carrier-received')).toHaveLength(1);
    expect(facts()).toContainEqual(carriersCounted('worker', 0, 1));
    port1.close();
    port2.close();
  });

  it('counts window messages without ports apart from worker ones; service worker messages are never counted', () => {
    const { rt, emitter, facts } = runtimeFor(false);
    const win = new EventTarget();
    runtime.carriers.observeCarrier(rt, win, 'window', () => ({ source: 'top', sourceOrigin: 'https://app.test' }));
    const worker = workerObject(rt);
    const container = new EventTarget();
    runtime.carriers.observeCarrier(rt, container, 'serviceworker', () => ({ source: 'ServiceWorker' }));
    win.dispatchEvent(trusted('from a frame'));
    win.dispatchEvent(trusted('again'));
    worker.dispatchEvent(trusted('from the worker'));
    container.dispatchEvent(trusted('from the service worker'));
    expect(runtime.counts.countsCarrier(rt, 'serviceworker')).toBe(false);
    emitter.flush();
    expect(facts().map((f) => f.kind)).toEqual(['carrier-received', 'carriers-counted', 'carriers-counted']);
    expect(facts()[0]).toMatchObject({ carrier: 'serviceworker', source: 'ServiceWorker' });
    expect(facts().slice(1)).toEqual([carriersCounted('worker', 0, 1), carriersCounted('window', 0, 2)]);
  });

  it('records every arrival while recording', () => {
    const { rt, emitter, facts } = runtimeFor(true);
    const worker = workerObject(rt);
    worker.dispatchEvent(trusted(1));
    worker.dispatchEvent(trusted(2));
    emitter.flush();
    expect(facts().map((f) => f.kind)).toEqual(['carrier-received', 'carrier-received']);
  });

  it('neither counts nor records an untrusted event', () => {
    const { rt, emitter, batches } = runtimeFor(false);
    const worker = workerObject(rt);
    worker.dispatchEvent(new MessageEvent('message', { data: 1 }));
    emitter.flush();
    expect(batches).toHaveLength(0);
  });

  it('reports a clone error of a counted post in full, and counts nothing for it', () => {
    const { rt, emitter, facts } = runtimeFor(false);
    const thrown = new DOMException('could not be cloned', 'DataCloneError');
    const native = () => {
      throw thrown;
    };
    expect(() => runtime.counts.countedCarrierPost(rt, native, undefined, [Symbol()], 'worker')).toThrow(thrown);
    emitter.flush();
    expect(facts()).toEqual([
      {
        kind: 'clone-error',
        ctx: 'c',
        port: 0,
        carrier: 'worker',
        name: 'DataCloneError',
        message: 'could not be cloned',
      },
    ]);
  });

  it('settles the counts when recording resumes (settleAllCounts), before any recorded fact', () => {
    const { rt, emitter, facts } = runtimeFor(false);
    const worker = workerObject(rt);
    worker.dispatchEvent(trusted('counted'));
    // What install.ts configure() does when a panel subscribes.
    rt.recordMessages = true;
    runtime.counted.settleAllCounts(rt);
    worker.dispatchEvent(trusted('recorded'));
    emitter.flush();
    expect(facts().map((f) => f.kind)).toEqual(['carriers-counted', 'carrier-received']);
  });

  it('counts alone leave on the counts timer, not the emitter flush period', async () => {
    const { rt, facts } = runtimeFor(false, 5);
    const worker = workerObject(rt);
    const start = performance.now();
    worker.dispatchEvent(trusted('alone'));
    await new Promise((r) => setTimeout(r, 40));
    expect(facts()).toEqual([]);
    const end = Date.now() + 10_000;
    while (facts().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(performance.now() - start).toBeGreaterThanOrEqual(runtime.counted.COUNTS_ALONE_MS - 5);
    expect(facts()).toEqual([carriersCounted('worker', 0, 1)]);
  });
});
