/**
 * The runtime asks the browser how it converts postMessage's second argument (dictionaries.ts)
 * at the first post that has one, no longer at install: by then the page has run, so the probe
 * must not touch anything the page can replace or watch (the global `Symbol`, Object.prototype).
 * A page that did both, then posts with options and with an iterable, observes the same natively
 * and instrumented, and the posts are still recorded with their transfer lists (Chromium).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { evaluateInServiceWorker, launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

type Debug = { portscopeDebug: { facts(): Fact[]; clear(): void } };

let server: FixtureServer;
let plain: LaunchedChromium;
let instrumented: LaunchedChromium;

beforeAll(async () => {
  server = await serveFixtures();
  [plain, instrumented] = await Promise.all([
    launchChromium({ extension: false }),
    launchChromium({ extension: true }),
  ]);
  await recordWhileClosedChromium(instrumented.serviceWorker!, true);
});

afterAll(async () => {
  await Promise.all([plain?.close(), instrumented?.close()]);
  await server?.close();
});

/** The first posts with a second argument, after the page replaced `Symbol` and watched Object.prototype. */
async function hostileFirstPosts(page: Page): Promise<unknown> {
  await page.goto(`${server.origin}/conformance/blank.html`);
  return page.evaluate(async () => {
    const log: string[] = [];
    const RealSymbol = Symbol;
    const w = window as unknown as { Symbol: unknown };
    w.Symbol = new Proxy(RealSymbol, {
      get(target, key, receiver) {
        log.push(`Symbol.${String(key)}`);
        return Reflect.get(target, key, receiver);
      },
    });
    const watched = ['get', 'next', 'done', 'value', 'includeUserActivation', 'delegate'];
    // A null-prototype descriptor: the watched `get` and `value` must not be inherited by it.
    for (const key of watched)
      Object.defineProperty(Object.prototype, key, {
        __proto__: null,
        get() {
          log.push(`Object.prototype.${key}`);
          return undefined;
        },
        configurable: true,
      } as PropertyDescriptor);
    const c = new MessageChannel();
    const received: unknown[] = [];
    const both = new Promise<void>((done) => {
      c.port2.onmessage = (e) => {
        received.push(e.data);
        if (received.length === 3) done();
      };
    });
    const buffer = new ArrayBuffer(8);
    c.port1.postMessage('options', { transfer: [buffer] });
    c.port1.postMessage('iterable', new Set<Transferable>() as unknown as Transferable[]);
    // An accessor: the clone calls its getter once; the runtime's preview must read nothing more
    // (an accessor's descriptor has no own `value`: the page's inherited one must not answer).
    const withAccessor = { plain: 1 };
    Object.defineProperty(withAccessor, 'lazy', {
      __proto__: null,
      get() {
        log.push('lazy getter');
        return 2;
      },
      enumerable: true,
    } as PropertyDescriptor);
    c.port1.postMessage(withAccessor);
    await both;
    for (const key of watched) delete (Object.prototype as Record<string, unknown>)[key];
    w.Symbol = RealSymbol;
    return { log, received, detached: buffer.byteLength === 0 };
  });
}

describe('the postMessage conversion probe, run at the first post with options (Chromium)', () => {
  it('is invisible to a page that replaced Symbol and watches Object.prototype; the posts are recorded', async () => {
    const nativePage = await plain.context.newPage();
    const native = await hostileFirstPosts(nativePage);
    await nativePage.close();
    await evaluateInServiceWorker(instrumented, () => (globalThis as unknown as Debug).portscopeDebug.clear());
    const page = await instrumented.context.newPage();
    const observed = await hostileFirstPosts(page);
    expect(native).toMatchObject({ received: ['options', 'iterable', { plain: 1, lazy: 2 }], detached: true });
    expect(observed).toEqual(native);
    const read = () =>
      evaluateInServiceWorker(instrumented, () => (globalThis as unknown as Debug).portscopeDebug.facts());
    const facts = await until(
      'both posts recorded',
      read,
      (f) => f.filter((x) => x.kind === 'port-posted').length >= 3,
    );
    const posted = facts.filter((f): f is Extract<Fact, { kind: 'port-posted' }> => f.kind === 'port-posted');
    expect(posted.map((f) => f.transfer)).toEqual([[{ t: 'arraybuffer', byteLength: 8 }], [], []]);
    await page.close();
  });
});
