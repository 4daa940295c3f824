/**
 * A real Array as the transfer list in Firefox, where the page changed Array iteration: what the
 * page sees is what it sees natively (a plain Firefox and one with the built add-on, recording).
 * injected/transfer.ts hands the native a fresh Array of the items where Array.prototype[@@iterator]
 * is the built-in data property (Firefox reads it as it reads the page's own Array, through a
 * page-replaced %ArrayIteratorPrototype%.next where there is one), and a replay otherwise (a getter
 * on Array.prototype[@@iterator] must not run twice).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

let server: FixtureServer;
let plain: LaunchedFirefox;
let instrumented: LaunchedFirefox;

beforeAll(async () => {
  server = await serveFixtures();
  [plain, instrumented] = await Promise.all([launchFirefox({ extension: false }), launchFirefox({ extension: true })]);
  await recordWhileClosedFirefox(instrumented.background!, true);
}, 120_000);

afterAll(async () => {
  await Promise.all([plain?.close(), instrumented?.close()]);
  await server?.close();
});

/** Runs in the page: every post with a real Array, the page's iteration changed in two ways. */
function scenario(): Promise<unknown> {
  const log: string[] = [];
  const ch = new MessageChannel();
  const got: number[] = [];
  ch.port2.onmessage = (e) => {
    got[got.length] = e.ports.length;
  };
  const attempt = (f: () => void) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  const buffers = [new ArrayBuffer(8), new ArrayBuffer(8), new ArrayBuffer(8)];
  const results: string[] = [];

  // A getter on Array.prototype[@@iterator] that answers the built-in: read once natively.
  const values = Array.prototype[Symbol.iterator];
  Object.defineProperty(Array.prototype, Symbol.iterator, {
    configurable: true,
    get() {
      log[log.length] = 'iterator-getter';
      return values;
    },
  });
  results[results.length] = attempt(() => ch.port1.postMessage('getter', [buffers[0]]));
  results[results.length] = attempt(() => ch.port1.postMessage('getter-port', [new MessageChannel().port1]));
  Object.defineProperty(Array.prototype, Symbol.iterator, { configurable: true, writable: true, value: values });

  // %ArrayIteratorPrototype%.next replaced: natively called for every step, done included.
  const arrayIterator = Object.getPrototypeOf(values.call([])) as { next: () => unknown };
  const next = arrayIterator.next;
  arrayIterator.next = function (this: unknown) {
    log[log.length] = 'next';
    return Reflect.apply(next, this, []);
  };
  results[results.length] = attempt(() => ch.port1.postMessage('next', [buffers[1], new MessageChannel().port1]));
  results[results.length] = attempt(() => ch.port1.postMessage('next-dict', { transfer: [buffers[2]] }));
  arrayIterator.next = next;

  return new Promise((resolve) => {
    const end = Date.now() + 3000;
    const poll = () => {
      if (got.length >= 4 || Date.now() > end)
        resolve({ results, log, got, detached: buffers.map((b) => b.byteLength) });
      else setTimeout(poll, 10);
    };
    poll();
  });
}

async function observe(page: Page): Promise<unknown> {
  await page.goto(`${server.origin}/conformance/blank.html`, { waitUntil: 'load' });
  return page.evaluate(scenario);
}

it('a real Array, Array iteration changed by the page: Firefox sees the same as natively', async () => {
  const native = await observe(await plain.browser.newPage());
  const ours = await observe(await instrumented.browser.newPage());
  // What the native did, so that the comparison cannot pass on a scenario that did nothing.
  expect(native).toMatchObject({ results: ['ok', 'ok', 'ok', 'ok'], got: [0, 1, 1, 0], detached: [0, 0, 0] });
  expect((native as { log: string[] }).log).toContain('iterator-getter');
  expect((native as { log: string[] }).log).toContain('next');
  expect(ours).toEqual(native);
}, 60_000);
