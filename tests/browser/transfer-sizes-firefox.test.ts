/**
 * Firefox: a transferred ArrayBuffer is described with the size it had when the page posted it,
 * and the message counts those bytes (Chromium: transfer-sizes.test.ts). The page sees the
 * native behaviour: the receiver gets the whole buffer, the sender's is detached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { Fact } from '../../protocol/facts.ts';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

type Posted = Extract<Fact, { kind: 'port-posted' }>;
const MiB = 1024 * 1024;

let firefox: LaunchedFirefox;
let server: FixtureServer;
let page: Page;

const background = (text: string) => firefox.background!(text);
const backgroundFacts = async () =>
  JSON.parse(await background('JSON.stringify(globalThis.portscopeDebug.facts())')) as Fact[];

beforeAll(async () => {
  server = await serveFixtures();
  firefox = await launchFirefox({ extension: true });
  await recordWhileClosedFirefox(background);
  page = await firefox.browser.newPage();
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

async function posted(which: string) {
  await page.goto('about:blank');
  await background("globalThis.portscopeDebug.clear(); 'ok'");
  await page.goto(`${server.origin}/transfer/sizes.html`);
  const seen = await page.evaluate((w) => (window as unknown as { post(w: string): Promise<unknown> }).post(w), which);
  const arrived = (f: Fact[]) => f.some((x) => x.kind === 'port-posted');
  const facts = await until('the post at the background', backgroundFacts, arrived);
  return { fact: facts.find((x): x is Posted => x.kind === 'port-posted')!, page: seen };
}

describe('transferred buffers (Firefox)', () => {
  it('a transferred 1 MiB ArrayBuffer, alone and in an object, keeps its size; a posted view its length', async () => {
    const buffer = await posted('buffer');
    expect(buffer.page).toEqual({ received: MiB, senderByteLength: 0 });
    expect(buffer.fact.preview).toEqual({ t: 'arraybuffer', byteLength: MiB });
    expect(buffer.fact.bytes).toBeGreaterThanOrEqual(MiB);
    const nested = await posted('nested');
    expect(JSON.stringify(nested.fact.preview)).toContain(JSON.stringify({ t: 'arraybuffer', byteLength: MiB }));
    const view = await posted('view');
    expect(view.page).toEqual({ received: 100, senderByteLength: 0 });
    expect(view.fact.preview).toEqual({ t: 'typedarray', ctor: 'Uint8Array', length: 100, byteLength: 100 });
    const dv = await posted('dataview');
    expect(dv.fact.preview).toEqual({ t: 'dataview', byteLength: 64 });
  });
});
