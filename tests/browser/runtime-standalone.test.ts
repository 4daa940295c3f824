/**
 * The standalone runtime (`portscope-injected.js`) as the headless recorder loads it:
 * Playwright `exposeBinding('__portscopeEmit')` + `addInitScript({ path })`, in a page with a
 * same-origin and a cross-origin iframe. Batches arrive as JSON strings, every fact passes the
 * protocol validator, the page never sees the binding or the config global.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { validateFacts } from '../../protocol/validate.ts';
import { INJECTED_BUNDLE } from '../support/browsers.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

interface Batch {
  type: string;
  seq: number;
  facts: unknown[];
  frameUrl: string;
}

let server: FixtureServer;
let browser: LaunchedChromium;
let page: Page;
const batches: Batch[] = [];

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: false });
  await browser.context.exposeBinding('__portscopeEmit', (source, json: string) => {
    batches.push({ ...(JSON.parse(json) as Omit<Batch, 'frameUrl'>), frameUrl: source.frame.url() });
  });
  // The recorder may pass a config the same way; it must be read and deleted too.
  await browser.context.addInitScript(() => {
    (globalThis as unknown as { __portscopeConfig: unknown }).__portscopeConfig = {
      captureStacks: true,
      inWorker: false,
    };
  });
  await browser.context.addInitScript({ path: INJECTED_BUNDLE });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const allFacts = () => batches.flatMap((b) => b.facts) as Fact[];

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; facts: ${allFacts()
          .map((f) => f.kind)
          .join(',')}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('standalone runtime with exposeBinding + addInitScript', () => {
  it('records the top page and both iframes, invisibly to the page', async () => {
    await page.goto(`${server.origin}/conformance/blank.html`);
    const seen = await page.evaluate(
      async ({ origin, crossOrigin }) => {
        const T = (
          window as unknown as {
            T: { frame(src: string): Promise<HTMLIFrameElement>; wait(ms: number): Promise<void> };
          }
        ).T;
        const same = await T.frame(origin + '/conformance/echo.html');
        await T.frame(crossOrigin + '/conformance/echo.html');
        const ch = new MessageChannel();
        same.contentWindow!.postMessage('port', '*', [ch.port2]);
        const echoed = await new Promise((resolve) => {
          ch.port1.onmessage = (e) => resolve(e.data);
          ch.port1.postMessage({ hello: 'frame' });
        });
        const globals = (w: Window) => [
          typeof (w as unknown as Record<string, unknown>).__portscopeEmit,
          typeof (w as unknown as Record<string, unknown>).__portscopeConfig,
        ];
        return { echoed, top: globals(window), child: globals(same.contentWindow!) };
      },
      { origin: server.origin, crossOrigin: server.crossOrigin },
    );
    expect(seen).toEqual({
      echoed: { hello: 'frame' },
      top: ['undefined', 'undefined'],
      child: ['undefined', 'undefined'],
    });
    const crossGlobals = await page
      .frames()[2]
      .evaluate(() => typeof (window as unknown as Record<string, unknown>).__portscopeEmit);
    expect(crossGlobals).toBe('undefined');

    await until(() => allFacts().filter((f) => f.kind === 'message-dispatched').length >= 2, 'both dispatches');
    const facts = allFacts();
    expect(() => validateFacts(facts, 'standalone')).not.toThrow();

    const contexts = facts.filter((f) => f.kind === 'context') as Extract<Fact, { kind: 'context' }>[];
    const top = contexts.find((c) => c.url.endsWith('/conformance/blank.html'))!;
    const frames = contexts.filter((c) => c.url.endsWith('/conformance/echo.html'));
    expect(top).toMatchObject({ contextKind: 'window', framePath: 'top', observed: true, origin: server.origin });
    expect(frames.map((f) => [f.contextKind, f.framePath, f.origin]).sort()).toEqual([
      ['iframe', 'top.frames[0]', server.origin],
      ['iframe', 'top.frames[1]', server.crossOrigin],
    ]);

    // Per context, the first fact is `context` and seq numbers strictly increase from 1.
    for (const c of contexts) {
      const mine = facts.filter((f) => (f as { ctx: string }).ctx === c.ctx);
      expect(mine[0].kind).toBe('context');
      expect(mine.map((f) => f.seq)).toEqual(mine.map((_, i) => i + 1));
    }
    // Batches carry a per-context seq from 1.
    for (const url of new Set(batches.map((b) => b.frameUrl))) {
      const seqs = batches.filter((b) => b.frameUrl === url).map((b) => b.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }

    const topFacts = facts.filter((f) => (f as { ctx: string }).ctx === top.ctx);
    const kinds = topFacts.map((f) => f.kind);
    expect(kinds.filter((k) => k === 'channel-created')).toHaveLength(1);
    const posted = topFacts.filter((f) => f.kind === 'port-posted') as Extract<Fact, { kind: 'port-posted' }>[];
    expect(posted).toHaveLength(1);
    expect(posted[0].preview).toEqual({
      t: 'object',
      entries: [['hello', { t: 'string', v: 'frame', len: 5 }]],
      keys: 1,
    });
    // captureStacks from __portscopeConfig: the post carries a page call site, without runtime frames.
    const stack = posted[0].site!.stack;
    expect(stack.length).toBeGreaterThan(0);
    // The first frame is the page's own call of postMessage (inside page.evaluate's function).
    expect(stack[0]).toMatch(/eval/);
    expect(stack.join('\n')).not.toMatch(/portscopeBoundary|portscope-injected/);

    // The child (same origin) ran its own window.postMessage: it saw the parent's port arrive.
    const child = frames.find((f) => f.origin === server.origin)!;
    const childFacts = facts.filter((f) => (f as { ctx: string }).ctx === child.ctx);
    const received = childFacts.find((f) => f.kind === 'port-received') as Extract<Fact, { kind: 'port-received' }>;
    expect(received).toMatchObject({
      carrier: 'window',
      sourcePath: 'top',
      sourceOrigin: server.origin,
      index: 0,
      count: 1,
    });
    const dispatched = childFacts.find((f) => f.kind === 'message-dispatched') as Extract<
      Fact,
      { kind: 'message-dispatched' }
    >;
    expect(dispatched.fingerprint).toBe(posted[0].fingerprint);
  });

  it('runs inside a dedicated worker: worker context, self.postMessage shipping, self.close()', async () => {
    await page.goto(`${server.origin}/conformance/blank.html`);
    const bundle = readFileSync(INJECTED_BUNDLE, 'utf8');
    const batchesFromWorker = await page.evaluate(async (bundleText) => {
      // The worker's recorder binding: the native postMessage, captured before the runtime installs.
      const prelude =
        'const send = self.postMessage.bind(self); self.__portscopeEmit = (json) => send({ portscope: json });\n';
      const body = `
        self.onmessage = (e) => {
          if (e.data === 'go') {
            const ch = new MessageChannel();
            ch.port1.onmessage = (ev) => ch.port1.postMessage('pong:' + ev.data);
            self.postMessage({ hello: 'page' }, [ch.port2]);
          }
          if (e.data === 'close') self.close();
        };`;
      const url = URL.createObjectURL(new Blob([prelude + bundleText + '\n' + body], { type: 'text/javascript' }));
      const w = new Worker(url);
      const out: string[] = [];
      const port = await new Promise<MessagePort>((resolve) => {
        w.onmessage = (e) => {
          if (e.data?.portscope) out.push(e.data.portscope);
          else if (e.data?.hello) resolve(e.ports[0]);
        };
        w.postMessage('go');
      });
      const pong = await new Promise((resolve) => {
        port.onmessage = (e) => resolve(e.data);
        port.postMessage('ping');
      });
      w.postMessage('close');
      await new Promise((r) => setTimeout(r, 300));
      return { out, pong, globals: typeof (self as unknown as Record<string, unknown>).__portscopeEmit };
    }, bundle);
    expect(batchesFromWorker.pong).toBe('pong:ping');
    const facts = batchesFromWorker.out.flatMap((json) => (JSON.parse(json) as { facts: Fact[] }).facts);
    expect(() => validateFacts(facts, 'worker')).not.toThrow();
    expect(facts[0]).toMatchObject({ kind: 'context', contextKind: 'worker', observed: true });
    const kinds = facts.map((f) => f.kind);
    expect(kinds.filter((k) => k === 'channel-created')).toHaveLength(1);
    const posted = facts.find((f) => f.kind === 'carrier-posted') as Extract<Fact, { kind: 'carrier-posted' }>;
    expect(posted).toMatchObject({ carrier: 'worker', target: 'parent', transfer: [{ t: 'port', port: 2 }] });
    expect(facts.find((f) => f.kind === 'port-shipped')).toMatchObject({
      port: 2,
      carrier: 'worker',
      carrierId: posted.carrierId,
      index: 0,
    });
    expect(kinds).toContain('message-dispatched');
    expect(facts.at(-1)).toMatchObject({ kind: 'context-destroyed', reason: 'close' });
    // The page's own runtime saw the same port arrive from the worker.
    await until(
      () => allFacts().some((f) => f.kind === 'port-received' && f.carrier === 'worker'),
      'the page-side arrival',
    );
    const arrival = allFacts().find((f) => f.kind === 'port-received' && f.carrier === 'worker') as Extract<
      Fact,
      { kind: 'port-received' }
    >;
    expect(arrival.fingerprint).toBe(posted.fingerprint);
  });

  it('flushes by size under a burst: 30,000 posts in one task arrive without drops', async () => {
    batches.length = 0;
    await page.goto(`${server.origin}/conformance/blank.html`);
    // 60,000 facts in one task: more than the emitter's 20,000-fact bound, so without the
    // flush by size facts would be dropped (and counted). Dropping itself: tests/node/injected.
    const delivered = await page.evaluate(async () => {
      const ch = new MessageChannel();
      let n = 0;
      ch.port2.onmessage = () => n++;
      for (let i = 0; i < 30_000; i++) ch.port1.postMessage(i);
      await new Promise((r) => setTimeout(r, 500));
      return n;
    });
    expect(delivered).toBe(30_000);
    await until(() => allFacts().filter((f) => f.kind === 'message-dispatched').length >= 30_000, 'all dispatches');
    const facts = allFacts();
    expect(facts.filter((f) => f.kind === 'port-posted')).toHaveLength(30_000);
    expect(facts.filter((f) => f.kind === 'facts-dropped')).toHaveLength(0);
  });
});
