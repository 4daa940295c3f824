/**
 * The REAL panel in Chromium's DevTools: Clear, then DevTools closed and opened again on the tab.
 * The background keeps what the model needs for structure across a Clear (extension/router.ts,
 * TabState.cut), so the new panel shows the channels and ports the page goes on using, with the
 * messages before the Clear dropped and counted as cleared, and the next ping lands on its
 * channel as one delivered message. One browser for the file.
 */
import type { Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let server: FixtureServer;
let session: DevToolsSession;

const countsText = (panel: Frame) => panel.$eval('[data-testid=counts]', (el) => el.textContent ?? '');
const clickTab = (panel: Frame, name: string) => panel.$eval(`#tab-${name}`, (el) => (el as HTMLElement).click());
const rows = (panel: Frame) => panel.$$eval('[role=row].grid-row', (els) => els.map((r) => r.textContent ?? ''));
// Empty until the Channels view has drawn its tree (under load it can come after the tab is selected).
const tree = (panel: Frame) => panel.$$eval('[role=tree]', (els) => els[0]?.textContent ?? '');
/** The Channels tree without its message tallies (which Clear changes). */
const structureOf = (text: string) => text.replace(/\d+ (posted|delivered|queued)/g, '');

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('Clear, then DevTools closed and opened again', () => {
  it('the new panel still shows the channels and ports, without the cleared messages', async () => {
    const first = await showPanel(session.devtools, session.extensionId);
    await session.page.goto(`${server.origin}/demo/index.html`);
    await until(
      'the demo in the panel',
      () => countsText(first),
      (t) => t.includes('9 messages') && t.includes('3 queued'),
    );
    await clickTab(first, 'channels');
    // The iframe's own facts come through its relay and may arrive after the counts settle (under
    // load): the picture is whole once the iframe holds its enabled port, not when its context is in.
    const treeBefore = await until(
      "the iframe's port in the tree",
      () => tree(first),
      (t) => /iframe \/demo\/child\.htmlp\d+ ⇄ p\d+ · c\d+enabled/.test(t),
    );
    const structure = (await countsText(first)).split(' · ').slice(0, 2).join(' · ');
    expect(structure).toBe('3 channels · 6 ports');
    await first.$$eval('button', (els) => (els.find((el) => el.textContent?.includes('Clear')) as HTMLElement).click());
    await until(
      'the Clear',
      () => countsText(first),
      (t) => t.includes('6 cleared'),
    );

    await session.devtools.close();
    const devtools = await session.page.openDevTools();
    const panel = await showPanel(devtools, session.extensionId);
    // Before: the background had emptied the tab's log, and the new panel knew no channel at all.
    const counts = await until(
      'the reopened panel',
      () => countsText(panel),
      (t) => t.startsWith(structure),
    );
    expect(counts).toBe(`${structure} · 3 messages · 3 queued · 2 carriers · 6 cleared`);
    await clickTab(panel, 'channels');
    const treeAfter = await until(
      'the same contexts, channels and ports',
      async () => structureOf(await tree(panel)),
      (t) => t === structureOf(treeBefore),
    ).catch(async () => structureOf(await tree(panel)));
    expect(treeAfter).toBe(structureOf(treeBefore));

    // The page goes on using its channel: the ping and its pong are two delivered rows on it.
    await clickTab(panel, 'messages');
    await session.page.click('#ping');
    const lines = await until(
      'the ping and its pong',
      () => rows(panel),
      (l) => l.length === 5,
    );
    const fresh = lines.filter((r) => !r.includes('queued'));
    expect(fresh).toHaveLength(2);
    for (const row of fresh) {
      expect(row).toContain('delivered');
      expect(row).not.toContain('not observed');
    }
    expect(fresh[0]).toContain('"ping"');
    expect(fresh[1]).toContain('"pong"');
    expect(await countsText(panel)).toBe(`${structure} · 5 messages · 3 queued · 2 carriers · 6 cleared`);
  });
});
