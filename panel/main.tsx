/**
 * The panel's entry. Inside DevTools it records the inspected tab through the extension;
 * opened as a plain page (no `chrome.devtools`) it is the standalone trace viewer, which
 * loads `?trace=<url>` when given.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createModel } from './model/index.ts';
import { extensionSource } from './source/extensionPort.ts';
import { fetchTrace, TraceLoadError } from './source/traceFile.ts';
import type { FactSource } from './source/types.ts';
import { createPanelStore } from './store.ts';
import { detectTheme, themeFromQuery } from './theme.ts';
import { App } from './ui/App.tsx';
import { StoreContext } from './ui/storeContext.ts';
import './ui/panel.css';

const devtools = typeof chrome !== 'undefined' ? chrome.devtools : undefined;
const tabId = devtools?.inspectedWindow?.tabId;
const source: FactSource | null = typeof tabId === 'number' ? extensionSource(tabId) : null;

const store = createPanelStore({ createModel, send: source ? (c) => source.send(c) : undefined });
document.documentElement.dataset.theme = themeFromQuery(location.search) ?? detectTheme();
// DevTools tells a panel when its theme changes: Chrome through setThemeChangeHandler,
// Firefox through the onThemeChanged event (Firefox has no setThemeChangeHandler).
const applyTheme = (theme: string) => {
  document.documentElement.dataset.theme = theme === 'dark' ? 'dark' : 'light';
};
const panels = devtools?.panels as
  | (typeof chrome.devtools.panels & { onThemeChanged?: { addListener(l: (theme: string) => void): void } })
  | undefined;
if (panels?.setThemeChangeHandler) panels.setThemeChangeHandler(applyTheme);
else panels?.onThemeChanged?.addListener(applyTheme);

if (source) {
  const s = store.getState();
  source.start({
    facts: (facts) => store.getState().ingest(facts),
    session: (url) => store.getState().newSession(url),
    pageUrl: (url) => s.setPageUrl(url),
    status: (status) => s.setRelayStatus(status),
    connection: (state, attempt) => store.getState().setConnection(state, attempt),
    instrumented: (on) => s.setInstrumented(on),
    notice: (text) => s.notify({ kind: 'info', text }),
    cleared: () => store.getState().clearedInBackground(),
  });
  addEventListener('pagehide', () => source.stop());
} else {
  store.getState().setConnection('standalone');
  const traceUrl = new URLSearchParams(location.search).get('trace');
  if (traceUrl) {
    fetchTrace(new URL(traceUrl, location.href).href)
      .then((t) => store.getState().loadTrace(t.facts, t.name))
      .catch((e: unknown) => {
        if (!(e instanceof TraceLoadError)) throw e;
        store.getState().notify({ kind: 'error', text: e.message });
      });
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
