/**
 * "See inside workers" (Chrome only): the setting as stored per inspected tab
 * (storage.session, followed by the background's extension/worker-debugger.ts), and the offers
 * to turn it on where a worker is seen from outside. Turning it on asks Chrome for the optional
 * `debugger` permission, from the click itself (Chrome grants permissions only on a user gesture).
 */
import { useEffect, useState } from 'react';
import { SEE_INSIDE_WORKERS_PREFIX } from '../../protocol/messages.ts';
import { usePanel } from './storeContext.ts';

declare const __PORTSCOPE_BROWSER__: string | undefined;

/** Why Chrome's bar shows, in the words the settings and the offers use. */
export const DEBUGGER_BAR_TEXT =
  'Chrome shows "Portscope started debugging this browser" while it is on: Portscope sees inside the workers through Chrome\'s debugger, which can see everything in the tab. It stops when you turn this off or close DevTools.';

/**
 * Each worker stops for an instant at its first line while the runtime goes in; DevTools' own
 * debugger sees that pause and, by default, brings its Sources panel forward (measured).
 */
export const SOURCES_PANEL_TEXT =
  'DevTools may switch to its Sources panel as each worker starts: turn off "Focus Sources panel when triggering a breakpoint" in DevTools\' settings to stay here.';

function inspectedTab(): number | null {
  if (typeof __PORTSCOPE_BROWSER__ === 'undefined' || __PORTSCOPE_BROWSER__ !== 'chrome') return null;
  if (typeof chrome === 'undefined' || !chrome.permissions || !chrome.storage?.session) return null;
  const tabId = chrome.devtools?.inspectedWindow?.tabId;
  return typeof tabId === 'number' ? tabId : null;
}

export interface SeeInsideWorkers {
  /** False in Firefox and the standalone viewer: there is no chrome.debugger. */
  available: boolean;
  /** Null while unread. */
  value: boolean | null;
  /** Why it could not be turned on (the permission refused). */
  refused: boolean;
  /** Call from a click handler, synchronously: the permission request needs the user's gesture. */
  set(on: boolean): void;
}

export function useSeeInsideWorkers(): SeeInsideWorkers {
  const tabId = inspectedTab();
  const key = tabId === null ? null : `${SEE_INSIDE_WORKERS_PREFIX}${tabId}`;
  const [value, setValue] = useState<boolean | null>(null);
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    chrome.storage.session.get(key, (items) => {
      if (live) setValue(items?.[key] === true);
    });
    const changed = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      if (area === 'session' && key in changes) setValue(changes[key]!.newValue === true);
    };
    chrome.storage.onChanged.addListener(changed);
    return () => {
      live = false;
      chrome.storage.onChanged.removeListener(changed);
    };
  }, [key]);
  return {
    available: key !== null,
    value,
    refused,
    set(on) {
      if (key === null) return;
      if (!on) {
        void chrome.storage.session.remove(key);
        return;
      }
      chrome.permissions
        .request({ permissions: ['debugger'] })
        // A build that holds the permission already (the test build) may refuse to "request" it.
        .catch(() => chrome.permissions.contains({ permissions: ['debugger'] }))
        .then((granted) => {
          setRefused(!granted);
          if (granted) void chrome.storage.session.set({ [key]: true });
        });
    },
  };
}

/**
 * Offered where a dedicated worker is seen from outside: among `contexts` (a port's holders),
 * or anywhere on the page when none are given (the empty state).
 */
export function SeeInsideWorkersOffer({ contexts }: { contexts?: readonly (string | null | undefined)[] }) {
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const see = useSeeInsideWorkers();
  if (!see.available || see.value === null) return null;
  const nodes = contexts
    ? contexts.map((id) => (id ? model.contexts.get(id) : undefined))
    : [...model.contexts.values()];
  if (!nodes.some((c) => c?.kind === 'worker' && !c.observed)) return null;
  if (see.value)
    return (
      <p className="muted see-inside" data-testid="see-inside-workers-on">
        See inside workers is on: a worker created before it was turned on stays outside. Reload the page to see its
        dedicated workers from their first line.
      </p>
    );
  return (
    <p className="see-inside" data-testid="see-inside-workers-offer">
      <button type="button" title={DEBUGGER_BAR_TEXT} onClick={() => see.set(true)}>
        See inside workers
      </button>{' '}
      <span className="muted">
        {contexts
          ? 'A dedicated worker here is seen from outside: its side of this channel is inferred. '
          : "This page's dedicated workers are seen from outside: channels they make are not seen. "}
        {see.refused
          ? 'Chrome did not grant the debugger permission.'
          : 'While it is on, Chrome shows "Portscope started debugging this browser".'}
      </span>
    </p>
  );
}
