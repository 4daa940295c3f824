/**
 * The REAL panel's Channels view in Chromium's DevTools on a busy page (tests/fixtures/busy/
 * channels-busy.html: 51 channels, a worker, a cross-origin widget, two real problems):
 * only the two ports that are problems wear the orange "not started" badge; the widget shows
 * its origin; contexts collapse; the graph draws the contexts and a click on a port selects
 * it; a muted creation site stays muted after a reload (ids change, the site does not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;

/** The panel redraws while facts arrive: a read that finds no element yet counts as nothing. */
const read =
  <T>(f: () => Promise<T>, none: T) =>
  () =>
    f().catch(() => none);
const count = (selector: string) => read(() => panel.$$eval(selector, (els) => els.length), -1);
const text = (selector: string) => read(() => panel.$eval(selector, (el) => el.textContent ?? ''), '');
// SVG elements have no click(): dispatch the event a mouse click makes.
const click = (selector: string) =>
  panel.$eval(selector, (el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })));

/** Ports the tree accounts for: a row each, or counted in a folded row of one creation site. */
const drawnPorts = read(
  () =>
    panel.evaluate(() => {
      const rows = document.querySelectorAll('[role=tree] .tree-port').length;
      const folds = [...document.querySelectorAll('[role=tree] .site-fold[aria-expanded=false] > .tree-context-label')];
      return rows + folds.reduce((n, el) => n + Number.parseInt(el.querySelector('.badge')?.textContent ?? '', 10), 0);
    }),
  -1,
);

async function open(ports = 102) {
  const widget = `${server.crossOrigin}/busy/channels-widget.html`;
  await session.page.goto(`${server.origin}/busy/channels-busy.html?widget=${encodeURIComponent(widget)}`);
  await session.page.waitForFunction(() => document.documentElement.dataset.done === '1', { timeout: 15_000 });
  await click('#tab-channels');
  // 51 channels: 102 ports, every one drawn in the tree (less the muted ones).
  await until(`${ports} ports in the tree`, drawnPorts, (n) => n === ports);
}

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
  panel = await showPanel(session.devtools, session.extensionId);
  await open();
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('the Channels view on a busy page', () => {
  it('wears the orange "not started" badge only on the two ports that are problems', async () => {
    // Every port in a row of its own: open the rows that fold a creation site's quiet ports.
    await panel.$$eval('[role=tree] .site-fold[aria-expanded=false] > .tree-context-label .tree-toggle', (els) => {
      for (const el of els) (el as HTMLElement).click();
    });
    await until('every port in a row', count('[role=tree] .tree-port'), (n) => n === 102);
    const warned = await until('two warned ports', count('[role=tree] .tree-port .badge.disabled'), (n) => n === 2);
    expect(warned).toBe(2);
    // The ports that only send are not started either, and say so without a warning.
    expect(await count('[role=tree] .tree-port .badge.idle')()).toBeGreaterThanOrEqual(45);
    const problems = await panel.$$eval('[role=tree] .tree-port', (els) =>
      els.filter((el) => el.querySelector('.badge.disabled')).map((el) => el.textContent ?? ''),
    );
    expect(problems.every((t) => /\d queued/.test(t))).toBe(true);
    // The same two as the model's diagnostics.
    await click('#tab-diagnostics');
    await until('two never-started diagnostics', count('.diag'), (n) => n >= 2);
    const codes = await panel.$$eval('.diag', (els) => els.map((el) => el.textContent ?? ''));
    expect(codes.filter((t) => t.includes('port-never-started'))).toHaveLength(2);
    await click('#tab-channels');
    await panel.$$eval('[role=tree] .site-fold[aria-expanded=true] > .tree-context-label .tree-toggle', (els) => {
      for (const el of els) (el as HTMLElement).click();
    });
  });

  it("names the cross-origin widget by its origin, and the page's own contexts by their path", async () => {
    const tree = await until('the widget in the tree', text('[role=tree]'), (t) => t.includes('channels-widget.html'));
    expect(tree).toContain(`iframe ${server.crossOrigin}/busy/channels-widget.html`);
    expect(tree).toContain('window /busy/channels-busy.html?widget=');
    expect(tree).toContain('worker /busy/channels-worker.js');
  });

  it('collapses a context and says how many ports it holds, then opens it again', async () => {
    const toggle = '[role=tree] > [data-context-row] > .tree-context-label .tree-toggle';
    await click(toggle);
    await until('the top window folded', drawnPorts, (n) => n === 0);
    expect(await text('[role=tree] > [data-context-row] > .tree-context-label')()).toMatch(/102 ports/);
    expect(await panel.$eval('[role=tree] > [data-context-row]', (el) => el.getAttribute('aria-expanded'))).toBe(
      'false',
    );
    // A look at another view and back does not undo it.
    await click('#tab-messages');
    await click('#tab-channels');
    const folded = count('[role=tree] > [data-context-row][aria-expanded=false]');
    await until('still folded after Messages', folded, (n) => n === 1);
    await click(toggle);
    await until('the top window open again', drawnPorts, (n) => n === 102);
  });

  it('folds the quiet ports of forty channels made at one site into one row, opened on demand', async () => {
    const label = '[role=tree] .site-fold > .tree-context-label';
    const rows = () => panel.$$eval(label, (els) => els.map((el) => el.textContent ?? ''));
    const folds = await until('two folded sites', read(rows, []), (r) => r.length === 2);
    expect(folds.find((t) => t.includes('channels-rpc.js:3 · makeCall'))).toMatch(
      /80 ports40 enabled · 40 not started/,
    );
    expect(folds.find((t) => t.includes('channels-tick.js:3 · tick'))).toMatch(/10 ports/);
    // The two problems and the ports in transit are never folded away.
    expect(await count('[role=tree] .tree-port .badge.disabled')()).toBe(2);
    const before = await count('[role=tree] .tree-port')();
    await panel.$$eval(label, (els) => {
      const rpc = els.find((el) => el.textContent?.includes('channels-rpc.js:3'));
      rpc?.querySelector<HTMLElement>('.tree-toggle')?.click();
    });
    await until('the forty channels open', count('[role=tree] .tree-port'), (n) => n === before + 80);
    await panel.$$eval(label, (els) => {
      const rpc = els.find((el) => el.textContent?.includes('channels-rpc.js:3'));
      rpc?.querySelector<HTMLElement>('.tree-toggle')?.click();
    });
    await until('folded again', count('[role=tree] .tree-port'), (n) => n === before);
  });

  it('draws the contexts as boxes with their ports, and a click on a port selects it everywhere', async () => {
    await until('three boxes in the graph', count('.graph .graph-box'), (n) => n === 3);
    const kinds = await panel.$$eval('.graph .graph-box', (els) => els.map((el) => el.getAttribute('class')));
    expect(kinds.filter((k) => k?.includes('kind-worker'))).toHaveLength(1);
    expect(kinds.filter((k) => k?.includes('kind-iframe'))).toHaveLength(1);
    // A problem port is drawn as one; the busy top window folds what does not fit, and says so.
    expect(await count('.graph .graph-chip.problem')()).toBe(2);
    expect(await text('[data-testid=graph-notes]')()).toMatch(
      /3 contexts · 51 channels · \d+ transferred ports.*folded/,
    );
    const port = await panel.$eval('.graph .graph-chip.problem', (el) => el.getAttribute('data-port') ?? '');
    await click(`.graph .graph-chip[data-port="${port}"]`);
    await until('the port detail', text('.detail h2'), (t) => t.startsWith(`Port ${port}`));
    expect(await count(`.graph .graph-chip.selected[data-port="${port}"]`)()).toBe(1);
    expect(await count('[role=tree] .tree-port.selected')()).toBe(1);
    expect(await count('.graph .graph-edge.selected')()).toBe(1);
    // From the keyboard: a chip is a tab stop, Enter selects its port.
    const other = await panel.$eval('.graph .graph-chip.state-enabled', (el) => el.getAttribute('data-port') ?? '');
    await panel.$eval(`.graph .graph-chip[data-port="${other}"]`, (el) => (el as SVGElement).focus());
    expect(await panel.evaluate(() => document.activeElement?.getAttribute('data-port'))).toBe(other);
    await session.devtools.keyboard.press('Enter');
    await until('the port chosen from the keyboard', text('.detail h2'), (t) => t.startsWith(`Port ${other}`));
  });

  it("a click on a channel's edge selects its port; on a box, shows that context in the tree, opened", async () => {
    await click('[role=tree] > [data-context-row] > .tree-context-label .tree-toggle');
    await until('the top window folded', drawnPorts, (n) => n === 0);
    const widgetBox = '.graph .graph-box.kind-iframe .graph-box-head';
    await click(widgetBox);
    await until('the top window opened again for the widget', drawnPorts, (n) => n === 102);
    const focused = () =>
      panel.evaluate(() => document.activeElement?.closest('[data-context-row]')?.textContent ?? '');
    await until('the widget row focused', read(focused, ''), (t) => t.includes('channels-widget.html'));
    // The edge of the widget's channel: both its ports are drawn in the widget's box.
    const edge = await panel.$$eval('.graph .graph-edge', (els) =>
      els.findIndex((el) => el.getAttribute('aria-label')?.includes('channels-widget.html')),
    );
    expect(edge).toBeGreaterThanOrEqual(0);
    await panel.$$eval(
      '.graph .graph-edge',
      (els, i) => els[i]?.dispatchEvent(new MouseEvent('click', { bubbles: true })),
      edge,
    );
    await until('a port of that channel selected', text('.detail h2'), (t) => /^Port p\d+/.test(t));
    expect(await count('.graph .graph-edge.selected')()).toBe(1);
  });

  it('mutes a creation site, counts what it hides, and keeps it muted after a reload', async () => {
    await panel.$$eval('.group-by [role=radio]', (els) =>
      (els.find((el) => el.textContent === 'creation site') as HTMLElement).click(),
    );
    // The five channels of the timer are one group, named by their creation site.
    const groups = () =>
      panel.$$eval('.site-group > .tree-context-label', (els) => els.map((el) => el.textContent ?? ''));
    const tick = await until('the tick site as one group', groups, (g) =>
      g.some((t) => t.includes('channels-tick.js:3')),
    );
    expect(tick.find((t) => t.includes('channels-tick.js:3'))).toMatch(/channels-tick\.js:3 · tick×55 messagesmute$/);
    await panel.$$eval('.site-group > .tree-context-label', (els) => {
      const label = els.find((el) => el.textContent?.includes('channels-tick.js:3'));
      label?.querySelector<HTMLElement>('.mute')?.click();
    });
    await until('5 channels muted', text('[data-testid=muted-line]'), (t) => t.includes('5 channels muted — show'));
    expect(await text('[data-testid=graph-notes]')()).toContain('46 channels');
    await click('.group-by [role=radio]');
    await until('92 ports left in the tree', drawnPorts, (n) => n === 92);
    // A reload: every id is new; the site is the same.
    await open(92);
    await until('still 5 channels muted', text('[data-testid=muted-line]'), (t) =>
      t.includes('5 channels muted — show'),
    );
    // And after the panel itself is reloaded (DevTools closed and opened): the mute is stored.
    await panel.evaluate(() => location.reload());
    panel = await showPanel(session.devtools, session.extensionId);
    await until('the panel back', count('#tab-channels'), (n) => n === 1);
    await click('#tab-channels');
    await until('5 channels muted in the new panel', text('[data-testid=muted-line]'), (t) =>
      t.includes('5 channels muted'),
    );
    await until('92 ports in the new panel', drawnPorts, (n) => n === 92);
    await panel.$$eval('[data-testid=muted-line] button', (els) => (els[0] as HTMLElement).click());
    await until('muted ports shown greyed', text('[role=tree] .site-fold.muted-item > .tree-context-label'), (t) =>
      t.includes('10 ports'),
    );
    // Unmuting is remembered too.
    await panel.$$eval('.mute-entry button', (els) => (els[0] as HTMLElement).click());
    await until('nothing muted', count('[role=tree] .muted-item'), (n) => n === 0);
  });
});
