/**
 * The worker-attach core (extension/worker-targets.ts) as the extension's debugger drives it
 * (`documents: 'relay'`), over a scripted transport; the browser behaviour itself is tested in
 * real Chromium (tests/browser/workers-debugger.test.ts). The documents' facts come from the
 * relays, the documents get only the naming flag, and a worker its creator did not name is left
 * to run outside.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NAME_WORKERS_GLOBAL,
  ProtocolTargets,
  type CdpListener,
  type CdpParams,
  type CdpTransport,
} from '../../../extension/worker-targets.ts';

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
  methods(sessionId: string | undefined): string[] {
    return this.sent.filter((c) => c.sessionId === sessionId).map((c) => c.method);
  }
  /** The config each worker session's runtime was given. */
  configs(): { session: string; config: { workerContexts: unknown; worker: unknown } }[] {
    return this.sent
      .filter((c) => c.method === 'Runtime.evaluate')
      .map((c) => ({
        session: c.sessionId!,
        config: JSON.parse(/__portscopeConfig = (.*);\n/.exec(c.params.expression as string)![1]),
      }));
  }
}

const URL_A = 'https://app.test/a.js';
const flush = () => vi.advanceTimersByTimeAsync(0);
const created = (url: string, childCtx?: string, owner = 'P') => ({
  kind: 'worker-created',
  seq: 1,
  time: 0,
  ctx: owner,
  worker: 1,
  workerKind: 'worker',
  url,
  module: false,
  ...(childCtx === undefined ? {} : { childCtx }),
});

function setup() {
  const cdp = new ScriptedTransport();
  const batches: [string, string | undefined][] = [];
  const targets = new ProtocolTargets(cdp, {
    runtime: '/* runtime */',
    captureStacks: false,
    documents: 'relay',
    onBatch: (p, s) => batches.push([p, s]),
  });
  const attach = (sessionId: string, url: string, type = 'worker', parent?: string) =>
    cdp.fire(
      'Target.attachedToTarget',
      { sessionId, targetInfo: { targetId: sessionId, type, url }, waitingForDebugger: true },
      parent,
    );
  const atFirstLine = (sessionId: string) => cdp.fire('Debugger.paused', { reason: 'instrumentation' }, sessionId);
  return { cdp, targets, batches, attach, atFirstLine };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("the core on a tab, its documents' facts through the relays", () => {
  it('the tab and its out-of-process frames get the naming flag on each new document, no binding; children attach paused', async () => {
    const { cdp, targets, attach } = setup();
    await targets.startOnPage();
    attach('F1', 'https://other.test/frame.html', 'iframe');
    await flush();
    for (const session of [undefined, 'F1']) {
      const methods = cdp.methods(session);
      expect(methods).not.toContain('Runtime.addBinding');
      const script = cdp.sent.find(
        (c) => c.sessionId === session && c.method === 'Page.addScriptToEvaluateOnNewDocument',
      );
      expect(script?.params.source).toContain(JSON.stringify(NAME_WORKERS_GLOBAL));
      expect(script?.params.source).toContain('"dedicated"');
      const auto = cdp.sent.find((c) => c.sessionId === session && c.method === 'Target.setAutoAttach');
      // The tab's own session also attaches its in-scope service worker (once: not its frames').
      expect(auto?.params).toEqual({
        autoAttach: true,
        waitForDebuggerOnStart: true,
        flatten: true,
        filter:
          session === undefined
            ? [{ type: 'iframe' }, { type: 'worker' }, { type: 'service_worker' }]
            : [{ type: 'iframe' }, { type: 'worker' }],
      });
    }
  });

  it('a dedicated worker of the tab waits for the worker-created the relays carry, then runs with that ctx, naming dedicated workers only', async () => {
    const { cdp, targets, attach, atFirstLine, batches } = setup();
    attach('W1', URL_A);
    await flush();
    atFirstLine('W1');
    await vi.advanceTimersByTimeAsync(300);
    expect(cdp.configs()).toEqual([]);
    targets.noteRelayedFacts([created(URL_A, 'C1')]);
    await vi.advanceTimersByTimeAsync(100);
    expect(cdp.configs()).toEqual([
      {
        session: 'W1',
        config: {
          captureStacks: false,
          inWorker: false,
          workerContexts: 'dedicated',
          worker: { ctx: 'C1', parent: 'P' },
        },
      },
    ]);
    cdp.fire(
      'Runtime.bindingCalled',
      { name: '__portscopeEmit', payload: '{"type":"batch","seq":1,"facts":[]}' },
      'W1',
    );
    expect(batches).toEqual([['{"type":"batch","seq":1,"facts":[]}', 'W1']]);
    expect(targets.account).toEqual({ instrumented: { worker: 1 }, unmatched: 0, failed: 0 });
  });

  it('a worker whose document did not name it (loaded before the setting) runs at once, uninstrumented, counted', async () => {
    const { cdp, targets, attach, atFirstLine } = setup();
    targets.noteRelayedFacts([created(URL_A)]);
    attach('W1', URL_A);
    await flush();
    atFirstLine('W1');
    await flush();
    expect(cdp.configs()).toEqual([]);
    expect(cdp.methods('W1')).not.toContain('Runtime.addBinding');
    expect(cdp.methods('W1')).toContain('Debugger.resume');
    expect(targets.account).toEqual({ instrumented: {}, unmatched: 0, failed: 0, leftOutside: 1 });
  });

  it('an unnamed blob: worker leaves nothing pending that a later worker could take as its own', async () => {
    const { cdp, targets, attach, atFirstLine } = setup();
    targets.noteRelayedFacts([created('blob:https://app.test/1')]);
    attach('W1', URL_A);
    await flush();
    atFirstLine('W1');
    // Past half the wait, the only pending name would be taken (a redirected script): there must be none.
    await vi.advanceTimersByTimeAsync(1_200);
    expect(cdp.methods('W1')).not.toContain('Debugger.resume');
    targets.noteRelayedFacts([created(URL_A, 'C1')]);
    await vi.advanceTimersByTimeAsync(100);
    expect(cdp.configs().map((c) => c.config.worker)).toEqual([{ ctx: 'C1', parent: 'P' }]);
    expect(targets.account.leftOutside).toBeUndefined();
  });

  it("a nested worker is named by its parent worker's own binding, not by the relays", async () => {
    const { cdp, targets, attach, atFirstLine } = setup();
    attach('W1', URL_A);
    targets.noteRelayedFacts([created(URL_A, 'C1')]);
    await flush();
    atFirstLine('W1');
    await flush();
    const nested = 'https://app.test/nested.js';
    attach('W2', nested, 'worker', 'W1');
    await flush();
    atFirstLine('W2');
    // The same URL named by a document does not count: only W1's own worker-created does.
    targets.noteRelayedFacts([created(nested, 'FROM-DOC')]);
    cdp.fire(
      'Runtime.bindingCalled',
      {
        name: '__portscopeEmit',
        payload: JSON.stringify({ type: 'batch', seq: 2, facts: [created(nested, 'C2', 'C1')] }),
      },
      'W1',
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(cdp.configs().map((c) => [c.session, c.config.worker])).toEqual([
      ['W1', { ctx: 'C1', parent: 'P' }],
      ['W2', { ctx: 'C2', parent: 'C1' }],
    ]);
  });
});
