/**
 * The muted channels as the panel sees them, shared by every view and kept across reloads:
 * in the extension's storage.local (as the "Record while DevTools is closed" preference is),
 * in localStorage for the standalone viewer, in memory where neither exists (Node tests).
 */
import { useSyncExternalStore } from 'react';
import { createStore } from 'zustand/vanilla';
import { MutesError, NO_MUTES, parseMutes, withMute, withoutMute, type MuteReason, type Mutes } from '../mutes.ts';

export const MUTES_KEY = 'portscope.mutes';

interface MutesState {
  mutes: Mutes;
  /** Muted channels drawn anyway (greyed), after "show". */
  showMuted: boolean;
  /** Why the stored mutes or the last change were refused. */
  error: string | null;
  mute(by: MuteReason['by'], key: string): void;
  unmute(by: MuteReason['by'], key: string): void;
  setShowMuted(on: boolean): void;
}

function extensionArea(): chrome.storage.StorageArea | null {
  return typeof chrome !== 'undefined' && chrome.storage?.local ? chrome.storage.local : null;
}

function pageStorage(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null; // storage denied (opaque origin, settings)
  }
}

function save(mutes: Mutes): void {
  const area = extensionArea();
  if (area) area.set({ [MUTES_KEY]: mutes });
  else pageStorage()?.setItem(MUTES_KEY, JSON.stringify(mutes));
}

export const mutesStore = createStore<MutesState>()((set, get) => {
  const change = (next: () => Mutes) => {
    try {
      const mutes = next();
      set({ mutes, error: null });
      save(mutes);
    } catch (e) {
      if (!(e instanceof MutesError)) throw e;
      set({ error: e.message });
    }
  };
  return {
    mutes: NO_MUTES,
    showMuted: false,
    error: null,
    mute: (by, key) => change(() => withMute(get().mutes, by, key)),
    unmute: (by, key) => change(() => withoutMute(get().mutes, by, key)),
    setShowMuted: (on) => set({ showMuted: on }),
  };
});

function adopt(raw: unknown): void {
  try {
    mutesStore.setState({ mutes: parseMutes(raw), error: null });
  } catch (e) {
    if (!(e instanceof MutesError)) throw e;
    mutesStore.setState({ mutes: NO_MUTES, error: `Stored mutes ignored: ${e.message}` });
  }
}

let loaded = false;

/** Reads the stored mutes once, and follows changes made in another DevTools window. */
function load(): void {
  if (loaded) return;
  loaded = true;
  const area = extensionArea();
  if (area) {
    // Callbacks rather than promises: Firefox's `chrome` namespace takes callbacks.
    area.get(MUTES_KEY, (items) => adopt(items?.[MUTES_KEY]));
    chrome.storage.onChanged.addListener((changes, areaName) => {
      if (areaName === 'local' && MUTES_KEY in changes) adopt(changes[MUTES_KEY]!.newValue);
    });
    return;
  }
  const text = pageStorage()?.getItem(MUTES_KEY);
  if (!text) return;
  try {
    adopt(JSON.parse(text));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    mutesStore.setState({ error: `Stored mutes ignored: ${e.message}` });
  }
}

const subscribe = (listener: () => void) => mutesStore.subscribe(listener);

export function useMutes<T>(pick: (s: MutesState) => T): T {
  load();
  // The current state on the server too (zustand's hook renders the initial one there): Node tests render this way.
  const state = useSyncExternalStore(subscribe, mutesStore.getState, mutesStore.getState);
  return pick(state);
}
