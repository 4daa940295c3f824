/**
 * The REAL Portscope panel inside Chromium's DevTools (headless), on the demo site, with the
 * built extension: facts flow injected → content → background → panel. One browser and one
 * page for the whole file; the scenarios run in order and build on each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame } from 'puppeteer-core';
import type { Fact } from '../../protocol/facts.ts';
import { parseTrace, traceFacts } from '../../protocol/trace.ts';
import { createModel } from '../../panel/model/model.ts';
import type { ChannelModel } from '../../panel/model/types.ts';
import { DIST } from '../support/browsers.ts';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;
const downloads = mkdtempSync(join(tmpdir(), 'portscope-panel-dl-'));

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Polls `read` in the panel until `ok` holds; fails with the last value seen. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await read();
    if (ok(last)) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** Every fact the background received (its test hook), replayed into a fresh model in Node. */
async function backgroundModel(): Promise<ChannelModel> {
  const sw = session.browser
    .targets()
    .find((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'));
  const worker = await sw!.worker();
  const facts = (await worker!.evaluate(() =>
    (globalThis as unknown as { portscopeDebug: { facts(): unknown[] } }).portscopeDebug.facts(),
  )) as Fact[];
  const model = createModel();
  model.apply(facts);
  model.settle();
  return model;
}

/** The status line the panel must show for a model, from the model's own summary. */
function expectedCounts(model: ChannelModel): string {
  const s = model.summary();
  const n = (x: number) => x.toLocaleString('en-US');
  const pl = (x: number, w: string) => `${n(x)} ${w}${x === 1 ? '' : 's'}`;
  return [
    pl(s.channels, 'channel'),
    pl(s.ports.length, 'port'),
    pl(s.messages.posted, 'message'),
    `${n(s.messages.queued)} queued`,
    ...(s.carriers ? [pl(s.carriers, 'carrier')] : []),
  ].join(' · ');
}

let truth: ChannelModel;

const statusText = () => panel.$eval('.statusbar', (el) => el.textContent ?? '');
const countsText = () => panel.$eval('[data-testid=counts]', (el) => el.textContent ?? '');
const clickTab = (name: string) => panel.$eval(`#tab-${name}`, (el) => (el as HTMLElement).click());
const rowCount = () => panel.$eval('[role=grid]', (el) => Number(el.getAttribute('aria-rowcount')) - 1);
const setFilter = async (text: string) => {
  await panel.$eval('input[type=search]', (el) => {
    const input = el as HTMLInputElement;
    input.focus();
    input.select();
  });
  await panel.type('input[type=search]', text === '' ? '' : text);
  if (text === '') await panel.$eval('input[type=search]', (el) => (el as HTMLInputElement).select());
};
const clearFilter = async () => {
  await panel.click('input[type=search]', { count: 3 });
  await session.devtools.keyboard.press('Backspace');
};
const buttonByText = async (text: string) => {
  const handles = await panel.$$('button');
  for (const h of handles) if ((await h.evaluate((el) => el.textContent ?? '')).includes(text)) return h;
  throw new Error(`no button with text ${text}`);
};

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
  const cdp = await session.browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  panel = await showPanel(session.devtools, session.extensionId);
  await session.page.goto(`${server.origin}/demo/index.html`);
});

afterAll(async () => {
  await session?.close();
  await server?.close();
  rmSync(downloads, { recursive: true, force: true });
});

/**
 * The demo's messages (tests/fixtures/demo/demo.js): 2 pings, 2 pongs, the echo to the worker and
 * back, 3 on the never-started port. Matching counts alone can happen before the last one is in.
 */
const DEMO_MESSAGES = 9;

describe('Portscope panel in real DevTools', () => {
  it('is registered as "Portscope" and follows the DevTools theme', async () => {
    expect(panel.url()).toBe(`chrome-extension://${session.extensionId}/panel/index.html`);
    const theme = await panel.evaluate(() => [
      document.documentElement.dataset.theme,
      chrome.devtools.panels.themeName,
    ]);
    expect(theme[0]).toBe(theme[1] === 'dark' ? 'dark' : 'light');
  });

  it('shows the demo: status bar, channels, queued port, transfer, diagnostic', async () => {
    // The demo's never-started port holds 3 messages; wait until they and the pongs are in.
    await until(countsText, (t) => /\b[3-9] queued/.test(t) && /\d+ carriers?/.test(t), 'the demo in the status bar');
    // The panel must show exactly what the model makes of the facts the background received.
    // Both sides keep receiving for a moment, so compare until they agree.
    let expected = '';
    const counts = await until(
      async () => {
        truth = await backgroundModel();
        expected = expectedCounts(truth);
        return countsText();
      },
      (t) => t === expected && truth.messages.length === DEMO_MESSAGES,
      "the panel to match the model of the background's facts, all the demo's messages in",
    );
    expect(counts).toMatch(/^\d+ channels · \d+ ports · \d+ messages · \d+ queued · \d+ carriers?$/);
    await clickTab('channels');
    // The view is drawn after the click's update: wait for the tree rather than read at once.
    const tree = await until(
      () => panel.$eval('[role=tree]', (el) => el.textContent ?? '').catch(() => ''),
      (t) => t !== '',
      'the channels tree',
    );
    expect(tree).toContain('iframe');
    expect(tree).toContain('not started');
    // The demo's worker runs no Portscope: its port's start state is unknown, not "not started".
    expect(tree).toMatch(/worker\.js.*state unknown/);
    expect(tree).toContain('3 queued');
    for (const port of truth.ports.keys()) expect(tree).toContain(port);
    const view = await panel.$eval('.view', (el) => el.textContent ?? '');
    expect(view).toMatch(/Transfers \(\d+\)/);
    expect(view).toMatch(/ moved window \/demo\/index.html → .* via (window|worker)/);
    // Selecting the stuck port shows its queue with ages.
    await panel.$$eval('.tree-port .tree-button', (els) =>
      (els.find((el) => el.textContent?.includes('3 queued')) as HTMLElement).click(),
    );
    const detail = await panel.$eval('.detail', (el) => el.textContent ?? '');
    expect(detail).toContain('Port message queue (3 waiting)');
    expect(detail).toMatch(/waiting \d+\.\d s/);
    expect(detail).toContain('demo.js:');
    await clickTab('diagnostics');
    const diags = await panel.$eval('.view', (el) => el.textContent ?? '');
    expect(diags).toContain('port-never-started');
    expect(diags).toContain('has 3 messages waiting');
  });

  it('lists messages; filtering, sorting and selecting work, with the keyboard too', async () => {
    await clickTab('messages');
    const all = truth.messages.length;
    const queued = truth.messages.filter((m) => m.state === 'queued').length;
    const pings = truth.messages.filter((m) => JSON.stringify(m.preview).includes('"ping"')).length;
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(await rowCount()).toBe(all);
    await setFilter('state:queued');
    await until(rowCount, (n) => n === queued, `${queued} queued rows`);
    const visible = await panel.$$eval('[role=row][aria-rowindex]', (rows) =>
      rows.slice(1).map((r) => r.textContent ?? ''),
    );
    expect(visible.every((t) => t.includes('queued'))).toBe(true);
    expect(visible.filter((t) => /"(hello|is anyone|there\?)"/.test(t))).toHaveLength(3);
    await clearFilter();
    await setFilter('ping');
    await until(rowCount, (n) => n === pings, `${pings} ping rows`);
    await clearFilter();
    await setFilter('-state:queued');
    await until(rowCount, (n) => n === all - queued, 'rows not queued');
    await clearFilter();
    await setFilter('colour:red');
    const error = await until(
      () => panel.$eval('#filter-error', (el) => el.textContent ?? '').catch(() => ''),
      (t) => t !== '',
      'a filter error',
    );
    expect(error).toContain('unknown filter "colour:"');
    await clearFilter();
    await until(rowCount, (n) => n === all, 'all rows back');

    // Click a row: the detail pane shows the message and its data.
    const firstRow = await panel.$('[role=row][aria-rowindex="2"]');
    await firstRow!.click();
    const detail = await until(
      () => panel.$eval('.detail', (el) => el.textContent ?? ''),
      (t) => t.includes('Message m'),
      'the message detail',
    );
    expect(detail).toMatch(/From.*in window \/demo\/index.html/);
    expect(detail).toContain('Transfer list');
    expect(await panel.$$eval('.detail [role=tree] [role=treeitem]', (els) => els.length)).toBeGreaterThan(0);

    // Keyboard: ArrowDown moves the selection to the next row.
    const before = await panel.$eval('[aria-selected=true][role=row]', (el) => el.getAttribute('aria-rowindex'));
    await panel.focus('[role=grid]');
    await session.devtools.keyboard.press('ArrowDown');
    const after = await until(
      () => panel.$eval('[aria-selected=true][role=row]', (el) => el.getAttribute('aria-rowindex')),
      (v) => v !== before,
      'the selection to move',
    );
    expect(Number(after)).toBe(Number(before) + 1);

    // Sorting by size is reflected in aria-sort and in the order.
    await panel.$eval('.c-size .sort', (el) => (el as HTMLElement).click());
    expect(await panel.$eval('[role=columnheader].c-size', (el) => el.getAttribute('aria-sort'))).toBe('ascending');
    await panel.$eval('.c-time .sort', (el) => (el as HTMLElement).click());
  });

  it('draws the timeline and selects a message from an arrow', async () => {
    await clickTab('timeline');
    const plot = await panel.$eval('canvas.tl-plot', (el) => ({ ...(el as HTMLElement).dataset }));
    expect(Number(plot.messages)).toBe(truth.messages.length);
    expect(Number(plot.inRange)).toBe(truth.messages.length);
    // A press on a queued message's post in its lane (CDP mouse input does not reach the panel's
    // frame in headless DevTools: the press is dispatched in the panel's document).
    const queued = truth.messages.find((m) => m.state === 'queued')!;
    const fraction = (queued.postedAt - Number(plot.start)) / (Number(plot.end) - Number(plot.start));
    await panel.$eval(
      'canvas.tl-plot',
      (el, lane, f) => {
        const r = el.getBoundingClientRect();
        const row = document.querySelector(`[data-row="c:${lane}"]`)!.getBoundingClientRect();
        const at = {
          bubbles: true,
          clientX: r.left + f * r.width,
          clientY: row.top + row.height / 2,
          pointerId: 1,
          isPrimary: true,
          button: 0,
        };
        el.dispatchEvent(new PointerEvent('pointerdown', at));
        el.dispatchEvent(new PointerEvent('pointerup', at));
      },
      queued.from.context,
      fraction,
    );
    const detail = await until(
      () => panel.$eval('.detail', (el) => el.textContent ?? '').catch(() => ''),
      (t) => t !== '',
      'the detail pane',
    );
    expect(detail).toContain('queued: waiting');
  });

  it('pause freezes the rows and holds facts; resume applies them, nothing half-recorded', async () => {
    await clickTab('messages');
    const rowsBefore = await rowCount();
    const countsBefore = await countsText();
    const record = await buttonByText('Recording');
    await record.click();
    await until(statusText, (t) => t.includes('paused · 0 facts held'), 'paused');
    await session.page.click('#ping');
    await session.page.click('#ping');
    await until(statusText, (t) => /paused · [1-9]\d* facts held, shown on resume/.test(t), 'facts held while paused');
    await sleep(500);
    expect(await rowCount()).toBe(rowsBefore);
    expect(await countsText()).toBe(countsBefore);
    const paused = await buttonByText('Paused');
    await paused.click();
    await session.page.click('#ping');
    // Three pings and their three pongs: the two held while paused come back whole.
    await until(rowCount, (n) => n === rowsBefore + 6, 'the held and the new pings and pongs');
    expect(await statusText()).not.toContain('paused');
  });

  let exported = '';
  let exportedPath = '';
  let countsBeforeClear = '';
  let rowsBeforeClear = -1;
  it('exports a trace file that rebuilds what the panel shows', async () => {
    await sleep(1000);
    await (await buttonByText('Export')).click();
    const file = await until(
      async () => readdirSync(downloads).filter((f) => f.endsWith('.json')),
      (f) => f.length === 1,
      'the download',
    );
    exportedPath = join(downloads, file[0]!);
    exported = readFileSync(exportedPath, 'utf8');
    const trace = parseTrace(exported);
    const model = createModel();
    model.apply(traceFacts(trace));
    model.settle();
    // The panel settles after a quiet spell (facts that may never come); then it must agree.
    countsBeforeClear = await until(
      countsText,
      (t) => t === expectedCounts(model),
      `the panel to show ${expectedCounts(model)}`,
    );
    rowsBeforeClear = await rowCount();
    expect(await countsText()).toBe(countsBeforeClear);
    expect(rowsBeforeClear).toBeGreaterThan(0);
  });

  it('the exported file opens in the standalone viewer (`portscope view`) as the panel showed it', async () => {
    const viewer = spawn(process.execPath, [resolve('cli/bin.mjs'), 'view', exportedPath], {
      env: { ...process.env, PORTSCOPE_DIST: DIST },
    });
    // An incognito context: no extension there, so the viewer page is looked at, not recorded.
    const context = await session.browser.createBrowserContext();
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        viewer.stdout.on('data', (d) => {
          out += d;
          const m = /serving the Portscope viewer at (\S+)/.exec(out);
          if (m) ok(m[1]!);
        });
        viewer.stderr.on('data', (d) => process.stderr.write(d));
        viewer.once('exit', (code) => fail(new Error(`portscope view exited with ${code} before serving: ${out}`)));
      });
      const page = await context.newPage();
      await page.goto(url);
      const counts = () => page.$eval('[data-testid=counts]', (el) => el.textContent ?? '').catch(() => '');
      expect(await until(counts, (t) => t === countsBeforeClear, `the viewer to show ${countsBeforeClear}`)).toBe(
        countsBeforeClear,
      );
      await page.$eval('#tab-messages', (el) => (el as HTMLElement).click());
      const rows = await until(
        () => page.$eval('[role=grid]', (el) => Number(el.getAttribute('aria-rowcount')) - 1).catch(() => -1),
        (n) => n >= 0,
        "the viewer's message grid",
      );
      expect(rows).toBe(rowsBeforeClear);
      expect(await page.$eval('.trace-name', (el) => el.textContent ?? '')).toBe(
        `trace: ${new URL('/trace.json', url).href}`,
      );
    } finally {
      await context.close().catch(() => {});
      viewer.kill('SIGTERM');
    }
  });

  it('clear drops the messages shown and keeps the channels and ports (panel-clear.test.ts has the rest)', async () => {
    const structure = (await countsText()).split(' · ').slice(0, 2).join(' · ');
    await (await buttonByText('Clear')).click();
    const counts = await until(countsText, (t) => t.includes('cleared'), 'the cleared counts');
    expect(counts.startsWith(`${structure} · `)).toBe(true);
    const queued = Number(/(\d+) queued/.exec(counts)?.[1]);
    // Only what still waits in a port message queue stays listed.
    expect(counts).toContain(`· ${queued} message${queued === 1 ? '' : 's'} · ${queued} queued`);
  });

  it('import restores the exported trace', async () => {
    const path = join(downloads, readdirSync(downloads).find((f) => f.endsWith('.json'))!);
    const input = await panel.$('input[type=file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
    const counts = await until(countsText, (t) => t === countsBeforeClear, `the imported trace: ${countsBeforeClear}`);
    expect(counts).toBe(countsBeforeClear);
    expect(await statusText()).toContain('showing an imported trace');
  });

  it('rejects a malformed trace with a precise message', async () => {
    const bad = join(downloads, 'bad.trace');
    writeFileSync(bad, '{"format":"portscope-trace","version":2}');
    const input = await panel.$('input[type=file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(bad);
    const banner = await until(
      () => panel.$eval('.banner.error', (el) => el.textContent ?? '').catch(() => ''),
      (t) => t !== '',
      'an import error',
    );
    expect(banner).toContain('bad.trace is not a Portscope trace we can open');
    expect(banner).toMatch(/version 2/);
  });

  it('says when Portscope is not in the inspected page, and stops saying it when it is', async () => {
    const banner = () => panel.$eval('.banner.warn[role=alert]', (el) => el.textContent ?? '').catch(() => '');
    expect(await banner()).toBe('');
    // Extensions' content scripts do not run in a data: document: this page is really not instrumented.
    await session.page.goto('data:text/html,<title>not instrumented</title><p>plain');
    const text = await until(banner, (t) => t !== '', 'the not-instrumented banner');
    expect(text).toContain('Portscope is not running in this page');
    await session.page.goto(`${server.origin}/demo/index.html`);
    await until(banner, (t) => t === '', 'the banner to go once the page is instrumented');
  });

  it('shows hostile page data as text', async () => {
    const hostile = '<img src=x onerror=window.__pwned=1>';
    const trace = JSON.parse(exported);
    let n = 0;
    for (const f of trace.facts) {
      if (f.kind === 'port-posted' && f.preview.t === 'string') {
        f.preview = { t: 'string', v: hostile, len: hostile.length };
        n++;
      }
    }
    expect(n).toBe(3);
    const path = join(downloads, 'hostile.json');
    writeFileSync(path, JSON.stringify(trace));
    const input = await panel.$('input[type=file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
    await clickTab('messages');
    await clearFilter();
    await setFilter('onerror');
    await until(rowCount, (c) => c === 3, 'the hostile rows');
    await (await panel.$('[role=row][aria-rowindex="2"]'))!.click();
    const text = await until(
      () => panel.$eval('.view', (el) => el.textContent ?? ''),
      (t) => t.includes(hostile),
      'the hostile text shown',
    );
    expect(text).toContain(hostile);
    expect(await panel.$$('img')).toHaveLength(0);
    expect(await panel.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
  it('shows bidi overrides and controls in page text escaped and isolated; counts named like Object members add up', async () => {
    const spoof = 'pay to \u202E4321-0000 account\u0007';
    const trace = JSON.parse(exported);
    let n = 0;
    for (const f of trace.facts) {
      if (f.kind === 'port-posted' && f.preview.t === 'string') {
        f.preview = { t: 'string', v: spoof, len: spoof.length };
        n++;
      }
    }
    expect(n).toBe(3);
    const last = trace.facts.at(-1);
    const seq = Math.max(...trace.facts.filter((f: Fact) => f.ctx === last.ctx).map((f: Fact) => f.seq)) + 1;
    trace.facts.push({
      kind: 'facts-dropped',
      ctx: last.ctx,
      seq,
      time: last.time,
      counts: { constructor: 2, toString: 3, valueOf: 4 },
    });
    const path = join(downloads, 'bidi.json');
    writeFileSync(path, JSON.stringify(trace));
    const input = await panel.$('input[type=file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
    await clickTab('messages');
    await clearFilter();
    await setFilter('pay to');
    await until(rowCount, (c) => c === 3, 'the spoofing rows');
    const cell = await panel.$eval('[role=row][aria-rowindex="2"] .c-preview', (el) => ({
      text: el.textContent ?? '',
      bidi: getComputedStyle(el).unicodeBidi,
    }));
    expect(cell.text).toContain('"pay to \\u202E4321-0000 account\\u0007"');
    expect(cell.text).not.toContain('\u202E');
    expect(cell.bidi).toBe('isolate');
    await (await panel.$('[role=row][aria-rowindex="2"]'))!.click();
    const tree = await until(
      () =>
        panel
          .$eval('.pv-tree', (el) => ({ text: el.textContent ?? '', bidi: getComputedStyle(el).unicodeBidi }))
          .catch(() => ({ text: '', bidi: '' })),
      (t) => t.text !== '',
      'the inspector',
    );
    expect(tree.text).toContain('pay to \\u202E4321-0000 account');
    expect(tree.bidi).toBe('isolate');
    expect(await statusText()).toContain('9 facts dropped');
  });
});
