/**
 * The REAL panel in Chromium's DevTools: Clear, an invalid filter, Preserve log. Clear drops the
 * messages shown, never what the panel knows of contexts, channels and ports: the demo's next
 * ping must land on the channel it went through, as one row, delivered, with its data.
 * One browser for the file; the scenarios build on each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;

const countsText = () => panel.$eval('[data-testid=counts]', (el) => el.textContent ?? '');
const clickTab = (name: string) => panel.$eval(`#tab-${name}`, (el) => (el as HTMLElement).click());
const rowCount = () => panel.$eval('[role=grid]', (el) => Number(el.getAttribute('aria-rowcount')) - 1);
const badge = () => panel.$eval('#tab-messages', (el) => el.querySelector('.badge')?.textContent ?? '0');
/** The text of each message row, in table order. */
const rows = () => panel.$$eval('[role=row].grid-row', (els) => els.map((r) => r.textContent ?? ''));
const clickButton = (label: string) =>
  panel.$$eval(
    'button',
    (els, text) => {
      const button = els.find((el) => el.textContent?.includes(text));
      if (!button) throw new Error(`no button ${text}`);
      (button as HTMLElement).click();
    },
    label,
  );
const typeFilter = async (text: string) => {
  await panel.$eval('input[type=search]', (el) => (el as HTMLInputElement).select());
  if (text === '') await session.devtools.keyboard.press('Backspace');
  else await panel.type('input[type=search]', text);
};

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
  panel = await showPanel(session.devtools, session.extensionId);
  await session.page.goto(`${server.origin}/demo/index.html`);
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('Clear in the real panel', () => {
  let structure = '';

  it('keeps contexts, channels and ports: the next ping is one channel, two new rows', async () => {
    // The demo's nine messages, three of them stuck in a never-started port's queue.
    await until('the demo in the panel', countsText, (t) => t.includes('9 messages') && t.includes('3 queued'));
    await clickTab('channels');
    // The pongs can be counted (from the main document's dispatches) before the iframe's own facts
    // arrive through its relay: the picture is whole once the iframe holds its enabled port.
    const treeBefore = await until(
      "the iframe's port in the tree",
      () => panel.$eval('[role=tree]', (el) => el.textContent ?? ''),
      (t) => /iframe \/demo\/child\.htmlp\d+ ⇄ p\d+ · c\d+enabled/.test(t),
    );
    structure = (await countsText()).split(' · ').slice(0, 2).join(' · ');
    expect(structure).toBe('3 channels · 6 ports');

    await clickButton('Clear');
    await clickTab('messages');
    // What waits in a port message queue is the port's state: it stays; the six others go.
    await until('the cleared table', rowCount, (n) => n === 3);
    expect((await rows()).every((r) => r.includes('queued'))).toBe(true);
    expect(await countsText()).toBe(`${structure} · 3 messages · 3 queued · 2 carriers · 6 cleared`);
    expect(await badge()).toBe('3');

    await session.page.click('#ping');
    await until('the ping and its pong', rowCount, (n) => n === 5);
    const fresh = (await rows()).filter((r) => !r.includes('queued'));
    expect(fresh).toHaveLength(2);
    for (const row of fresh) {
      expect(row).toContain('delivered');
      expect(row).not.toContain('not observed');
      expect(row).not.toContain('evicted');
    }
    expect(fresh[0]).toContain('"ping"');
    expect(fresh[1]).toContain('"pong"');
    // Both went through the channel the page made at load: the same two ports, nothing new.
    const ports = fresh.map((r) =>
      [...r.matchAll(/\bp\d+\b/g)]
        .map((m) => m[0])
        .sort()
        .join(','),
    );
    expect(ports[0]).toBe(ports[1]);
    expect(await countsText()).toBe(`${structure} · 5 messages · 3 queued · 2 carriers · 6 cleared`);
    // The spec's words stay, explained where they are shown.
    const explained = await panel.$eval('[data-testid=counts]', (el) => el.getAttribute('title') ?? '');
    expect(explained).toMatch(/^Carrier: a message sent with window, worker or service worker postMessage/);
    expect(explained).toContain('Cleared: message records dropped by Clear.');
    expect(await badge()).toBe('5');

    await clickTab('channels');
    const tree = await panel.$eval('[role=tree]', (el) => el.textContent ?? '');
    expect(tree.replace(/\d+ (posted|delivered|queued)/g, '')).toBe(
      treeBefore.replace(/\d+ (posted|delivered|queued)/g, ''),
    );
  });

  it("an invalid filter shows its error and no rows, not the previous filter's", async () => {
    await clickTab('messages');
    await typeFilter('state:queued');
    await until('the queued rows', rowCount, (n) => n === 3);
    await typeFilter('state:queued colour:red');
    const error = await until(
      'a filter error',
      () => panel.$eval('#filter-error', (el) => el.textContent ?? '').catch(() => ''),
      (t) => t !== '',
    );
    expect(error).toContain('unknown filter "colour:"');
    expect(await until('no rows', rowCount, (n) => n === 0)).toBe(0);
    await typeFilter('');
    await until('every row back', rowCount, (n) => n === 5);
  });
});
