/**
 * The user's "Record while DevTools is closed" preference (browser.storage.local, so it lasts
 * across browser restarts). Off by default: a tab nobody watches only counts its messages.
 */
import browser from 'webextension-polyfill';
import { RECORD_WHILE_CLOSED_KEY } from '../protocol/messages.ts';

/** Anything but `true` (absent, or a value some other build wrote) means off. */
export async function loadRecordWhileClosed(): Promise<boolean> {
  try {
    const stored = await browser.storage.local.get(RECORD_WHILE_CLOSED_KEY);
    return stored[RECORD_WHILE_CLOSED_KEY] === true;
  } catch {
    return false;
  }
}

/** The new value when a storage.onChanged event concerns the preference, else null. */
export function recordWhileClosedChange(changes: Record<string, { newValue?: unknown }>, area: string): boolean | null {
  if (area !== 'local' || !(RECORD_WHILE_CLOSED_KEY in changes)) return null;
  return changes[RECORD_WHILE_CLOSED_KEY]!.newValue === true;
}
