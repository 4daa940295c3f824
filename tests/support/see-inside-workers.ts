/**
 * The panel side of the See inside workers tests: an extension page that subscribes to two tabs
 * as the panel does and turns the setting on for the first one only, the way the panel's settings
 * store it (storage.session, per tab); and the background's debug hook those tests read.
 */
import type { Page, Worker } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import type { LaunchedChromium } from './chromium.ts';
import { until } from './until.ts';

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

/**
 * The test build's debug hook in the extension's background, read through whichever service
 * worker is the background now (the tests stop it and Chrome starts another). `S` is what the
 * calling test reads of `workerDebugger(tabId)`.
 */
export function debugBackground<S>(ext: () => LaunchedChromium) {
  type Debug = {
    portscopeDebug: {
      facts(tabId: number): Fact[];
      clear(): void;
      tabs(): { tabId: number; url: string }[];
      workerDebugger(tabId: number): S | null;
    };
  };
  async function background(): Promise<Worker> {
    const { context, extensionId } = ext();
    const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${extensionId}/`);
    return (
      context.serviceWorkers().filter(ours).at(-1) ?? (await context.waitForEvent('serviceworker', { predicate: ours }))
    );
  }
  return {
    facts: async (tabId: number) =>
      (await background()).evaluate((id) => (globalThis as unknown as Debug).portscopeDebug.facts(id), tabId),
    clear: async () => (await background()).evaluate(() => (globalThis as unknown as Debug).portscopeDebug.clear()),
    workerDebugger: async (tabId: number) =>
      (await background()).evaluate((id) => (globalThis as unknown as Debug).portscopeDebug.workerDebugger(id), tabId),
    /** The tab the background knows `url` in (waits until it does). */
    tabIdOf: async (url: string) => {
      const tabs = await until(
        `the background to know ${url}`,
        async () => (await background()).evaluate(() => (globalThis as unknown as Debug).portscopeDebug.tabs()),
        (t) => t.some((x) => x.url === url),
      );
      return tabs.find((t) => t.url === url)!.tabId;
    },
  };
}
