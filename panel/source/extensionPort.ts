/**
 * Facts for the inspected tab, from the extension's background over a runtime port
 * (protocol/messages.ts). Everything received is validated again here. The background (a
 * Chrome service worker) may stop at any time: the port then disconnects and we reconnect
 * with backoff, sending our cursor so batches already applied are not replayed.
 */
import { advanceCursor, PANEL_PORT_NAME, type Cursor, type PanelToBackground } from '../../protocol/messages.ts';
import { ProtocolError, validateBackgroundToPanel } from '../../protocol/validate.ts';
import type { FactSource, SourceCommand, SourceEvents } from './types.ts';

const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];
/** With no fact after this long (after connecting or a navigation), ask whether Portscope is in the page at all. */
const PROBE_AFTER_MS = 1500;

export function extensionSource(tabId: number): FactSource {
  const cursor: Cursor = {};
  let port: chrome.runtime.Port | null = null;
  let events: SourceEvents | null = null;
  let session: string | null = null;
  let attempt = 0;
  let stopped = false;
  let heard = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;

  const post = (msg: PanelToBackground) => {
    try {
      port?.postMessage(msg);
    } catch {
      // The port died between the check and the call; onDisconnect reconnects.
    }
  };

  const onMessage = (raw: unknown) => {
    if (!events) return;
    let msg;
    try {
      msg = validateBackgroundToPanel(raw, 'background message');
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      events.notice(`Ignored a malformed message from the background: ${e.message}`);
      return;
    }
    if (msg.tabId !== tabId) return;
    attempt = 0;
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
        events.status({ dropped: msg.dropped, evicted: msg.evicted, buffered: msg.buffered, rejected: msg.rejected, lastError: msg.lastError });
        return;
      case 'cleared':
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

  const connect = () => {
    if (stopped) return;
    events?.connection(attempt ? 'reconnecting' : 'connecting', attempt);
    try {
      port = chrome.runtime.connect({ name: PANEL_PORT_NAME });
    } catch {
      scheduleReconnect();
      return;
    }
    port.onMessage.addListener(onMessage);
    port.onDisconnect.addListener(() => {
      port = null;
      if (!stopped) scheduleReconnect();
    });
    post({ type: 'subscribe', tabId, cursor });
    events?.connection('connected', 0);
    probeLater();
  };

  const scheduleReconnect = () => {
    events?.connection('reconnecting', attempt + 1);
    retry = setTimeout(connect, BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]);
    attempt++;
  };

  return {
    start(handlers) {
      events = handlers;
      chrome.devtools?.network?.onNavigated?.addListener(onNavigated);
      connect();
    },
    send(command: SourceCommand) {
      post(command.type === 'clear' ? { type: 'clear', tabId } : command);
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(probeTimer);
      chrome.devtools?.network?.onNavigated?.removeListener(onNavigated);
      port?.disconnect();
      port = null;
    },
  };
}
