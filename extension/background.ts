/**
 * The background (Chrome: a service worker; Firefox: an event page). Either may be stopped at
 * any time, so it keeps little: each tab's facts live in memory (extension/router.ts) and are
 * rebuilt after a restart from the relays, which retain their batches until the document goes
 * away; only a small per-tab record (session, config, what the panel cleared) is kept in
 * storage.session. Listeners are registered synchronously so a wake-up event is never missed;
 * messages wait until that record is loaded.
 */
import browser from 'webextension-polyfill';
import { CONTENT_PORT_NAME, PANEL_PORT_NAME, type ResyncRequest } from '../protocol/messages.ts';
import type { Fact } from '../protocol/facts.ts';
import { Router, type PersistedTab, type PortLike } from './router.ts';
import { loadPersistedTabs, persistTab } from './persisted.ts';

const router = new Router({
  extensionOrigin: browser.runtime.getURL(''),
  resync(tabId) {
    const request: ResyncRequest = { type: 'resync' };
    // A tab without relays (a chrome:// page, a page loaded before the extension) has no receiver.
    browser.tabs.sendMessage(tabId, request).catch(() => {});
  },
  reach(tabId) {
    const request: ResyncRequest = { type: 'resync' };
    // Rejected ("Receiving end does not exist") exactly when no content script runs in the tab.
    return browser.tabs.sendMessage(tabId, request).then(
      () => true,
      () => false,
    );
  },
  persist: persistTab,
});

const ready: Promise<void> = loadPersistedTabs()
  .then((tabs: Map<number, PersistedTab>) => {
    for (const [tabId, saved] of tabs) router.hydrate(tabId, saved);
  })
  .catch(() => {});

browser.runtime.onConnect.addListener((port) => {
  const p = port as unknown as PortLike;
  // Hold messages that arrive before the persisted record is loaded, then replay them in order.
  const early: unknown[] = [];
  let loaded = false;
  const listeners: ((m: unknown) => void)[] = [];
  const held: PortLike = {
    name: p.name,
    sender: p.sender,
    postMessage: (m) => p.postMessage(m),
    disconnect: () => p.disconnect(),
    onMessage: { addListener: (l) => void listeners.push(l) },
    onDisconnect: p.onDisconnect,
  };
  p.onMessage.addListener((m) => {
    if (!loaded) early.push(m);
    else for (const l of listeners) l(m);
  });
  void ready.then(() => {
    if (port.name === CONTENT_PORT_NAME) router.connectContent(held);
    else if (port.name === PANEL_PORT_NAME) router.connectPanel(held);
    else {
      port.disconnect();
      return;
    }
    loaded = true;
    for (const m of early.splice(0)) for (const l of listeners) l(m);
  });
});

browser.tabs.onRemoved.addListener((tabId) => {
  void ready.then(() => router.forgetTab(tabId));
});

/** For tests, in the background's global: what reached the background, per tab or all, in arrival order. */
(globalThis as typeof globalThis & { portscopeDebug: unknown }).portscopeDebug = {
  facts: (tabId?: number): Fact[] => router.debugFacts(tabId),
  clear: (): void => router.debugClear(),
  status: (tabId: number) => router.debugStatus(tabId),
  tabs: () => router.debugTabs(),
  forms: () => router.debugForms(),
};
