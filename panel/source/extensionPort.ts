/**
 * Facts for the inspected tab, from the extension's background over a runtime port
 * (protocol/messages.ts). Everything received is decoded and validated again here. The background (a
 * Chrome service worker) may stop at any time: the port then disconnects and we reconnect
 * (extension/reconnecting-port.ts), sending our cursor so batches already applied are not replayed.
 */
import { advanceCursor, PANEL_PORT_NAME, type Cursor, type PanelToBackground } from '../../protocol/messages.ts';
import { ProtocolError, receiveBackgroundToPanel, type PanelMessage } from '../../protocol/validate.ts';
import { ReconnectingPort } from '../../extension/reconnecting-port.ts';
import type { FactSource, SourceCommand, SourceEvents } from './types.ts';

/** With no fact after this long (after connecting or a navigation), ask whether Portscope is in the page at all. */
const PROBE_AFTER_MS = 1500;

export function extensionSource(tabId: number): FactSource {
  const cursor: Cursor = {};
  let events: SourceEvents | null = null;
  let session: string | null = null;
  let stopped = false;
  let heard = false;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;

  // A message lost because the port died under us is not retried: the next connection
  // subscribes again with the cursor, and the user repeats a clear or a setting if need be.
  const post = (msg: PanelToBackground) => void background.send(msg);

  const onMessage = (raw: unknown) => {
    if (!events) return;
    let msg: PanelMessage;
    try {
      // A chunk comes as wire text: decoded and checked whole, so a bad fact refuses all of it
      // (nothing applied, the cursor not moved).
      msg = receiveBackgroundToPanel(raw, 'background message');
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      events.notice(`Ignored a malformed message from the background: ${e.message}`);
      return;
    }
    if (msg.tabId !== tabId) return;
    switch (msg.type) {
      case 'facts':
        heard = true;
        events.instrumented(true);
        if (session !== null && msg.session !== session) events.session(null);
        session = msg.session;
        if (advanceCursor(cursor, msg)) events.facts(msg.facts);
        return;
      case 'session':
        heard = true;
        events.instrumented(true);
        if (session !== null && msg.session !== session) events.session(msg.url);
        else events.pageUrl(msg.url);
        session = msg.session;
        return;
      case 'status':
        events.status({
          dropped: msg.dropped,
          evicted: msg.evicted,
          buffered: msg.buffered,
          rejected: msg.rejected,
          lastError: msg.lastError,
        });
        return;
      case 'cleared':
        // Between the facts before the cut and those after: applied in stream order.
        events.cleared();
        return;
      case 'presence':
        // A relay or a content script answering means the page is ours, merely quiet.
        if (!heard) events.instrumented(msg.relays > 0 || msg.contentScript);
        return;
    }
  };

  // The background knows whether a relay of this tab said hello, and can ask the tab whether a
  // content script answers. (inspectedWindow.eval with useContentScriptContext cannot tell:
  // Firefox ignores that option.)
  const probe = () => {
    if (heard || stopped) return;
    post({ type: 'probe', tabId });
  };
  const probeLater = () => {
    clearTimeout(probeTimer);
    probeTimer = setTimeout(probe, PROBE_AFTER_MS);
  };
  // A navigation to a page Portscope is not in sends no session: only a probe can tell.
  const onNavigated = () => {
    heard = false;
    probeLater();
  };

  // Always back after a disconnect, for as long as the panel is open.
  const background = new ReconnectingPort({
    connect: () => chrome.runtime.connect({ name: PANEL_PORT_NAME }),
    opened() {
      post({ type: 'subscribe', tabId, cursor });
      events?.connection('connected', 0);
      probeLater();
    },
    message: onMessage,
    lost: () => !stopped,
    orphaned: () => events?.connection('disconnected', 0),
    retrying: (attempt) => events?.connection('reconnecting', attempt),
  });

  return {
    start(handlers) {
      events = handlers;
      chrome.devtools?.network?.onNavigated?.addListener(onNavigated);
      events.connection('connecting', 0);
      background.open();
    },
    send(command: SourceCommand) {
      post(command.type === 'clear' ? { type: 'clear', tabId } : command);
    },
    stop() {
      stopped = true;
      clearTimeout(probeTimer);
      chrome.devtools?.network?.onNavigated?.removeListener(onNavigated);
      background.close();
    },
  };
}
