/**
 * A transferred ArrayBuffer is detached in the sender the moment the post returns: the runtime
 * describes it with the size it had when the page posted it, and counts those bytes in the
 * message's size (Chromium, the built extension). The page's own view of the post is native:
 * the receiver gets the whole buffer and the sender's copy is detached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { evaluateInServiceWorker, launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

type Posted = Extract<Fact, { kind: 'port-posted' }>;
type Debug = { portscopeDebug: { facts(): Fact[]; clear(): void } };
const MiB = 1024 * 1024;

let browser: LaunchedChromium;
let server: FixtureServer;

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(browser.serviceWorker!);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function posted(which: string): Promise<{ fact: Posted; page: { received: number; senderByteLength: number } }> {
  await evaluateInServiceWorker(browser, () => (globalThis as unknown as Debug).portscopeDebug.clear());
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/transfer/sizes.html`);
  type Seen = { received: number; senderByteLength: number };
  const seen = await page.evaluate((w) => (window as unknown as { post(w: string): Promise<Seen> }).post(w), which);
  const facts = await until(
    'the post at the background',
    () => evaluateInServiceWorker(browser, () => (globalThis as unknown as Debug).portscopeDebug.facts()),
    (f) => f.some((x) => x.kind === 'port-posted'),
  );
  await page.close();
  return { fact: facts.find((x): x is Posted => x.kind === 'port-posted')!, page: seen };
}

describe('transferred buffers (Chromium)', () => {
  it('a transferred 1 MiB ArrayBuffer is described with its size before the transfer; the message counts it', async () => {
    const { fact, page } = await posted('buffer');
    expect(page).toEqual({ received: MiB, senderByteLength: 0 });
    expect(fact.preview).toEqual({ t: 'arraybuffer', byteLength: MiB });
    expect(fact.transfer).toEqual([{ t: 'arraybuffer', byteLength: MiB }]);
    expect(fact.bytes).toBeGreaterThanOrEqual(MiB);
  });

  it('inside an object too', async () => {
    const { fact, page } = await posted('nested');
    expect(page).toEqual({ received: MiB, senderByteLength: 0 });
    expect(JSON.stringify(fact.preview)).toContain(JSON.stringify({ t: 'arraybuffer', byteLength: MiB }));
    expect(fact.bytes).toBeGreaterThanOrEqual(MiB);
  });

  it('a view posted with its buffer transferred keeps its length; a DataView is described, not lost', async () => {
    const view = await posted('view');
    expect(view.page).toEqual({ received: 100, senderByteLength: 0 });
    expect(view.fact.preview).toEqual({ t: 'typedarray', ctor: 'Uint8Array', length: 100, byteLength: 100 });
    expect(view.fact.bytes).toBeGreaterThanOrEqual(100);
    const dv = await posted('dataview');
    expect(dv.page).toEqual({ received: 64, senderByteLength: 0 });
    expect(dv.fact.preview).toEqual({ t: 'dataview', byteLength: 64 });
  });

  it('a buffer that is copied, not transferred, is described as before', async () => {
    const { fact, page } = await posted('copied');
    expect(page).toEqual({ received: MiB, senderByteLength: MiB });
    expect(fact.preview).toEqual({ t: 'arraybuffer', byteLength: MiB });
    expect(fact.transfer).toEqual([]);
  });
});
