/**
 * Workers seen from inside through the DevTools protocol (cli/workers.ts), in Debian's
 * Chromium, as `portscope record` drives it (cli/drive-chromium-pipe.ts). Every scenario runs
 * twice: in a plain Chromium nobody instruments (Playwright, no Portscope), and in the
 * recorder's Chromium with every document and worker instrumented from its first line. What
 * the page and its workers observe must be identical; the recording must show each worker as
 * a context seen from inside, from its first line, linked to the context that created it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { driveChromiumOverPipe, type PipeDriver } from '../../cli/drive-chromium-pipe.ts';
import { Recording } from '../../cli/recording.ts';
import { CHROMIUM_ARGS, INJECTED_BUNDLE, chromiumPath } from '../support/browsers.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { SCENARIOS, scenarioScript } from '../support/worker-scenarios.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;
type WorkerCreated = Extract<Fact, { kind: 'worker-created' }>;

let CROSS_ORIGIN = '';
const script = (body: string) => scenarioScript(body, CROSS_ORIGIN);

let server: FixtureServer;
let plain: Browser;
const recording = new Recording();
/** first/index.html: its first inline script makes a dedicated, a shared and a service worker and hands each a port. */
const firstRecording = new Recording();
let current = firstRecording;
let firstEchoes: unknown;
let recorder: PipeDriver;
const native: Record<string, unknown> = {};
const instrumented: Record<string, unknown> = {};

/** A fresh page per scenario, so a service worker or a shared worker of one does not answer another. */
async function runNative(name: string): Promise<unknown> {
  const context = await plain.newContext();
  try {
    const page: Page = await context.newPage();
    await page.goto(`${server.origin}/workers-cdp/index.html`);
    return await page.evaluate(script(SCENARIOS[name]));
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  server = await serveFixtures();
  CROSS_ORIGIN = server.crossOrigin;
  plain = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  recorder = await driveChromiumOverPipe({
    runtimeBundle: INJECTED_BUNDLE,
    headed: false,
    loadTimeoutMs: 30_000,
    onBatch: (m) => current.receive(m),
  });
  await recorder.open(`${server.origin}/workers-cdp/first/index.html`);
  firstEchoes = await recorder.evaluate(
    script(`
    const until = Date.now() + 8000;
    while (Object.keys(window.echoes).length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return window.echoes;`),
  );
  await firstRecording.settle();
  current = recording;
  for (const name of Object.keys(SCENARIOS)) {
    native[name] = await runNative(name);
    await recorder.open(`${server.origin}/workers-cdp/index.html`);
    instrumented[name] = await recorder.evaluate(script(SCENARIOS[name]));
  }
  await recording.settle();
});

afterAll(async () => {
  await recorder?.close();
  await plain?.close();
  await server?.close();
});

const facts = () => recording.model.factLog() as Fact[];
const contexts = () => facts().filter((f): f is ContextFact => f.kind === 'context');
const contextOf = (suffix: string) => contexts().filter((c) => c.url.endsWith(suffix));

describe('what a page and its workers observe: native and instrumented through the protocol are identical', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(name, () => {
      expect(instrumented[name]).toEqual(native[name]);
      // A scenario that went wrong the same way in both runs would compare equal: check it worked.
      expect(JSON.stringify(native[name])).not.toMatch(/no answer|no echo|no error event/);
    });
  }
});

describe('every worker is seen from inside, from its first line', () => {
  /** The worker's first line creates a channel and posts on it: only a runtime in before it sees that. */
  const sawFirstLine = (ctx: string) =>
    facts().some((f) => f.kind === 'channel-created' && f.ctx === ctx) &&
    facts().some((f) => f.kind === 'port-posted' && f.ctx === ctx);

  it('dedicated workers, classic and module: the ctx their creator named, from their first line', () => {
    const created = facts().filter((f): f is WorkerCreated => f.kind === 'worker-created' && f.workerKind === 'worker');
    for (const suffix of ['/workers-cdp/w/classic.js', '/workers-cdp/w/module.mjs']) {
      const [inside] = contextOf(suffix);
      expect(inside, suffix).toBeDefined();
      expect(inside.contextKind).toBe('worker');
      expect(inside.observed).toBe(true);
      expect(inside.inside).toBe('protocol');
      const creation = created.find((f) => f.childCtx === inside.ctx);
      expect(creation, `the worker-created naming ${suffix}`).toBeDefined();
      expect(inside.parent).toBe(creation!.ctx);
      expect(sawFirstLine(inside.ctx)).toBe(true);
    }
    const node = [...recording.model.contexts.values()].find((c) => c.url.endsWith('/w/classic.js'));
    expect([node?.observed, node?.seen]).toEqual([true, 'inside-protocol']);
    // Documents are inside by their own runtime, not through a worker's protocol session.
    for (const c of contexts().filter((c) => c.contextKind === 'window' || c.contextKind === 'iframe'))
      expect(c.inside).toBeUndefined();
  });

  it('a nested worker: named by the worker that created it', () => {
    const [outer] = contextOf('/workers-cdp/w/classic.js');
    const [nested] = contextOf('/workers-cdp/w/nested.js');
    expect(nested?.parent).toBe(outer.ctx);
    expect(sawFirstLine(nested.ctx)).toBe(true);
  });

  it('a SharedWorker reached from two documents: one context, named alike by both', () => {
    const inside = contextOf('/workers-cdp/w/shared.js');
    expect(inside).toHaveLength(1);
    expect(inside[0].contextKind).toBe('sharedworker');
    const namers = facts().filter(
      (f): f is WorkerCreated => f.kind === 'worker-created' && f.workerKind === 'sharedworker',
    );
    expect(namers).toHaveLength(2);
    expect(new Set(namers.map((f) => f.ctx)).size).toBe(2);
    for (const f of namers) expect(f.childCtx).toBe(inside[0].ctx);
    expect(sawFirstLine(inside[0].ctx)).toBe(true);
  });

  it('a service worker', () => {
    const inside = contextOf('/workers-cdp/sw.js');
    expect(inside).toHaveLength(1);
    expect(inside[0].contextKind).toBe('serviceworker');
    expect(sawFirstLine(inside[0].ctx)).toBe(true);
  });

  it('a port a service worker hands to the page is followed out of it: one channel, both ends known', () => {
    const summary = recording.model.summary();
    const kinds = new Map(summary.contexts.map((c) => [c.id, c.kind]));
    const edge = summary.transfers.find((t) => kinds.get(t.from) === 'serviceworker' && kinds.get(t.to) === 'window');
    expect(edge).toBeDefined();
    const port = summary.ports.find((p) => p.id === edge!.port)!;
    const peer = summary.ports.find((p) => p.channel === port.channel && p.id !== port.id)!;
    expect([
      kinds.get(port.context),
      port.posted,
      port.delivered,
      kinds.get(peer.context),
      peer.posted,
      peer.delivered,
    ]).toEqual(['window', 1, 1, 'serviceworker', 1, 1]);
    expect(recording.model.ports.get(port.id)!.partiallyObserved).toBe(false);
  });

  it("a cross-origin frame's dedicated worker and a data: worker are named by their creator; a blob: worker, which cannot be paused before its first line, is seen from outside", () => {
    const frameDoc = contexts().find((c) => c.url === `${server.crossOrigin}/workers-cdp/frame.html`);
    expect(frameDoc?.contextKind).toBe('iframe');
    const frameWorker = contexts().find(
      (c) => c.contextKind === 'worker' && c.url === `${server.crossOrigin}/workers-cdp/w/classic.js`,
    );
    expect(frameWorker?.parent).toBe(frameDoc!.ctx);
    expect(frameWorker?.inside).toBe('protocol');
    const inside = contexts().find((c) => c.contextKind === 'worker' && c.url.startsWith('data:'));
    expect(inside).toBeDefined();
    expect(
      facts()
        .find((f): f is WorkerCreated => f.kind === 'worker-created' && f.childCtx === inside!.ctx)
        ?.url.startsWith('data:'),
    ).toBe(true);
    expect(contexts().some((c) => c.url.startsWith('blob:'))).toBe(false);
    const blob = facts().filter((f): f is WorkerCreated => f.kind === 'worker-created' && f.url.startsWith('blob:'));
    expect(blob.map((f) => f.childCtx)).toEqual([undefined]);
    expect([...recording.model.contexts.values()].find((c) => c.url.startsWith('blob:'))?.seen).toBe('outside');
  });

  it('no worker ran uninstrumented or unnamed', () => {
    expect(recorder.workers.failed).toBe(0);
    expect(recorder.workers.unmatched).toBe(0);
    // first/: one of each; the scenarios: classic, nested, module, a frame's and a data: dedicated worker (not the
    // blob: one), one shared, one service worker.
    expect(recorder.workers.instrumented).toEqual({ worker: 6, shared_worker: 2, service_worker: 2 });
    expect(recording.refused).toEqual({});
  });
});

describe('portscope record on a page whose first inline script makes a dedicated, a shared and a service worker, each handed a port', () => {
  it('the page saw every echo', () => {
    expect(firstEchoes).toEqual({
      dedicated: 'echo:ping dedicated',
      shared: 'echo:ping shared',
      service: 'echo:ping service',
    });
  });

  it('all three workers are contexts seen from inside; every port has a known holder and state; every message to a started port was delivered', () => {
    const summary = firstRecording.model.summary();
    const kinds = new Map(summary.contexts.map((c) => [c.id, c.kind]));
    expect(summary.contexts.map((c) => `${c.kind} ${new URL(c.url).pathname} observed=${c.observed}`).sort()).toEqual([
      'serviceworker /workers-cdp/first/sw.js observed=true',
      'sharedworker /workers-cdp/w/shared.js observed=true',
      'window /workers-cdp/first/index.html observed=true',
      'worker /workers-cdp/w/classic.js observed=true',
    ]);
    expect([...firstRecording.model.ports.values()].filter((p) => p.partiallyObserved)).toEqual([]);
    // Each worker's first line made a channel and posted on port1; port2 was never started, so that one message waits.
    const ports = summary.ports
      .map(
        (p) =>
          `${kinds.get(p.context)} enabled=${p.enabled} shipped=${p.shipped} queued=${p.queued} posted=${p.posted} delivered=${p.delivered}`,
      )
      .sort();
    expect(ports).toEqual(
      [
        // The three ports handed over: the page's end, and the worker's end that echoed.
        'window enabled=true shipped=false queued=0 posted=1 delivered=1',
        'window enabled=true shipped=false queued=0 posted=1 delivered=1',
        'window enabled=true shipped=false queued=0 posted=1 delivered=1',
        'worker enabled=true shipped=true queued=0 posted=1 delivered=1',
        'sharedworker enabled=true shipped=true queued=0 posted=1 delivered=1',
        'serviceworker enabled=true shipped=true queued=0 posted=1 delivered=1',
        // SharedWorker.port: the page posted the hand-over on it; the worker's connect port got it.
        'window enabled=false shipped=false queued=0 posted=1 delivered=0',
        'sharedworker enabled=true shipped=false queued=0 posted=0 delivered=1',
        // Each worker's first-line channel.
        'worker enabled=false shipped=false queued=0 posted=1 delivered=0',
        'worker enabled=false shipped=false queued=1 posted=0 delivered=0',
        'sharedworker enabled=false shipped=false queued=0 posted=1 delivered=0',
        'sharedworker enabled=false shipped=false queued=1 posted=0 delivered=0',
        'serviceworker enabled=false shipped=false queued=0 posted=1 delivered=0',
        'serviceworker enabled=false shipped=false queued=1 posted=0 delivered=0',
      ].sort(),
    );
    expect(summary.transfers.map((t) => `${kinds.get(t.from)}→${kinds.get(t.to)}`).sort()).toEqual([
      'window→serviceworker',
      'window→sharedworker',
      'window→worker',
    ]);
    expect(summary.diagnostics).toEqual([]);
    expect(firstRecording.refused).toEqual({});
  });
});

/**
 * A service worker the browser stops (as it does when idle) loses every port it held; the next
 * event starts it again with a new global. Stopped here through the protocol
 * (`ServiceWorker.stopAllWorkers`), natively and under the recorder alike.
 */
const RESTART = {
  before: `
    await navigator.serviceWorker.register('sw.js');
    const registration = await navigator.serviceWorker.ready;
    window.held = new MessageChannel();
    registration.active.postMessage('port', [window.held.port2]);
    return await new Promise((resolve) => { window.held.port1.onmessage = (e) => resolve(e.data); window.held.port1.postMessage('before'); setTimeout(() => resolve('no echo'), 5000); });`,
  after: `
    const registration = await navigator.serviceWorker.ready;
    const lost = new Promise((resolve) => { window.held.port1.onmessage = (e) => resolve(e.data); window.held.port1.postMessage('after the stop'); setTimeout(() => resolve('no echo'), 1000); });
    const fresh = new MessageChannel();
    registration.active.postMessage('port', [fresh.port2]);
    const again = await new Promise((resolve) => { fresh.port1.onmessage = (e) => resolve(e.data); fresh.port1.postMessage('again'); setTimeout(() => resolve('no echo'), 5000); });
    return { lost: await lost, again };`,
};

describe('a service worker stopped and started again', () => {
  const restartRecording = new Recording();
  let nativeResult: unknown;
  let instrumentedResult: unknown;

  beforeAll(async () => {
    const context = await plain.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/workers-cdp/restart/index.html`);
      const cdp = await context.newCDPSession(page);
      const before = await page.evaluate(script(RESTART.before));
      await new Promise((r) => setTimeout(r, 300));
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      nativeResult = { before, ...((await page.evaluate(script(RESTART.after))) as object) };
    } finally {
      await context.close();
    }
    current = restartRecording;
    await recorder.open(`${server.origin}/workers-cdp/restart/index.html`);
    const before = await recorder.evaluate(script(RESTART.before));
    // Stopped when idle, as browsers do: what the runtime buffered (one flush delay) has left.
    await new Promise((r) => setTimeout(r, 300));
    await recorder.pageCommand('ServiceWorker.enable');
    await recorder.pageCommand('ServiceWorker.stopAllWorkers');
    instrumentedResult = { before, ...((await recorder.evaluate(script(RESTART.after))) as object) };
    await restartRecording.settle();
  });

  it('the page observes the same: the port it held is gone, a new one is answered', () => {
    expect(nativeResult).toEqual({ before: 'echo:before', lost: 'no echo', again: 'echo:again' });
    expect(instrumentedResult).toEqual(nativeResult);
  });

  it('each life is a context seen from inside from its first line; the first one is destroyed; the message to its port is a diagnostic', () => {
    const all = restartRecording.model.factLog() as Fact[];
    const lives = all.filter((f): f is ContextFact => f.kind === 'context' && f.contextKind === 'serviceworker');
    expect(lives.map((c) => new URL(c.url).pathname)).toEqual([
      '/workers-cdp/restart/sw.js',
      '/workers-cdp/restart/sw.js',
    ]);
    expect(lives[0].ctx).not.toBe(lives[1].ctx);
    for (const life of lives) expect(all.some((f) => f.kind === 'channel-created' && f.ctx === life.ctx)).toBe(true);
    const ids = new Set(lives.map((l) => l.ctx));
    expect(all.filter((f) => f.kind === 'context-destroyed' && ids.has(f.ctx)).map((f) => f.ctx)).toEqual([
      lives[0].ctx,
    ]);
    const codes = restartRecording.model.summary().diagnostics.map((d) => d.code);
    expect(codes).toContain('message-to-destroyed-context');
  });
});

describe('the recorder watches its page (last: it crashes the page)', () => {
  it('a renderer crash rejects `crashed` with a clear error', async () => {
    const outcome = recorder.crashed.catch((e: Error) => e);
    await recorder.open('chrome://crash').catch(() => {});
    const error = (await Promise.race([
      outcome,
      new Promise((r) => setTimeout(() => r('no crash seen'), 10_000)),
    ])) as Error;
    expect(error.name).toBe('PortscopeCliError');
    expect(error.message).toBe('the page crashed while recording');
  });
});
