/**
 * The panel side of the See inside workers tests: an extension page that subscribes to two tabs
 * as the panel does and turns the setting on for the first one only, the way the panel's settings
 * store it (storage.session, per tab).
 */
import type { Page } from 'playwright-core';

export async function seeInsideWorkersOn(panel: Page, onTab: number, offTab: number): Promise<void> {
  await panel.evaluate(
    async ([on, off]) => {
      for (const tabId of [on, off]) {
        const port = chrome.runtime.connect({ name: 'portscope-panel' });
        port.postMessage({ type: 'subscribe', tabId });
        ((globalThis as unknown as { ports: unknown[] }).ports ??= []).push(port);
      }
      await chrome.storage.session.set({ [`portscope.seeInsideWorkers.${on}`]: true });
    },
    [onTab, offTab] as const,
  );
}
