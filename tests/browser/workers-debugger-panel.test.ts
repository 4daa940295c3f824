/**
 * "See inside workers" in the REAL Portscope panel of Chromium's DevTools (the test build, which
 * holds the `debugger` permission up front: Chrome's permission prompt cannot be clicked by a
 * test, so the panel's call to `chrome.permissions.request` is recorded and passed through).
 * On tests/fixtures/workers-cdp/first/ (its first inline script makes a dedicated, a shared and a
 * service worker): off, the dedicated worker is not observed and its port offers the setting;
 * turned on in the settings, the page reloaded, it is seen from inside (DevTools protocol).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { launchWithDevTools, showPanel, type DevToolsSession } from '../support/devtools-panel.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let server: FixtureServer;
let session: DevToolsSession;
let panel: Frame;

/** Each context row of the Channels tree: its kind, its name and how it is seen. */
const contextRows = () =>
  panel.$$eval('[data-context-row] > .tree-context-label', (els) => els.map((el) => el.textContent ?? ''));
const rowOf = (rows: string[], script: string) => rows.find((r) => r.includes(script)) ?? `no row for ${script}`;
const clickButton = (label: string) =>
  panel.$$eval(
    'button',
    (els, text) => {
      const button = els.find((el) => el.textContent?.trim() === text);
      if (!button) throw new Error(`no button ${text}`);
      (button as HTMLElement).click();
    },
    label,
  );
const firstPage = () => `${server.origin}/workers-cdp/first/index.html`;

beforeAll(async () => {
  server = await serveFixtures();
  session = await launchWithDevTools();
  panel = await showPanel(session.devtools, session.extensionId);
  await session.page.goto(firstPage());
  await panel.$eval('#tab-channels', (el) => (el as HTMLElement).click());
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('"See inside workers" in the real panel', () => {
  it('off: the dedicated worker is not observed, and a port it holds offers the setting', async () => {
    const rows = await until('the workers in the tree', contextRows, (r) => r.some((t) => t.includes('classic.js')));
    expect(rowOf(rows, 'classic.js')).toContain('not observed');
    await panel.$$eval('[data-context-row]', (els) => {
      const worker = els.find((el) => el.querySelector('.tree-context-label')?.textContent?.includes('classic.js'));
      const port = worker?.querySelector<HTMLElement>('.tree-port .tree-button');
      if (!port) throw new Error('no port under the worker');
      port.click();
    });
    const offer = await until(
      'the offer in the port detail',
      () => panel.$eval('[data-testid=see-inside-workers-offer]', (el) => el.textContent ?? '').catch(() => ''),
      (t) => t !== '',
    );
    expect(offer).toContain('See inside workers');
    expect(offer).toContain('started debugging this browser');
  });

  it('the settings ask Chrome for the debugger permission from the click, say why the bar shows, and store the setting for the tab', async () => {
    await panel.evaluate(() => {
      const calls: unknown[] = [];
      (globalThis as unknown as { permissionRequests: unknown[] }).permissionRequests = calls;
      const request = chrome.permissions.request.bind(chrome.permissions);
      chrome.permissions.request = ((p: chrome.permissions.Permissions) => {
        calls.push(p);
        return request(p);
      }) as typeof chrome.permissions.request;
    });
    await panel.$eval('button[title=Settings]', (el) => (el as HTMLElement).click());
    const [note, more] = await panel.$eval('#see-inside-workers-note', (el) => [
      el.textContent ?? '',
      el.getAttribute('title') ?? '',
    ]);
    expect(note).toContain('Portscope started debugging this browser');
    expect(note).toContain("through Chrome's debugger");
    expect(more).toContain('Shared workers stay outside; a service worker is seen from inside');
    expect(more).toContain('Focus Sources panel when triggering a breakpoint');
    await until(
      'the setting read',
      () => panel.$eval('input[name=seeInsideWorkers]', (el) => (el as HTMLInputElement).disabled),
      (disabled) => !disabled,
    );
    await panel.$eval('input[name=seeInsideWorkers]', (el) => (el as HTMLInputElement).click());
    await clickButton('Apply');
    expect(
      await panel.evaluate(() => (globalThis as unknown as { permissionRequests: unknown[] }).permissionRequests),
    ).toEqual([{ permissions: ['debugger'] }]);
    const stored = await until(
      'the setting stored for the inspected tab',
      () =>
        panel.evaluate(async () => {
          const key = `portscope.seeInsideWorkers.${chrome.devtools.inspectedWindow.tabId}`;
          return (await chrome.storage.session.get(key))[key];
        }),
      (v) => v === true,
    );
    expect(stored).toBe(true);
  });

  it('on, the page reloaded: the dedicated worker is seen from inside (DevTools protocol); the shared and the service worker stay outside', async () => {
    expect(await panel.$eval('[data-testid=see-inside-workers-on]', (el) => el.textContent ?? '')).toContain('Reload');
    // The debugger attaches once the background reads the stored setting: reload until a load happened after it.
    const rows = await until(
      'the dedicated worker seen from inside',
      async () => {
        await session.page.goto(firstPage());
        await new Promise((r) => setTimeout(r, 1_500));
        return contextRows();
      },
      (r) => rowOf(r, 'classic.js').includes('seen from inside (DevTools protocol)'),
      40_000,
    );
    expect(rowOf(rows, 'shared.js')).toContain('not observed');
    expect(rows.filter((r) => r.includes('seen from inside')).length).toBe(1);
  });
});
