/**
 * The devtools page lives exactly as long as a DevTools window is open on a tab. Besides
 * registering the panel, it tells the background which tab it inspects, so that tab is
 * *watched* (its messages are recorded, not only counted) from the moment DevTools opens,
 * whichever DevTools panel is showing. Closing DevTools ends the connection, and the tab goes
 * back to counting unless something else watches it.
 */
import { DEVTOOLS_PORT_NAME, type DevtoolsToBackground } from '../protocol/messages.ts';
import { ReconnectingPort } from './reconnecting-port.ts';

chrome.devtools.panels.create('Portscope', '/extension/icons/16.png', '/panel/index.html');

const inspect: DevtoolsToBackground = { type: 'inspect', tabId: chrome.devtools.inspectedWindow.tabId };

// Always back after a disconnect: the background forgets who watches when it is stopped, and
// connecting again (which wakes it) is what keeps the tab watched.
const background = new ReconnectingPort({
  connect: () => chrome.runtime.connect({ name: DEVTOOLS_PORT_NAME }),
  opened: () => void background.send(inspect),
  message: () => {},
  lost: () => {
    void chrome.runtime.lastError;
    return true;
  },
});
background.open();
