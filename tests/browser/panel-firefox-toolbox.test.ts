/**
 * The Portscope panel inside Firefox ESR's own DevTools toolbox, on a real X display (Xvfb),
 * with the built add-on: the toolbox is opened on the tab and the panel selected before the
 * busy page loads (as a user would), then the panel's own DOM is read. What it must show is
 * what the page itself counted (tests/fixtures/busy/counts.js) and the page's three planted
 * mistakes, nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefoxToolbox, type FirefoxToolbox } from '../support/firefox-toolbox.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let server: FixtureServer;
let firefox: FirefoxToolbox;

interface PageCounts {
  channels: number;
  ports: number;
  messages: number;
}

const n = (x: number) => x.toLocaleString('en-US');
/** The status bar's first three counts, as the panel words them. */
const countsLine = (c: PageCounts) => `${n(c.channels)} channels · ${n(c.ports)} ports · ${n(c.messages)} messages`;

/** The text of the panel's first element matching `selector`, or '(none)'. */
const panelText = (selector: string) =>
  firefox.inPanel(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    return el ? el.textContent : '(none)';
  })()`);

const pageCounts = async () =>
  JSON.parse(
    await firefox.page.evaluate(() => JSON.stringify((window as unknown as { busyCounts: PageCounts }).busyCounts)),
  ) as PageCounts;

beforeAll(async () => {
  server = await serveFixtures('tests/fixtures');
  firefox = await launchFirefoxToolbox();
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe("Firefox ESR's DevTools toolbox", () => {
  it('shows the Portscope panel with the counts the busy page itself made, and its three mistakes', async () => {
    const toolId = await firefox.showPanel('Portscope');
    expect(toolId).toMatch(/^webext-devtools-panel-/);
    // The selected tool is ours, docked in the window and given room (not a hidden frame).
    const shown = JSON.parse(
      await firefox.inToolbox(`JSON.stringify({
        current: toolbox.currentToolId,
        height: toolbox.doc.getElementById('toolbox-panel-iframe-' + toolbox.currentToolId)
          ?.getBoundingClientRect().height ?? 0,
      })`),
    ) as { current: string; height: number };
    expect(shown.current).toBe(toolId);
    expect(shown.height).toBeGreaterThan(200);
    expect(await firefox.inPanel('location.pathname')).toBe('/panel/index.html');

    const widget = `${server.crossOrigin}/busy/widget.html`;
    await firefox.page.goto(`${server.origin}/busy/app.html#widget=${encodeURIComponent(widget)}`);
    const done = () => firefox.page.evaluate(() => document.documentElement.dataset.done ?? '');
    await until('the busy page to finish', done, (d) => d === '1', 30_000);
    const counted = await pageCounts();
    // The page's design fixes channels and ports; messages depend on how often its scheduler yielded.
    expect(counted.channels).toBe(50);
    expect(counted.ports).toBe(100);
    expect(counted.messages).toBeGreaterThan(1_300);

    const expected = `${countsLine(counted)} · `;
    const status = await until(
      "the status bar to show the page's counts",
      () => panelText('[data-testid=counts]'),
      (t) => t.startsWith(expected),
      30_000,
    );
    // The three messages on the never-started port are the only ones waiting.
    expect(status).toMatch(/ · 3 queued\b/);
    // The toolbox was open from the start: everything was recorded, nothing only counted.
    expect(await panelText('[data-testid=counted]')).toBe('(none)');

    await firefox.inPanel(`(document.getElementById('tab-diagnostics').click(), 'ok')`);
    const codes = await until(
      'the three diagnostics',
      async () => {
        const text = await firefox.inPanel(
          `JSON.stringify([...document.querySelectorAll('.diagnostics .code')].map((e) => e.textContent).sort())`,
        );
        return JSON.parse(text) as string[];
      },
      (c) => c.length >= 3,
    );
    expect(codes).toEqual(['port-never-started', 'post-after-close', 'post-after-transfer']);
  });
});
