import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { PREVIEW_BOUNDS } from '../../../protocol/facts.ts';
import type { Runtime } from '../../../injected/runtime.ts';

/**
 * The recorded dispatch (injected/observe.ts) reads `event.ports` only when the posts cannot prove
 * the message carries no port, as the counting one does: reading it makes the browser build a
 * frozen array per event. Node's MessageEvent getters are replaced, before the runtime captures
 * them, by ones that count their reads and answer from a plain stand-in event.
 */
type StandIn = { isTrusted: true; ports: object[]; data: unknown };
const reads = { ports: 0, data: 0 };
const proto = MessageEvent.prototype;
const saved = {
  ports: Object.getOwnPropertyDescriptor(proto, 'ports')!,
  data: Object.getOwnPropertyDescriptor(proto, 'data')!,
};

let runtime: {
  observe: typeof import('../../../injected/observe.ts');
  ids: typeof import('../../../injected/ids.ts');
  Emitter: typeof import('../../../injected/emitter.ts').Emitter;
};

beforeAll(async () => {
  Object.defineProperty(proto, 'ports', {
    configurable: true,
    get(this: { standIn: StandIn }) {
      reads.ports++;
      return this.standIn.ports;
    },
  });
  Object.defineProperty(proto, 'data', {
    configurable: true,
    get(this: { standIn: StandIn }) {
      reads.data++;
      return this.standIn.data;
    },
  });
  // Imported only now: natives.ts takes the getters when it is evaluated.
  runtime = {
    observe: await import('../../../injected/observe.ts'),
    ids: await import('../../../injected/ids.ts'),
    Emitter: (await import('../../../injected/emitter.ts')).Emitter,
  };
});

afterAll(() => {
  Object.defineProperty(proto, 'ports', saved.ports);
  Object.defineProperty(proto, 'data', saved.data);
});

function recording() {
  const facts: Fact[] = [];
  const emitter = new runtime.Emitter(
    'c',
    { deliver: (batch: Fact[]) => facts.push(...batch) },
    { flushMs: 10_000, batchSize: 1_000 },
  );
  const rt = {
    ctx: 'c',
    emitter,
    config: { captureStacks: false, inWorker: false, preview: PREVIEW_BOUNDS },
    recordMessages: true,
    counted: undefined,
  } as unknown as Runtime;
  const [sender, receiver] = [runtime.ids.newPortRecord({}), runtime.ids.newPortRecord({})];
  runtime.ids.entangle(sender, receiver);
  return { rt, emitter, facts, sender, receiver };
}

/** A trusted `message` event as the observer sees it: the getters read `standIn`. */
function event(data: unknown, ports: object[] = []): Event {
  const e = { standIn: { isTrusted: true, ports, data } } as unknown as Event & { isTrusted: boolean };
  Object.defineProperty(e, 'isTrusted', { value: true });
  return e;
}

describe('the recorded dispatch and event.ports', () => {
  it('reads neither ports nor data for messages the posts here prove carry no port', () => {
    const { rt, emitter, facts, sender, receiver } = recording();
    for (let i = 0; i < 3; i++) runtime.ids.noteSent(sender, true);
    const before = { ...reads };
    for (let i = 0; i < 3; i++) runtime.observe.observeDispatch(rt, receiver, event(i));
    expect([reads.ports - before.ports, reads.data - before.data]).toEqual([0, 0]);
    emitter.flush();
    const dispatched = facts.filter((f) => f.kind === 'message-dispatched');
    expect(dispatched.map((f) => f.kind === 'message-dispatched' && [f.port, f.ports, f.preview])).toEqual([
      [receiver.id, [], undefined],
      [receiver.id, [], undefined],
      [receiver.id, [], undefined],
    ]);
    // One shared list, which nothing may add to: it is frozen.
    expect(Object.isFrozen((dispatched[0] as { ports: number[] }).ports)).toBe(true);
  });

  it('reads ports up to the last post here with a transfer list, and records the port that arrived', () => {
    const { rt, emitter, facts, sender, receiver } = recording();
    runtime.ids.noteSent(sender, true);
    // The second post had a transfer list (port.ts marks its rank before the post's fact).
    sender.transferredUpTo = sender.sentHere + 1;
    runtime.ids.noteSent(sender, true);
    runtime.ids.noteSent(sender, true);
    const carried = new EventTarget();
    const before = reads.ports;
    // Up to the last post with a transfer list every message is read (ranks are all the posts tell).
    runtime.observe.observeDispatch(rt, receiver, event(0));
    runtime.observe.observeDispatch(rt, receiver, event('with a port', [carried]));
    expect(reads.ports - before).toBe(2);
    // After it, none.
    runtime.observe.observeDispatch(rt, receiver, event(2));
    expect(reads.ports - before).toBe(2);
    emitter.flush();
    const received = facts.find((f) => f.kind === 'port-received');
    expect(received).toMatchObject({ viaPort: receiver.id, index: 0, count: 1 });
    const ports = facts.flatMap((f) => (f.kind === 'message-dispatched' ? [f.ports] : []));
    expect(ports).toEqual([[], [received && 'port' in received ? received.port : -1], []]);
  });

  it('reads ports for a port whose peer is not here (nothing to prove it by)', () => {
    const { rt, receiver } = recording();
    receiver.peerRecord = undefined;
    const before = reads.ports;
    runtime.observe.observeDispatch(rt, receiver, event(1));
    expect(reads.ports - before).toBe(1);
  });

  it('reads ports again once a post of the peer went unaccounted for (ranks may be off)', () => {
    const { rt, sender, receiver } = recording();
    runtime.ids.noteSent(sender, true);
    runtime.ids.noteUnaccounted(sender);
    const before = reads.ports;
    runtime.observe.observeDispatch(rt, receiver, event(1));
    expect(reads.ports - before).toBe(1);
  });
});
