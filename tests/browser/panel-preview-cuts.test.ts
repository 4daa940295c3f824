/**
 * The REAL panel in Chromium's DevTools shows what the runtime did not record (issue 16): a
 * message wider and deeper than the default preview, selected in the Messages table, has its cut
 * branches labelled with their kind and size in the inspector; with "Capture full data" set in
 * the settings dialog (panel → background → relay → runtime), the next message is recorded
 * whole. One browser for the file; in order.
 */
import type { Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;

const rowTexts = () => panel.$$eval('[role=row].grid-row', (els) => els.map((r) => r.textContent ?? ''));
const detail = () => panel.$eval('.detail', (el) => el.textContent ?? '').catch(() => '');
const selectRow = (index: number) =>
  panel.$eval(`[role=row][aria-rowindex="${index + 2}"]`, (el) => (el as HTMLElement).click());
/** Opens the inspector's closed rows (the root is open; its children start closed). */
const expandAll = () =>
  panel.$$eval('.detail .pv-toggle', (els) => {
    for (const el of els) if (el.parentElement?.getAttribute('aria-expanded') === 'false') (el as HTMLElement).click();
  });

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
  await session.devtools.setViewport({ width: 1280, height: 800 });
  panel = await showPanel(session.devtools, session.extensionId);
  await session.page.goto(`${server.origin}/preview/index.html`);
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('cut branches in the real panel', () => {
  it('labels what the default preview did not record, with its kind and size', async () => {
    await panel.$eval('#tab-messages', (el) => (el as HTMLElement).click());
    await until('the message in the table', rowTexts, (rows) => rows.length === 1);
    // The Data cell says it too, in its one-line form.
    expect((await rowTexts())[0]).toContain('address: {…2 keys}');
    await selectRow(0);
    await until('the detail pane', detail, (t) => t.includes('owner'));
    await expandAll();
    await until('the expanded inspector', detail, (t) => t.includes('address: Object · 2 keys — not recorded'));
    const text = await detail();
    expect(text).toContain('first 10 of 300 items shown');
    expect(text).toContain('… 290 more items — not recorded');
    expect(text).toContain('0: Object · 2 keys — not recorded');
    expect(text).toContain('truncated (600 chars)');
  });

  it('records the next message whole once "Capture full data" is applied', async () => {
    await panel.$eval('button[title="Settings"]', (el) => (el as HTMLElement).click());
    await panel.waitForSelector('input[name="preview-full"]');
    await panel.$eval('input[name="preview-full"]', (el) => (el as HTMLInputElement).click());
    await panel.$eval('.dialog button[type="submit"]', (el) => (el as HTMLElement).click());
    // The config goes to the runtime through the background and the relay: post until one arrives recorded whole.
    await until(
      'a message recorded whole',
      async () => {
        await session.page.evaluate(() => (window as unknown as { postDeep(): void }).postDeep());
        const rows = await rowTexts();
        return rows[rows.length - 1] ?? '';
      },
      (row) => row.includes('address: {city: "Lyon"'),
    );
    const rows = await rowTexts();
    await selectRow(rows.length - 1);
    await until('the detail of the last message', detail, (t) => t.includes('city'));
    await expandAll();
    await expandAll();
    const text = await until('the whole message in the inspector', detail, (t) => t.includes('lat: 45.76'));
    expect(text).not.toContain('not recorded');
    expect(text).not.toContain('shown');
  });
});
