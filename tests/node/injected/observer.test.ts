import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { Emitter } from '../../../injected/emitter.ts';
import { adoptPort, settleObserver } from '../../../injected/observe.ts';
import type { PortRecord } from '../../../injected/ids.ts';
import type { Runtime } from '../../../injected/runtime.ts';

/**
 * When the runtime's own `message` listener is on a port (observe.ts settleObserver): the state
 * machine alone, on Node's EventTarget (the real-browser truth is tests/browser/idle-switch).
 */
function adopted(): { record: PortRecord; port: EventTarget; listeners: () => number } {
  const emitter = new Emitter('c', { deliver: (_: Fact[]) => {} }, { flushMs: 10_000 });
  const rt = {
    ctx: 'c',
    emitter,
    config: { captureStacks: false, inWorker: false },
    recordMessages: false,
    counted: undefined,
  } as unknown as Runtime;
  const port = new EventTarget();
  const record = adoptPort(rt, port);
  return { record, port, listeners: () => getEventListeners(port, 'message').length };
}

describe("the runtime's message listener", () => {
  it('is on a port with no page handler, and leaves once one handler is there, unshared', () => {
    const { record, port, listeners } = adopted();
    expect([record.observing, listeners()]).toEqual([true, 1]);
    record.handlers = 1;
    settleObserver(record, port);
    expect([record.observing, listeners(), record.shared]).toEqual([false, 0, false]);
  });

  it('comes back, once, when the last handler goes, and a second handler makes the port shared for good', () => {
    const { record, port, listeners } = adopted();
    record.handlers = 1;
    settleObserver(record, port);
    record.handlers = 0;
    settleObserver(record, port);
    settleObserver(record, port);
    expect([record.observing, listeners(), record.shared]).toEqual([true, 1, false]);
    record.handlers = 2;
    settleObserver(record, port);
    expect([record.observing, listeners(), record.shared]).toEqual([false, 0, true]);
    record.handlers = 1;
    settleObserver(record, port);
    expect(record.shared).toBe(true);
  });

  it('stays beside a handler that may leave unseen (once, signal): both observe, deduplicated', () => {
    const { record, port, listeners } = adopted();
    record.handlers = 1;
    record.unsure = true;
    settleObserver(record, port);
    expect([record.observing, listeners(), record.shared]).toEqual([true, 1, true]);
  });

  it("does nothing for another realm's port (no observer of this runtime)", () => {
    const { record, port, listeners } = adopted();
    record.observer = undefined;
    record.observing = false;
    const before = listeners();
    record.handlers = 0;
    settleObserver(record, port);
    expect([record.observing, listeners()]).toEqual([false, before]);
  });
});
