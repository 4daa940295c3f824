/**
 * The devtools page lives exactly as long as a DevTools window is open on a tab. Besides
 * registering the panel, it tells the background which tab it inspects, so that tab is
 * *watched* (its messages are recorded, not only counted) from the moment DevTools opens,
 * whichever DevTools panel is showing. Closing DevTools ends the connection, and the tab goes
 * back to counting unless something else watches it.
 */
import { DEVTOOLS_PORT_NAME, type DevtoolsToBackground } from '../protocol/messages.ts';

chrome.devtools.panels.create('Portscope', '/extension/icons/16.png', '/panel/index.html');

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;
let failures = 0;

function inspect(): void {
  let port: chrome.runtime.Port;
  try {
    port = chrome.runtime.connect({ name: DEVTOOLS_PORT_NAME });
  } catch {
    // The extension was reloaded or removed: this page is orphaned for good.
    return;
  }
  const connectedAt = Date.now();
  port.onDisconnect.addListener(() => {
    void chrome.runtime.lastError;
    // The background was stopped (Chrome stops an idle service worker): connect again, which
    // wakes it, so the tab stays watched. Quick repeated failures back off.
    failures = Date.now() - connectedAt > RETRY_MAX_MS ? 0 : failures + 1;
    setTimeout(inspect, failures === 0 ? 0 : Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** failures));
  });
  port.postMessage({ type: 'inspect', tabId: chrome.devtools.inspectedWindow.tabId } satisfies DevtoolsToBackground);
}

inspect();
