/**
 * The standalone trace viewer as users get it: `portscope view <trace.json>` serves the built
 * panel app and the trace on loopback; plain Chromium (no extension, no DevTools) opens the
 * address it prints. What the viewer shows must be what the model computes from that file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { parseTrace, traceFacts } from '../../protocol/trace.ts';
import { createModel } from '../../panel/model/model.ts';
import { previewText } from '../../panel/previewText.ts';
import type { ChannelModel } from '../../panel/model/types.ts';
import { createTrace, serializeTrace } from '../../protocol/trace.ts';
import { Stream } from '../node/model/facts.ts';
import { DIST } from '../support/browsers.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';

const TRACE = resolve('tests/fixtures/trace/two-frames.json');
const BIN = resolve('cli/bin.mjs');

let viewer: ChildProcess;
let viewerUrl: string;
let chromium: LaunchedChromium;
let page: Page;
let model: ChannelModel;

function countsOf(m: ChannelModel): string {
  const s = m.summary();
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

beforeAll(async () => {
  model = createModel();
  model.apply(traceFacts(parseTrace(readFileSync(TRACE, 'utf8'))));
  model.settle();
  viewer = spawn(process.execPath, [BIN, 'view', TRACE], { env: { ...process.env, PORTSCOPE_DIST: DIST } });
  viewerUrl = await new Promise<string>((ok, fail) => {
    let out = '';
    viewer.stdout!.on('data', (d) => {
      out += d;
      const m = /serving the Portscope viewer at (\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    viewer.stderr!.on('data', (d) => process.stderr.write(d));
    viewer.once('exit', (code) => fail(new Error(`portscope view exited with ${code} before serving`)));
  });
  chromium = await launchChromium({ extension: false });
  page = await chromium.context.newPage();
});

afterAll(async () => {
  await chromium?.close();
  viewer?.kill('SIGTERM');
});

describe('portscope view <trace.json> in Chromium', () => {
  it('shows the trace: status bar, trace name, no recording controls', async () => {
    await page.goto(viewerUrl);
    const counts = page.locator('[data-testid=counts]');
    await expect.poll(() => counts.textContent(), { timeout: 15_000 }).toBe(countsOf(model));
    expect(model.messages.length).toBeGreaterThan(0);
    expect(await page.locator('.trace-name').textContent()).toBe(`trace: ${new URL('/trace.json', viewerUrl).href}`);
    // A trace is looked at, not recorded: no record button, no preserve-log, no paused note.
    expect(await page.getByRole('button', { name: /Recording|Paused|Back to live/ }).count()).toBe(0);
    expect(await page.getByLabel('Preserve log').count()).toBe(0);
    expect(await page.locator('.statusbar').textContent()).not.toMatch(/paused|imported trace/);
  });

  it('lists every message of the trace as a row, in time order, with its data', async () => {
    await page.locator('#tab-messages').click();
    const grid = page.getByRole('grid');
    expect(Number(await grid.getAttribute('aria-rowcount')) - 1).toBe(model.messages.length);
    const rows = await page
      .locator('[role=row][aria-rowindex]')
      .evaluateAll((els) => els.slice(1).map((el) => el.textContent ?? ''));
    const expected = [...model.messages].sort((a, b) => a.postedAt - b.postedAt);
    // The trace is small: every row is in the DOM (the table only virtualizes long lists).
    expect(rows).toHaveLength(expected.length);
    rows.forEach((text, i) => {
      const m = expected[i]!;
      expect(text).toContain(previewText(m.preview, 160).slice(0, 40));
      if (m.state === 'queued' || m.state === 'delivered') expect(text).toContain(m.state);
    });
    expect(expected.some((m) => m.state === 'queued')).toBe(true);
  });

  it('filters the trace like a live recording', async () => {
    const queued = model.messages.filter((m) => m.state === 'queued').length;
    await page.getByLabel('Filter messages').fill('state:queued');
    const grid = page.getByRole('grid');
    await expect.poll(async () => Number(await grid.getAttribute('aria-rowcount')) - 1).toBe(queued);
    await page.getByLabel('Filter messages').fill('');
    await expect.poll(async () => Number(await grid.getAttribute('aria-rowcount')) - 1).toBe(model.messages.length);
  });

  it('draws the channels and the ports of the trace', async () => {
    await page.locator('#tab-channels').click();
    const tree = (await page.getByRole('tree').first().textContent()) ?? '';
    for (const port of model.ports.keys()) expect(tree).toContain(port);
  });

  it('shows messages counted while DevTools was closed: one queue line, the status bar, a notice', async () => {
    // A never-started port that got 1,204 counted messages and one recorded one.
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.addListener(b);
    top.counted(a, 1204, 0);
    top.post(a, 'recorded <b>not html</b>');
    const meta = {
      browser: 'test',
      url: 'https://app.test/',
      startedAt: '2025-01-01T00:00:00Z',
      portscopeVersion: 'test',
      dropped: {},
      evicted: { messages: 0, facts: 0 },
    };
    const text = serializeTrace(createTrace({ meta, facts: s.all }));
    const truth = createModel();
    truth.apply(s.all);
    await page.goto(viewerUrl);
    await expect
      .poll(() => page.locator('[data-testid=counts]').textContent(), { timeout: 15_000 })
      .toBe(countsOf(model));
    await page
      .getByLabel('Trace file to import')
      .setInputFiles({ name: 'counted.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => page.locator('[data-testid=counts]').textContent()).toBe(countsOf(truth));
    expect(await page.locator('[data-testid=counted]').textContent()).toBe(
      'counted, not recorded: 1,204 posted · 1,204 queued',
    );
    const notice = (await page.locator('[data-testid=counted-notice]').textContent()) ?? '';
    expect(notice).toContain('counted, not recorded (1,204 posted · 1,204 queued): DevTools was closed on this tab');
    expect(notice).toContain('"Record while DevTools is closed"');
    await page.locator('#tab-channels').click();
    await page.locator('.tree-port .tree-button', { hasText: '1,205 queued' }).click();
    const detail = (await page.locator('.detail').textContent()) ?? '';
    expect(detail).toContain('Port message queue (1,205 waiting)');
    expect(await page.locator('[data-testid=counted-run]').textContent()).toMatch(
      /^1,204 messages counted while DevTools was closed — content not recorded · waiting at least \d+\.\d s$/,
    );
    // The recorded message follows the run, its data shown as text.
    expect(detail).toContain('recorded <b>not html</b>');
    expect(await page.locator('.detail b').count()).toBe(0);
  });

  it('says a loaded trace holds nothing to show, not that no trace is loaded', async () => {
    // A page that ran Portscope but never made a channel: one context, no port, no message.
    const s = new Stream();
    s.context('top');
    const meta = {
      browser: 'test',
      url: 'https://quiet.test/',
      startedAt: '2025-01-01T00:00:00Z',
      portscopeVersion: 'test',
      dropped: {},
      evicted: { messages: 0, facts: 0 },
    };
    const text = serializeTrace(createTrace({ meta, facts: s.all }));
    await page.goto(viewerUrl);
    await expect
      .poll(() => page.locator('[data-testid=counts]').textContent(), { timeout: 15_000 })
      .toBe(countsOf(model));
    await page
      .getByLabel('Trace file to import')
      .setInputFiles({ name: 'quiet.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    const empty = page.locator('.view .empty');
    await expect.poll(() => empty.textContent()).toContain('Nothing to show in this trace');
    expect(await empty.textContent()).toBe(
      'Nothing to show in this tracequiet.json recorded no MessageChannel, port or message (1 context).',
    );
    expect(await page.locator('.trace-name').textContent()).toBe('trace: quiet.json');
  });

  it('says precisely when the trace cannot be fetched', async () => {
    await page.goto(new URL('/panel/index.html?trace=/missing.json', viewerUrl).href);
    const banner = page.locator('.banner.error');
    await expect
      .poll(() => banner.textContent(), { timeout: 15_000 })
      .toContain(`Could not fetch the trace ${new URL('/missing.json', viewerUrl).href}: HTTP 404`);
    expect(await page.locator('[data-testid=counts]').textContent()).toBe(
      '0 channels · 0 ports · 0 messages · 0 queued',
    );
  });
});
