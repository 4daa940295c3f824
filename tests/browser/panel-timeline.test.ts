/**
 * The REAL Portscope panel's Timeline in Chromium's DevTools on the flood page (20,000 messages
 * in bursts, tests/fixtures/busy/flood.html): the timeline covers the whole recording whatever
 * the Messages table's sort, a click on a message selects it in the table (and back), the
 * overview picks a range, the keyboard moves between messages. One browser for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'puppeteer-core';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import type { ChannelModel } from '../../panel/model/types.ts';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';
import { until } from '../support/until.ts';

const FLOOD_MESSAGES = 20_000;

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;
let truth: ChannelModel;

interface PlotState {
  start: number;
  end: number;
  messages: number;
  inRange: number;
  selected: string;
}

const plotState = (): Promise<PlotState> =>
  panel.$eval('.tl-plot', (el) => {
    const d = (el as HTMLElement).dataset;
    return {
      start: Number(d.start),
      end: Number(d.end),
      messages: Number(d.messages),
      inRange: Number(d.inRange),
      selected: d.selected ?? '',
    };
  });
const clickTab = (name: string) => panel.$eval(`#tab-${name}`, (el) => (el as HTMLElement).click());
const sortBy = (column: string) => panel.$eval(`.c-${column} .sort`, (el) => (el as HTMLElement).click());
const selectedRow = () => panel.$eval('[role=row][aria-selected=true]', (el) => el.id).catch(() => '');

interface Press {
  type: 'pointerdown' | 'pointermove' | 'pointerup';
  /** CSS px from the element's left and top edges. */
  x: number;
  y: number;
}

/**
 * Pointer input on an element of the panel. CDP mouse input does not reach the extension's frame
 * inside headless DevTools (measured: neither a click on a tab nor on the canvas delivers a
 * pointerdown to the panel's document), so the events a press makes are dispatched there, at the
 * point a user would press; the timeline's own handlers do the rest.
 */
function press(selector: string, presses: Press[]): Promise<void> {
  return panel.$eval(
    selector,
    (el, list) => {
      const r = el.getBoundingClientRect();
      for (const p of list as Press[]) {
        const init = {
          bubbles: true,
          cancelable: true,
          clientX: r.left + p.x,
          clientY: r.top + p.y,
          pointerId: 1,
          isPrimary: true,
          button: 0,
          pointerType: 'mouse',
        };
        el.dispatchEvent(new PointerEvent(p.type, init));
      }
    },
    presses,
  );
}

/** Where in the plot (CSS px from its top left) a time in a context's lane is drawn. */
async function pointOf(time: number, context: string): Promise<{ x: number; y: number }> {
  const { start, end } = await plotState();
  return panel.$eval(
    'canvas.tl-plot',
    (el, lane, fraction) => {
      const plot = el.getBoundingClientRect();
      const row = document.querySelector(`[data-row="c:${lane}"]`)!.getBoundingClientRect();
      return { x: fraction * plot.width, y: row.top - plot.top + row.height / 2 };
    },
    context,
    (time - start) / (end - start),
  );
}

async function backgroundFacts(): Promise<Fact[]> {
  const sw = session.browser
    .targets()
    .find((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'));
  const worker = await sw!.worker();
  return (await worker!.evaluate(() =>
    (globalThis as unknown as { portscopeDebug: { facts(): unknown[] } }).portscopeDebug.facts(),
  )) as Fact[];
}

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
  await session.devtools.setViewport({ width: 1280, height: 760 });
  panel = await showPanel(session.devtools, session.extensionId);
  await session.page.goto(`${server.origin}/busy/flood.html`);
  await until(
    'the flood to finish',
    () => session.page.title(),
    (t) => t === 'flood done',
    30_000,
  );
  const facts = await settledFactsBornOnPage(backgroundFacts, 300);
  truth = createModel();
  truth.apply(facts);
  truth.settle();
  await until(
    'every message in the panel',
    () => panel.$eval('[data-testid=counts]', (el) => el.textContent ?? ''),
    (t) => t.includes(`${FLOOD_MESSAGES.toLocaleString('en-US')} messages`),
    30_000,
  );
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('the Timeline in the real panel', () => {
  it('covers the whole recording, all 20,000 messages, however the table is sorted', async () => {
    expect(truth.messages).toHaveLength(FLOOD_MESSAGES);
    const first = Math.min(...truth.messages.map((m) => m.postedAt));
    const last = Math.max(...truth.messages.map((m) => Math.max(m.postedAt, m.dispatchedAt ?? m.postedAt)));
    // Sorted by Data, the old timeline fitted to the last row of the table's order.
    await clickTab('messages');
    await sortBy('preview');
    expect(await panel.$eval('[role=columnheader].c-preview', (el) => el.getAttribute('aria-sort'))).toBe('ascending');
    await clickTab('timeline');
    const shown = await until('the timeline', plotState, (s) => s.messages === FLOOD_MESSAGES);
    expect(shown.start).toBeLessThanOrEqual(first);
    expect(shown.end).toBeGreaterThanOrEqual(last);
    expect(shown.inRange).toBe(FLOOD_MESSAGES);
    const counts = await panel.$eval('[data-testid=timeline-counts]', (el) => el.textContent ?? '');
    expect(counts).toMatch(/^20,000 messages · [\d,]+ messages aggregated at this zoom$/);

    for (const [column, times] of [
      ['size', 2],
      ['from', 1],
      ['time', 2],
    ] as const) {
      await clickTab('messages');
      for (let i = 0; i < times; i++) await sortBy(column);
      await clickTab('timeline');
      const again = await plotState();
      expect({ start: again.start, end: again.end, messages: again.messages }).toEqual({
        start: shown.start,
        end: shown.end,
        messages: shown.messages,
      });
    }
  });

  it('a click on a message selects it in the Messages table, and a row picked there is selected here', async () => {
    await clickTab('timeline');
    // The last message the worker's echoes brought back: its dispatch closes the recording.
    const target = truth.messages
      .filter((m) => m.to.context !== null && truth.contexts.get(m.to.context)?.kind === 'window')
      .at(-1)!;
    const { x, y } = await pointOf(target.postedAt, target.from.context);
    await press('canvas.tl-plot', [
      { type: 'pointerdown', x, y },
      { type: 'pointerup', x, y },
    ]);
    const picked = await until('a selection', plotState, (s) => s.selected !== '');
    // The nearest message to the click in that lane: within the hit radius (6 px) of the point.
    const m = truth.message(picked.selected)!;
    expect(m).toBeDefined();
    const width = await panel.$eval('canvas.tl-plot', (el) => el.getBoundingClientRect().width);
    const msPerPx = (picked.end - picked.start) / width;
    const near = [m.postedAt, m.dispatchedAt ?? m.postedAt].some((t) => Math.abs(t - target.postedAt) <= 7 * msPerPx);
    expect(near).toBe(true);
    expect(await panel.$eval('.detail', (el) => el.textContent ?? '')).toContain(picked.selected);
    await clickTab('messages');
    expect(await until('the row selected in the table', selectedRow, (id) => id !== '')).toBe(`row-${picked.selected}`);

    // And back: the table's selection is the timeline's.
    await panel.$$eval(
      '[role=row][aria-rowindex]:not([aria-rowindex="1"])',
      (els, id) => (els.find((el) => el.id !== `row-${id}`) as HTMLElement).click(),
      picked.selected,
    );
    const rowId = (await selectedRow()).replace(/^row-/, '');
    expect(rowId).not.toBe(picked.selected);
    await clickTab('timeline');
    expect((await plotState()).selected).toBe(rowId);
  });

  it('the overview picks the range; the keyboard moves between messages and Enter selects', async () => {
    await clickTab('timeline');
    const whole = await plotState();
    const overview = await panel.$eval('canvas.tl-overview', (el) => ({
      width: el.getBoundingClientRect().width,
      height: el.getBoundingClientRect().height,
    }));
    const y = overview.height / 2;
    await press('canvas.tl-overview', [
      { type: 'pointerdown', x: overview.width * 0.25, y },
      { type: 'pointermove', x: overview.width * 0.3, y },
      { type: 'pointermove', x: overview.width * 0.4, y },
      { type: 'pointerup', x: overview.width * 0.4, y },
    ]);
    const picked = await until(
      'the range picked in the overview',
      plotState,
      (s) => s.end - s.start < (whole.end - whole.start) / 2,
    );
    const span = whole.end - whole.start;
    expect((picked.start - whole.start) / span).toBeCloseTo(0.25, 1);
    expect((picked.end - whole.start) / span).toBeCloseTo(0.4, 1);

    const before = picked.selected;
    const beforeMessage = truth.message(before);
    await panel.focus('canvas.tl-plot');
    // The selection is one of the recording's last messages (the table is sorted by time, newest first).
    expect(beforeMessage).toBeDefined();
    await session.devtools.keyboard.press('ArrowLeft');
    await session.devtools.keyboard.press('Enter');
    const moved = await until('the previous message in its lane selected', plotState, (s) => s.selected !== before);
    const previous = truth.message(moved.selected)!;
    expect(previous).toBeDefined();
    expect(previous.postedAt).toBeLessThanOrEqual(beforeMessage!.postedAt);
    // It shares a lane with the message before it: a post or a dispatch in the same context.
    const lanes = (m: typeof previous) => [m.from.context, m.to.context];
    expect(lanes(previous).some((c) => c !== null && lanes(beforeMessage!).includes(c))).toBe(true);

    await session.devtools.keyboard.press('0');
    const fitted = await until(
      'the whole recording again',
      plotState,
      (s) => s.end - s.start === whole.end - whole.start,
    );
    expect(fitted.start).toBe(whole.start);
  });

  it('opens contexts into lanes per port, and closes them; two quick clicks both count', async () => {
    await clickTab('timeline');
    await panel.$$eval('button.tl-toggle', (els) => {
      for (const el of els.slice(0, 2)) (el as HTMLElement).click();
    });
    const open = await until(
      'two contexts open',
      () => panel.$$eval('button.tl-toggle[aria-expanded=true]', (els) => els.length),
      (k) => k === 2,
    );
    expect(open).toBe(2);
    const portRows = await panel.$$eval('[data-row^="p:"]', (els) => els.map((el) => el.textContent ?? ''));
    // The flood's window posts on four ports (two local channels, the iframe's, the worker's) and dispatches on three.
    expect(portRows.length).toBeGreaterThanOrEqual(4);
    for (const text of portRows) expect(text).toMatch(/^port p\d+ · c\d+/);
    await panel.$$eval('button.tl-toggle[aria-expanded=true]', (els) => {
      for (const el of els) (el as HTMLElement).click();
    });
    await until(
      'all closed',
      () => panel.$$eval('[data-row^="p:"]', (els) => els.length),
      (k) => k === 0,
    );
  });

  it('is independent of the Messages filter until Follow filter is on', async () => {
    const filter = 'channel:c1';
    await panel.$eval('input[type=search]', (el) => (el as HTMLInputElement).focus());
    await session.devtools.keyboard.type(filter);
    await clickTab('messages');
    const rows = await until(
      'the filter applied',
      () => panel.$eval('[role=grid]', (el) => Number(el.getAttribute('aria-rowcount')) - 1),
      (k) => k > 0 && k < FLOOD_MESSAGES,
    );
    await clickTab('timeline');
    expect((await plotState()).messages).toBe(FLOOD_MESSAGES);
    await panel.$eval('.tl-follow input', (el) => (el as HTMLElement).click());
    expect(
      (await until('the timeline to follow the filter', plotState, (s) => s.messages !== FLOOD_MESSAGES)).messages,
    ).toBe(rows);
    expect(await panel.$eval('[data-testid=timeline-counts]', (el) => el.textContent ?? '')).toContain(
      `${rows.toLocaleString('en-US')} of 20,000 messages (filtered)`,
    );
    await panel.$eval('.tl-follow input', (el) => (el as HTMLElement).click());
    expect((await until('all messages again', plotState, (s) => s.messages === FLOOD_MESSAGES)).messages).toBe(
      FLOOD_MESSAGES,
    );
  });
});
