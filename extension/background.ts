/**
 * The background (Chrome: a service worker; Firefox: an event page). Either may be stopped at
 * any time, so it keeps little: each tab's facts live in memory (extension/router.ts) and are
 * rebuilt after a restart from the relays, which retain their batches until the document goes
 * away; only a small per-tab record (session, config, what the panel cleared) is kept in
 * storage.session. Listeners are registered synchronously so a wake-up event is never missed;
 * messages wait until that record is loaded.
 */
import browser from 'webextension-polyfill';
import { CONTENT_PORT_NAME, DEVTOOLS_PORT_NAME, PANEL_PORT_NAME, type ResyncRequest } from '../protocol/messages.ts';
import { Router, type PersistedTab, type PortLike, type RouterHooks } from './router.ts';
import { DebugRouter, exposeDebugHook } from './debug-hook.ts';
import { loadPersistedTabs, persistTab } from './persisted.ts';
import {
  forgetSeeInsideWorkers,
  loadRecordWhileClosed,
  loadSeeInsideWorkers,
  recordWhileClosedChange,
  seeInsideWorkersChanges,
} from './preference.ts';
import { WorkerDebugger } from './worker-debugger.ts';
import { EarlyInWorker, type Scripting } from './early-in-worker.ts';

/** Set when the test build includes the debug hook (extension/debug-hook.ts). */
declare const __PORTSCOPE_DEBUG_HOOK__: boolean;

/** Set once `ready` resolves; only the debug hook reads it directly. */
let router: Router | null = null;

// Registered now, applied once the router exists: a change must not be missed while starting.
const changes: boolean[] = [];
let applyChange = (on: boolean): void => {
  changes.push(on);
};
browser.storage.onChanged.addListener((change, area) => {
  const on = recordWhileClosedChange(change, area);
  if (on !== null) applyChange(on);
  for (const [tabId, inside] of seeInsideWorkersChanges(change, area)) workerDebugger.setWanted(tabId, inside);
});

// "See inside workers" (Chrome: chrome.debugger, extension/worker-debugger.ts); made now so its
// listeners are registered before any event of a wake-up is delivered.
const workerDebugger = new WorkerDebugger(
  () => router,
  (tabId) => router?.runtimeConfig(tabId),
);
void loadSeeInsideWorkers().then((tabs) => {
  for (const tabId of tabs) workerDebugger.setWanted(tabId, true);
});

// Nothing is answered before the preference is read (`ready` holds every message), so a relay's
// first welcome never carries a stale recordMessages.
const ready: Promise<Router> = Promise.all([
  loadPersistedTabs().catch(() => new Map<number, PersistedTab>()),
  loadRecordWhileClosed(),
]).then(([tabs, recordWhileClosed]): Router => {
  const made = makeRouter(recordWhileClosed);
  for (const [tabId, saved] of tabs) made.hydrate(tabId, saved);
  router = made;
  applyChange = (on) => made.setRecordWhileClosed(on);
  for (const on of changes.splice(0)) applyChange(on);
  return made;
});

/** The build's browser (vite.config.ts). */
declare const __PORTSCOPE_BROWSER__: string;

/** Firefox: the in-worker setting known at document_start (extension/early-in-worker.ts). */
const early =
  __PORTSCOPE_BROWSER__ === 'firefox' && browser.scripting
    ? new EarlyInWorker(browser.scripting as unknown as Scripting)
    : null;

function makeRouter(recordWhileClosed: boolean): Router {
  const hooks: RouterHooks = {
    ...(early ? { configured: (tabId, config) => early.configured(tabId, config) } : {}),
    recordWhileClosed,
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
    panelsChanged: (tabId, panels) => workerDebugger.panelsChanged(tabId, panels),
    relayed(tabId, facts) {
      workerDebugger.relayed(tabId, facts);
      early?.delivered(tabId, facts);
    },
  };
  return __PORTSCOPE_DEBUG_HOOK__ ? new DebugRouter(hooks) : new Router(hooks);
}

browser.runtime.onConnect.addListener((port) => {
  const p = port as unknown as PortLike;
  // Hold messages that arrive before the persisted record is loaded, then replay them in order.
  const early: unknown[] = [];
  let loaded = false;
  const listeners: ((m: unknown) => void)[] = [];
  // A disconnect before the router listens is held too (a DevTools window closed while the
  // background started must not leave its tab watched).
  let gone = false;
  const goneListeners: (() => void)[] = [];
  const held: PortLike = {
    name: p.name,
    sender: p.sender,
    postMessage: (m) => p.postMessage(m),
    disconnect: () => p.disconnect(),
    onMessage: { addListener: (l) => void listeners.push(l) },
    onDisconnect: { addListener: (l) => void goneListeners.push(l) },
  };
  p.onMessage.addListener((m) => {
    if (!loaded) early.push(m);
    else for (const l of listeners) l(m);
  });
  p.onDisconnect.addListener(() => {
    gone = true;
    if (loaded) for (const l of goneListeners) l();
  });
  void ready.then((router) => {
    if (port.name === CONTENT_PORT_NAME) router.connectContent(held);
    else if (port.name === PANEL_PORT_NAME) router.connectPanel(held);
    else if (port.name === DEVTOOLS_PORT_NAME) router.connectDevtools(held);
    else {
      port.disconnect();
      return;
    }
    loaded = true;
    for (const m of early.splice(0)) for (const l of listeners) l(m);
    if (gone) for (const l of goneListeners) l();
  });
});

browser.tabs.onRemoved.addListener((tabId) => {
  void ready.then((router) => router.forgetTab(tabId));
  workerDebugger.forgetTab(tabId);
  forgetSeeInsideWorkers(tabId);
  early?.forget(tabId);
});

// Only the test build has the debug hook (vite.config.ts): the installed extension exposes nothing.
if (__PORTSCOPE_DEBUG_HOOK__)
  exposeDebugHook(
    () => router as DebugRouter | null,
    (tabId) => workerDebugger.state(tabId),
  );
