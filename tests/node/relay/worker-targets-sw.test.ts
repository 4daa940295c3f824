/**
 * The worker-attach core (extension/worker-targets.ts) and the page's service worker under the
 * extension's debugger (`documents: 'relay'`), over a scripted transport whose answers the test
 * releases. What Chrome does is measured in real Chromium (tests/browser/workers-debugger-sw.test.ts,
 * docs/in-worker.md): a service worker waiting on start answers only when it runs, and another
 * debugger client may let it run before the queued first-line breakpoint holds. Here: the order of
 * the commands, and that a life reached late is never instrumented in part.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ProtocolTargets,
  type CdpListener,
  type CdpParams,
  type CdpTransport,
} from '../../../extension/worker-targets.ts';

/** Commands are answered only when the test says so, in the order they were sent, as a waiting worker does. */
class HeldTransport implements CdpTransport {
  /** Every command sent, answered or not. */
  readonly sent: { method: string; params: CdpParams; sessionId?: string }[] = [];
  private readonly held: { method: string; answer: (r: CdpParams) => void }[] = [];
  private readonly listeners = new Map<string, CdpListener[]>();
  send(method: string, params: CdpParams = {}, sessionId?: string): Promise<CdpParams> {
    this.sent.push({ method, params, sessionId });
    return new Promise((answer) => this.held.push({ method, answer }));
  }
  on(method: string, listener: CdpListener): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }
  fire(method: string, params: CdpParams, sessionId?: string): void {
    for (const l of this.listeners.get(method) ?? []) l(params, sessionId);
  }
  methods(sessionId: string): string[] {
    return this.sent.filter((c) => c.sessionId === sessionId).map((c) => c.method);
  }
  /** What was evaluated in the worker. */
  evaluated(sessionId: string): string[] {
    return this.sent
      .filter((c) => c.sessionId === sessionId && c.method === 'Runtime.evaluate')
      .map((c) => c.params.expression as string);
  }
  /** Answers every command sent so far that is still held. */
  answerAll(): void {
    for (const c of this.held.splice(0))
      c.answer(c.method === 'Debugger.setInstrumentationBreakpoint' ? { breakpointId: 'bp' } : {});
  }
}

const SW = 'https://app.test/sw.js';
const flush = () => vi.advanceTimersByTimeAsync(0);
const announce = (ctx: string, seq = 1) =>
  JSON.stringify({
    type: 'batch',
    seq: 1,
    facts: [{ kind: 'context', ctx, seq, time: 0, contextKind: 'serviceworker' }],
  });

function setup() {
  const cdp = new HeldTransport();
  const batches: [string, string | undefined][] = [];
  const targets = new ProtocolTargets(cdp, {
    runtime: '/* runtime */',
    captureStacks: false,
    documents: 'relay',
    onBatch: (p, s) => batches.push([p, s]),
  });
  const log: string[] = [];
  const attach = (waitingForDebugger = true) =>
    cdp.fire('Target.attachedToTarget', {
      sessionId: 'S',
      targetInfo: { targetId: 'S', type: 'service_worker', url: SW },
      waitingForDebugger,
    });
  const parsed = (scriptId: string) => cdp.fire('Debugger.scriptParsed', { scriptId, url: SW }, 'S');
  const paused = (scriptId: string) =>
    cdp.fire('Debugger.paused', { reason: 'instrumentation', data: { scriptId } }, 'S');
  /** Answers what was sent and lets the core go on, until nothing more is sent. */
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      cdp.answerAll();
      await flush();
    }
  };
  return { cdp, targets, batches, log, attach, parsed, paused, settle };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("the page's service worker through the tab's debugger session", () => {
  it('waiting on start: the breakpoint is queued, unanswered, before the worker is let run', async () => {
    const { cdp, attach } = setup();
    attach();
    await flush();
    // Nothing answered yet (a waiting service worker answers nothing): all four already sent, in this order.
    expect(cdp.methods('S')).toEqual([
      'Runtime.enable',
      'Debugger.enable',
      'Debugger.setInstrumentationBreakpoint',
      'Runtime.runIfWaitingForDebugger',
    ]);
  });

  it('the breakpoint held: at its first script the runtime goes in, the worker resumes, the breakpoint stays for its next life', async () => {
    const { cdp, targets, attach, parsed, paused, settle } = setup();
    attach();
    await settle();
    parsed('3');
    paused('3');
    await settle();
    expect(targets.account.instrumented).toEqual({ service_worker: 1 });
    expect(targets.account.missedFirstLine).toBeUndefined();
    const after = cdp.methods('S');
    expect(after.slice(-3)).toEqual(['Runtime.addBinding', 'Runtime.evaluate', 'Debugger.resume']);
    expect(after).not.toContain('Debugger.removeBreakpoint');
  });

  it('its script compiled before the breakpoint was answered: that life is left outside, counted; a later pause is only resumed', async () => {
    const { cdp, targets, batches, attach, parsed, paused, settle } = setup();
    attach();
    await flush();
    parsed('3'); // another client let it run: its script was compiled before our breakpoint existed
    await settle();
    paused('4'); // the imported script's pause
    await settle();
    expect(targets.account.missedFirstLine).toBe(1);
    expect(targets.account.instrumented).toEqual({});
    expect(cdp.methods('S')).not.toContain('Runtime.evaluate');
    expect(cdp.methods('S').at(-1)).toBe('Debugger.resume');
    expect(batches).toEqual([]);
  });

  it('a first pause that is not at the first script compiled is not its first line', async () => {
    const { cdp, targets, attach, parsed, paused, settle } = setup();
    attach();
    await settle();
    parsed('3');
    parsed('4');
    paused('4');
    await settle();
    expect(targets.account.missedFirstLine).toBe(1);
    expect(cdp.methods('S')).not.toContain('Runtime.evaluate');
  });

  it('another client ended the first-line pause before the runtime went in: its facts are dropped and counted, no context', async () => {
    const { cdp, targets, batches, attach, parsed, paused, settle } = setup();
    attach();
    await settle();
    parsed('3');
    paused('3');
    await flush();
    // The binding is being added; meanwhile the pause ends without us.
    cdp.fire('Debugger.resumed', {}, 'S');
    await settle();
    expect(targets.account.missedFirstLine).toBe(1);
    expect(targets.account.instrumented).toEqual({});
    // Not the runtime: only the binding taken off the global again.
    expect(cdp.evaluated('S')).toEqual(['delete globalThis.__portscopeEmit']);

    // The same, but the pause ends while the runtime is being evaluated: it ran late.
    const late = setup();
    late.attach();
    await late.settle();
    late.parsed('3');
    late.paused('3');
    await flush();
    late.cdp.answerAll(); // Runtime.addBinding
    await flush();
    expect(late.cdp.methods('S').at(-1)).toBe('Runtime.evaluate');
    late.cdp.fire('Debugger.resumed', {}, 'S');
    await late.settle();
    late.cdp.fire('Runtime.bindingCalled', { name: '__portscopeEmit', payload: announce('sw1') }, 'S');
    expect(late.targets.account.missedFirstLine).toBe(1);
    expect(late.targets.account.lateBatches).toBe(1);
    expect(late.batches).toEqual([]);
    expect(batches).toEqual([]);
  });

  it('stopped and started again: the life is destroyed, the next one is instrumented from its first line, and not let run at once', async () => {
    const { cdp, targets, batches, attach, parsed, paused, settle } = setup();
    attach();
    await settle();
    parsed('3');
    paused('3');
    await settle();
    cdp.fire('Runtime.bindingCalled', { name: '__portscopeEmit', payload: announce('sw1') }, 'S');
    cdp.fire('Inspector.targetCrashed', {}, 'S');
    const destroyed = JSON.parse(batches.at(-1)![0]).facts[0];
    expect([destroyed.kind, destroyed.ctx, destroyed.reason]).toEqual(['context-destroyed', 'sw1', 'terminate']);
    const before = cdp.methods('S').length;
    cdp.fire('Inspector.targetReloadedAfterCrash', {}, 'S');
    await flush();
    parsed('7');
    paused('7');
    await settle();
    // runIfWaitingForDebugger would end the first-line pause (measured): not sent to a life that compiled.
    await vi.advanceTimersByTimeAsync(2_000);
    const since = cdp.methods('S').slice(before);
    expect(since).toEqual(['Runtime.addBinding', 'Runtime.evaluate', 'Debugger.resume']);
    expect(targets.account.instrumented).toEqual({ service_worker: 2 });
  });

  it('a restarted life that compiles nothing for a second is taken as waiting on start and let run', async () => {
    const { cdp, attach, parsed, paused, settle } = setup();
    attach();
    await settle();
    parsed('3');
    paused('3');
    await settle();
    cdp.fire('Inspector.targetCrashed', {}, 'S');
    cdp.fire('Inspector.targetReloadedAfterCrash', {}, 'S');
    await vi.advanceTimersByTimeAsync(999);
    expect(cdp.methods('S').at(-1)).toBe('Debugger.resume');
    await vi.advanceTimersByTimeAsync(1);
    expect(cdp.methods('S').at(-1)).toBe('Runtime.runIfWaitingForDebugger');
  });

  it('attached already running (the setting came later): left outside, counted, and let run at each restart', async () => {
    const { cdp, targets, attach, paused, settle } = setup();
    attach(false);
    await settle();
    expect(targets.account.alreadyRunning).toBe(1);
    expect(cdp.methods('S')).toEqual([]);
    cdp.fire('Inspector.targetReloadedAfterCrash', {}, 'S');
    await flush();
    expect(cdp.methods('S')).toEqual(['Runtime.runIfWaitingForDebugger']);
    paused('9');
    await settle();
    expect(cdp.methods('S')).not.toContain('Runtime.evaluate');
  });
});
