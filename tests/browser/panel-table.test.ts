/**
 * The REAL Messages table in Chromium's DevTools, on a page that calls a cross-origin widget with
 * numbered requests: request/reply pairs, the widget's origin in its label, data-path, size and
 * regex filters, chosen and resized columns kept across a reload of the panel, the detail pane
 * only on selection behind a splitter, a narrow panel, Preserve log's navigation mark, and an
 * imported trace that leaves the live recording whole. One browser for the file; in order.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrace, serializeTrace } from '../../protocol/trace.ts';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';
import { allSyntheticFacts } from '../node/panel/syntheticFacts.ts';

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;
const files = mkdtempSync(join(tmpdir(), 'portscope-table-'));

const rowCount = () => panel.$eval('[role=grid]', (el) => Number(el.getAttribute('aria-rowcount')) - 1);
const rows = () => panel.$$eval('[role=row].grid-row', (els) => els.map((r) => r.textContent ?? ''));
const headers = () =>
  panel.$$eval('[role=columnheader]', (els) => els.map((h) => h.textContent?.replace(/[▲▼]/g, '').trim() ?? ''));
const box = async (handle: ElementHandle | null) => {
  const b = await handle?.boundingBox();
  if (!b) throw new Error('element not laid out');
  return b;
};
const typeFilter = async (text: string) => {
  await panel.$eval('input[type=search]', (el) => (el as HTMLInputElement).select());
  if (text === '') await session.devtools.keyboard.press('Backspace');
  else await panel.type('input[type=search]', text);
};
/**
 * Drags a handle with pointer events dispatched in the panel. CDP's mouse (Input.dispatchMouseEvent
 * on the DevTools window) reaches the panel's frame for a move and a press, but no move or release
 * after the press in headless Chromium (measured: pointermove, pointerdown, mousedown, then nothing).
 */
const drag = (handle: ElementHandle | null, dx: number, dy: number) => {
  if (!handle) throw new Error('no handle to drag');
  return handle.evaluate(
    (el, dx, dy) => {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const at = (type: string, f: number) =>
        el.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            button: 0,
            buttons: type === 'pointerup' ? 0 : 1,
            pointerId: 1,
            clientX: x + dx * f,
            clientY: y + dy * f,
          }),
        );
      at('pointerdown', 0);
      at('pointermove', 0.5);
      at('pointermove', 1);
      at('pointerup', 1);
    },
    dx,
    dy,
  );
};
const openMessages = async () => {
  await panel.$eval('#tab-messages', (el) => (el as HTMLElement).click());
  await panel.waitForSelector('[role=grid]');
};

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
  await session.devtools.setViewport({ width: 1280, height: 720 });
  panel = await showPanel(session.devtools, session.extensionId);
  await session.devtools
    .evaluate(`(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      UI.DockController.DockController.instance().setDockSide('undocked');
    })()`)
    .catch(() => {});
  await session.page.goto(
    `${server.origin}/panel-data/index.html?widget=${encodeURIComponent(`${server.crossOrigin}/panel-data/widget.html`)}`,
  );
});

afterAll(async () => {
  await session?.close();
  await server?.close();
  rmSync(files, { recursive: true, force: true });
});

describe('the Messages table in the real panel', () => {
  it('pairs replies with requests and names the widget by its origin', async () => {
    await openMessages();
    await until('two calls and their replies', rowCount, (n) => n === 4);
    const [ask1, ask2, reply1, reply2] = await rows();
    expect(ask1).toContain('method: "add"');
    expect(ask1).toMatch(/↪ \d/);
    expect(reply1).toContain('↩ m1');
    expect(reply2).toContain('↩ m2');
    expect(ask2).toMatch(/↪ \d/);
    // The widget is on another origin: its label says so, the page's own document is "page".
    expect(ask1).toContain(`iframe ${server.crossOrigin}/panel-data/widget.html`);
    expect(reply1).toMatch(/p\d+ page/);
  });

  it('filters by data path, size and regex; a bad regex is an error with no rows', async () => {
    await typeFilter('data.method:add');
    await until('the two requests', rowCount, (n) => n === 2);
    await typeFilter('data.value:7');
    await until('the reply of add(3, 4)', rowCount, (n) => n === 1);
    await typeFilter('larger-than:1k');
    await until('nothing over 1 kB', rowCount, (n) => n === 0);
    await typeFilter('larger-than:10');
    await until('every message (each is over 10 bytes)', rowCount, (n) => n === 4);
    await typeFilter('context:widget.html');
    await until('sent by or to the widget: all four', rowCount, (n) => n === 4);
    await typeFilter('/"add"|value/');
    await until('regex rows', rowCount, (n) => n === 4);
    await typeFilter('/(/');
    const error = await until(
      'the regex error',
      () => panel.$eval('#filter-error', (el) => el.textContent ?? '').catch(() => ''),
      (t) => t !== '',
    );
    expect(error).toContain('invalid regular expression /(/');
    expect(await rowCount()).toBe(0);
    await typeFilter('');
    await until('all rows back', rowCount, (n) => n === 4);
  });

  it('opens the detail pane on selection only, with a splitter that resizes it', async () => {
    expect(await panel.$('.detail')).toBeNull();
    const grid = await box(await panel.$('.table-wrap'));
    const view = await box(await panel.$('.view'));
    expect(grid.width).toBeGreaterThan(view.width - 2);
    await panel.$eval('[role=row][aria-rowindex="2"]', (el) => (el as HTMLElement).click());
    await panel.waitForSelector('.detail');
    const detailText = await panel.$eval('.detail', (el) => el.textContent ?? '');
    expect(detailText).toMatch(/Replied\s*in \d+\.\d ms by m3/);
    const before = await box(await panel.$('.detail'));
    await drag(await panel.$('.splitter'), -100, 0);
    const after = await box(await panel.$('.detail'));
    expect(after.width).toBeGreaterThan(before.width + 80);
    await panel.$eval('.detail-close', (el) => (el as HTMLElement).click());
    await until(
      'the detail pane closed',
      () => panel.$('.detail'),
      (d) => d === null,
    );
  });

  it('chooses and resizes columns, and keeps both when the panel is opened again', async () => {
    await panel.$eval('[aria-haspopup=dialog][title="Choose columns"]', (el) => (el as HTMLElement).click());
    const toggle = (label: string) =>
      panel.$$eval(
        '.column-menu label',
        (els, text) =>
          (els.find((el) => el.textContent?.trim() === text)!.querySelector('input') as HTMLInputElement).click(),
        label,
      );
    await toggle('Size');
    await toggle('Channel');
    await toggle('Handler');
    await until('the chosen columns', headers, (h) => h.includes('Channel') && !h.includes('Size'));
    expect(await headers()).toEqual(['Time', 'From', 'To', 'Channel', 'Wait', 'Handler', 'Data', 'Delivery']);
    await panel.$$eval('.column-menu button', (els) =>
      (els.find((el) => el.textContent === 'Close') as HTMLElement).click(),
    );
    const from = () => panel.$('[role=columnheader].c-from');
    const width = (await box(await from())).width;
    await drag(await panel.$('[role=columnheader].c-from .col-resize'), 80, 0);
    const wider = (await box(await from())).width;
    expect(wider).toBeGreaterThan(width + 60);

    await panel.evaluate(() => location.reload());
    await until(
      'the panel reloaded',
      () => panel.$('[role=tablist]').catch(() => null),
      (t) => t !== null,
    );
    await openMessages();
    expect(await headers()).toEqual(['Time', 'From', 'To', 'Channel', 'Wait', 'Handler', 'Data', 'Delivery']);
    expect(Math.abs((await box(await from())).width - wider)).toBeLessThan(2);
  });

  it('at 600 px wide keeps the toolbar to one row and gives the table most of the pane', async () => {
    await session.devtools.setViewport({ width: 600, height: 720 });
    await until(
      'the narrow panel',
      () => panel.evaluate(() => innerWidth),
      (w) => w <= 600,
    );
    const toolbar = await box(await panel.$('.toolbar'));
    expect(toolbar.height).toBeLessThan(34);
    const view = await box(await panel.$('.view'));
    const body = await box(await panel.$('.grid-body'));
    expect(body.height).toBeGreaterThan(view.height * 0.85);
    await panel.$eval('[role=row][aria-rowindex="3"]', (el) => (el as HTMLElement).click());
    await panel.waitForSelector('.detail');
    const below = await box(await panel.$('.detail'));
    const table = await box(await panel.$('.grid-body'));
    expect(below.y).toBeGreaterThan(table.y + table.height - 1);
    expect(table.height).toBeGreaterThan(view.height * 0.4);
    await panel.$eval('.detail-close', (el) => (el as HTMLElement).click());
    await session.devtools.setViewport({ width: 1280, height: 720 });
  });

  it("marks a reload kept by Preserve log between the two documents' messages", async () => {
    await panel.$eval('label.tool.check input', (el) => (el as HTMLInputElement).click());
    await session.page.reload();
    await until("the new document's four messages too", rowCount, (n) => n === 8);
    const lines = await rows();
    const mark = lines.findIndex((t) => t.includes('Navigated to'));
    expect(mark).toBe(4);
    expect(lines[mark]).toContain(`${server.origin}/panel-data/index.html`);
  });

  it('shows an imported trace beside the live recording, which comes back whole', async () => {
    const facts = allSyntheticFacts({ messages: 6 });
    const file = join(files, 'imported.json');
    const meta = {
      browser: 'test',
      url: 'http://127.0.0.1:8080/index.html',
      startedAt: '2026-01-01T00:00:00Z',
      portscopeVersion: 'test',
      dropped: {},
      evicted: { messages: 0, facts: 0 },
    };
    writeFileSync(file, serializeTrace(createTrace({ meta, facts })));
    const input = (await panel.$('input[type=file]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await until('the trace on screen', rowCount, (n) => n === 9);
    await session.page.click('#call');
    await until(
      'the live call recorded behind the trace',
      () => panel.$eval('.statusbar', (el) => el.textContent ?? ''),
      (t) => /live facts? recorded behind it/.test(t),
    );
    expect(await rowCount()).toBe(9);
    await panel.$$eval('button', (els) =>
      (els.find((el) => el.textContent?.includes('Back to live')) as HTMLElement).click(),
    );
    // Both documents' eight messages, the navigation mark, and the call made while the trace was shown.
    await until('the live recording, whole', rowCount, (n) => n === 10);
    expect((await rows()).some((t) => t.includes('Navigated to'))).toBe(true);
  });
});
