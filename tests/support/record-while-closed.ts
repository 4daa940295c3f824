/**
 * Turns on the "Record while DevTools is closed" preference in the extension's background, the
 * way the panel's settings do (storage.local), and waits until the background applied it. For
 * tests that need every message recorded in a tab nobody watches.
 */
import type { Worker } from 'playwright-core';

const KEY = 'portscope.recordWhileClosed';

async function until(what: string, read: () => Promise<unknown>, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    if ((await read()) === true) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Debug = { portscopeDebug: { recordWhileClosed(): boolean | null } };

/** Chromium: `serviceWorker` is the extension's (tests/support/chromium.ts). */
export async function recordWhileClosedChromium(serviceWorker: Worker, on = true): Promise<void> {
  await serviceWorker.evaluate(([key, value]) => chrome.storage.local.set({ [key as string]: value }), [
    KEY,
    on,
  ] as const);
  await until(
    'the background to apply the preference',
    async () =>
      (await serviceWorker.evaluate(() => (globalThis as unknown as Debug).portscopeDebug.recordWhileClosed())) === on,
  );
}

/** Firefox: `background` evaluates text in the add-on's background (tests/support/firefox.ts). */
export async function recordWhileClosedFirefox(
  background: (text: string) => Promise<string>,
  on = true,
): Promise<void> {
  await background(`browser.storage.local.set({ ${JSON.stringify(KEY)}: ${on} }).then(() => 'ok')`);
  await until(
    'the background to apply the preference',
    async () => (await background('String(globalThis.portscopeDebug.recordWhileClosed())')) === String(on),
  );
}
