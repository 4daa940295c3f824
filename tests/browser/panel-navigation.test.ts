/**
 * The REAL panel in Chromium's DevTools: a reload kept by Preserve log is marked on the Timeline
 * (a flag over the ruler and a line across the lanes) at the same time as the Messages table's
 * mark, which falls between the two documents' messages. One browser for the file.
 */
import type { Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;

/** The demo's messages per document (tests/fixtures/demo): nine, three of them left queued. */
const DEMO_MESSAGES = 9;
const clickTab = (name: string) => panel.$eval(`#tab-${name}`, (el) => (el as HTMLElement).click());
const rows = () => panel.$$eval('[role=row].grid-row', (els) => els.map((r) => r.textContent ?? ''));
const plot = () =>
  panel.$eval('canvas.tl-plot', (el) => ({
    messages: Number(el.getAttribute('data-messages')),
    navigations: Number(el.getAttribute('data-navigations')),
  }));

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

describe('a reload kept by Preserve log, in the real panel', () => {
  it('the table marks it between the two documents, and the timeline flags it at the same time', async () => {
    await clickTab('messages');
    await until(
      'the first document',
      async () => (await rows()).length,
      (n) => n === DEMO_MESSAGES,
    );
    await panel.$$eval('label', (els) => {
      const box = els.find((l) => l.textContent?.includes('Preserve log'))?.querySelector('input');
      if (!box) throw new Error('no Preserve log checkbox');
      box.click();
    });
    await session.page.reload();
    // The table in time order: the first document's messages, the mark, the second's.
    const lines = await until('both documents and the mark', rows, (l) => l.length === 2 * DEMO_MESSAGES + 1);
    const marks = lines.flatMap((t, i) => (t.includes('Navigated to') ? [i] : []));
    expect(marks).toEqual([DEMO_MESSAGES]);
    expect(lines[DEMO_MESSAGES]).toContain(`${server.origin}/demo/index.html`);
    const tableTime = /at (\S+ m?s)/.exec(lines[DEMO_MESSAGES]!)?.[1];
    expect(tableTime).toBeTruthy();

    await clickTab('timeline');
    await until('the timeline with both documents', plot, (p) => p.messages === 2 * DEMO_MESSAGES);
    expect((await plot()).navigations).toBe(1);
    const flags = await panel.$$eval('.tl-nav', (els) =>
      els.map((el) => {
        const cell = el.parentElement!.parentElement!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return { title: el.getAttribute('title') ?? '', x: r.left + r.width / 2 - cell.left, width: cell.width };
      }),
    );
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag!.title).toContain(`Navigated to ${server.origin}/demo/index.html at ${tableTime} `);
    // Inside the recording, not at an edge: messages on both sides of it.
    expect(flag!.x).toBeGreaterThan(flag!.width * 0.05);
    expect(flag!.x).toBeLessThan(flag!.width * 0.95);

    // The plot draws the line across the lanes at that x, in the flag's colour.
    const drawn = await panel.$eval(
      'canvas.tl-plot',
      (canvas, x) => {
        const c = canvas as HTMLCanvasElement;
        const accent = getComputedStyle(document.querySelector('.tl-nav')!).color;
        const [r, g, b] = accent.match(/\d+/g)!.map(Number);
        const scale = c.width / c.getBoundingClientRect().width;
        const ctx = c.getContext('2d')!;
        const near = (px: number) => {
          const d = ctx.getImageData(Math.round(px * scale), 0, 1, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4)
            if (Math.abs(d[i]! - r!) + Math.abs(d[i + 1]! - g!) + Math.abs(d[i + 2]! - b!) < 30) n++;
          return n / c.height;
        };
        return Math.max(near(x), near(x + 1), near(x - 1));
      },
      flag!.x,
    );
    expect(drawn).toBeGreaterThan(0.8);
  });
});
