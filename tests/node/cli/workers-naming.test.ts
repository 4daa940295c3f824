/**
 * cli/workers.ts's bookkeeping over a scripted DevTools transport (the browser behaviour itself
 * is tested in real Chromium, tests/browser/workers-cdp.test.ts): which worker gets which
 * name, when it may run, and that a worker whose creator never speaks still runs, counted.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CdpListener, CdpParams, CdpTransport } from '../../../cli/cdp-pipe.ts';
import { ProtocolTargets } from '../../../cli/workers.ts';

class ScriptedTransport implements CdpTransport {
  readonly sent: { method: string; params: CdpParams; sessionId?: string }[] = [];
  private readonly listeners = new Map<string, CdpListener[]>();
  async send(method: string, params: CdpParams = {}, sessionId?: string): Promise<CdpParams> {
    this.sent.push({ method, params, sessionId });
    if (method === 'Debugger.setInstrumentationBreakpoint') return { breakpointId: 'bp1' };
    return method === 'Runtime.evaluate' ? { result: { type: 'undefined' } } : {};
  }
  on(method: string, listener: CdpListener): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }
  fire(method: string, params: CdpParams, sessionId?: string): void {
    for (const l of this.listeners.get(method) ?? []) l(params, sessionId);
  }
  /** The identity each worker session's runtime was given, in evaluation order. */
  evaluated(): { session: string; worker: { ctx?: string; parent?: string } }[] {
    return this.sent
      .filter((c) => c.method === 'Runtime.evaluate')
      .map((c) => ({
        session: c.sessionId!,
        worker: JSON.parse(/__portscopeConfig = (.*);\n/.exec(c.params.expression as string)![1]).worker,
      }));
  }
}

const URL_A = 'https://app.test/a.js';
const flush = () => vi.advanceTimersByTimeAsync(0);

function setup() {
  const cdp = new ScriptedTransport();
  const batches: string[] = [];
  const targets = new ProtocolTargets(cdp, {
    runtime: '/* runtime */',
    captureStacks: false,
    onBatch: (p) => batches.push(p),
  });
  const attach = (sessionId: string, url: string, parent = 'page') =>
    cdp.fire(
      'Target.attachedToTarget',
      { sessionId, targetInfo: { targetId: sessionId, type: 'worker', url }, waitingForDebugger: true },
      parent,
    );
  const atFirstLine = (sessionId: string) => cdp.fire('Debugger.paused', { reason: 'instrumentation' }, sessionId);
  const created = (childCtx: string, url: string, owner = 'P', session = 'page') =>
    cdp.fire(
      'Runtime.bindingCalled',
      {
        name: '__portscopeEmit',
        payload: JSON.stringify({
          type: 'batch',
          seq: 1,
          facts: [
            { kind: 'worker-created', ctx: owner, worker: 1, workerKind: 'worker', url, module: false, childCtx },
          ],
        }),
      },
      session,
    );
  return { cdp, targets, batches, attach, atFirstLine, created };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('dedicated workers get the ctx their creator named', () => {
  it('waits at its first statement for the creator to speak, then runs with that ctx; the batch still reaches the recording', async () => {
    const { cdp, targets, batches, attach, atFirstLine, created } = setup();
    attach('w1', URL_A);
    await flush();
    atFirstLine('w1');
    await flush();
    expect(cdp.evaluated()).toEqual([]);
    expect(cdp.sent.some((c) => c.method === 'Debugger.resume' && c.sessionId === 'w1')).toBe(false);
    created('C1', URL_A);
    await vi.advanceTimersByTimeAsync(100);
    expect(cdp.evaluated()).toEqual([{ session: 'w1', worker: { ctx: 'C1', parent: 'P' } }]);
    expect(
      cdp.sent
        .filter((c) => c.sessionId === 'w1')
        .map((c) => c.method)
        .slice(-5),
    ).toEqual([
      'Runtime.addBinding',
      'Runtime.evaluate',
      'Debugger.removeBreakpoint',
      'Debugger.resume',
      'Debugger.disable',
    ]);
    expect(batches).toHaveLength(1);
    expect(targets.account).toEqual({ instrumented: { worker: 1 }, unmatched: 0, failed: 0 });
  });

  it('two workers of one script: in the order they were created', async () => {
    const { cdp, attach, atFirstLine, created } = setup();
    created('C1', URL_A);
    created('C2', URL_A);
    attach('w1', URL_A);
    attach('w2', URL_A);
    await flush();
    atFirstLine('w1');
    atFirstLine('w2');
    await vi.advanceTimersByTimeAsync(10);
    expect(cdp.evaluated()).toEqual([
      { session: 'w1', worker: { ctx: 'C1', parent: 'P' } },
      { session: 'w2', worker: { ctx: 'C2', parent: 'P' } },
    ]);
  });

  it('a name from another session or another script is not taken at once', async () => {
    const { cdp, attach, atFirstLine, created } = setup();
    created('OTHER-SESSION', URL_A, 'Q', 'frame');
    created('OTHER-URL', 'https://app.test/b.js');
    created('MINE', URL_A);
    attach('w1', URL_A);
    await flush();
    atFirstLine('w1');
    await vi.advanceTimersByTimeAsync(10);
    expect(cdp.evaluated()).toEqual([{ session: 'w1', worker: { ctx: 'MINE', parent: 'P' } }]);
  });

  it('a redirected script: after a second, the only name pending on its session', async () => {
    const { cdp, attach, atFirstLine, created } = setup();
    created('C1', 'https://app.test/old.js');
    attach('w1', 'https://app.test/new.js');
    await flush();
    atFirstLine('w1');
    await vi.advanceTimersByTimeAsync(500);
    expect(cdp.evaluated()).toEqual([]);
    await vi.advanceTimersByTimeAsync(700);
    expect(cdp.evaluated()).toEqual([{ session: 'w1', worker: { ctx: 'C1', parent: 'P' } }]);
  });

  it('a blob: worker is left alone: no breakpoint, no binding, it just runs', async () => {
    const { cdp, attach } = setup();
    attach('w1', 'blob:https://app.test/1234');
    await flush();
    expect(
      cdp.sent
        .filter((c) => c.sessionId === 'w1')
        .map((c) => c.method)
        .sort(),
    ).toEqual(['Runtime.runIfWaitingForDebugger', 'Target.setAutoAttach']);
  });

  it('a creator that never speaks: the worker runs after 2 s with an id of its own, counted', async () => {
    const { cdp, targets, attach, atFirstLine } = setup();
    attach('w1', URL_A);
    await flush();
    atFirstLine('w1');
    await vi.advanceTimersByTimeAsync(2_100);
    expect(cdp.evaluated()).toEqual([{ session: 'w1', worker: {} }]);
    expect(targets.account.unmatched).toBe(1);
    expect(cdp.sent.some((c) => c.method === 'Debugger.resume' && c.sessionId === 'w1')).toBe(true);
  });

  it('no binding before the first-statement pause (a worker that never pauses finds no stray global); a later pause is not ours', async () => {
    const { cdp, attach, atFirstLine, created } = setup();
    attach('w1', URL_A);
    await flush();
    expect(
      cdp.sent
        .filter((c) => c.sessionId === 'w1')
        .map((c) => c.method)
        .sort(),
    ).toEqual([
      'Debugger.enable',
      'Debugger.setInstrumentationBreakpoint',
      'Runtime.enable',
      'Runtime.runIfWaitingForDebugger',
      'Target.setAutoAttach',
    ]);
    created('C1', URL_A);
    atFirstLine('w1');
    await vi.advanceTimersByTimeAsync(10);
    const sent = cdp.sent.length;
    cdp.fire('Debugger.paused', { reason: 'other' }, 'w1');
    await flush();
    expect(cdp.evaluated()).toHaveLength(1);
    expect(cdp.sent.slice(sent).map((c) => c.method)).toEqual(['Debugger.resume']);
  });
});
