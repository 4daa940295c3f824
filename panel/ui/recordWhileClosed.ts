/**
 * The "Record while DevTools is closed" preference as the panel sees it. Stored in
 * storage.local by the panel, followed by the background (extension/preference.ts). The
 * standalone viewer has no extension storage: the preference is then unavailable (null).
 */
import { useEffect, useState } from 'react';
import { RECORD_WHILE_CLOSED_KEY } from '../../protocol/messages.ts';

function localStorageArea(): chrome.storage.StorageArea | null {
  return typeof chrome !== 'undefined' && chrome.storage?.local ? chrome.storage.local : null;
}

/** The stored value (null while unread or without extension storage) and a way to store a new one. */
export function useRecordWhileClosed(): { value: boolean | null; save(on: boolean): void } {
  const [value, setValue] = useState<boolean | null>(null);
  useEffect(() => {
    const area = localStorageArea();
    if (!area) return;
    let live = true;
    // Callbacks rather than promises: Firefox's `chrome` namespace takes callbacks.
    area.get(RECORD_WHILE_CLOSED_KEY, (items) => {
      if (live) setValue(items?.[RECORD_WHILE_CLOSED_KEY] === true);
    });
    const changed = (changes: Record<string, chrome.storage.StorageChange>, areaName: string) => {
      if (areaName === 'local' && RECORD_WHILE_CLOSED_KEY in changes)
        setValue(changes[RECORD_WHILE_CLOSED_KEY]!.newValue === true);
    };
    chrome.storage.onChanged.addListener(changed);
    return () => {
      live = false;
      chrome.storage.onChanged.removeListener(changed);
    };
  }, []);
  return {
    value,
    save(on) {
      localStorageArea()?.set({ [RECORD_WHILE_CLOSED_KEY]: on });
    },
  };
}
