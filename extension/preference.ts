/**
 * The user's "Record while DevTools is closed" preference (browser.storage.local, so it lasts
 * across browser restarts). Off by default: a tab nobody watches only counts its messages.
 */
import browser from 'webextension-polyfill';
import { RECORD_WHILE_CLOSED_KEY, SEE_INSIDE_WORKERS_PREFIX } from '../protocol/messages.ts';

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

/** The tabs whose "See inside workers" is on (browser.storage.session; the panel writes it). */
export async function loadSeeInsideWorkers(): Promise<Set<number>> {
  const on = new Set<number>();
  try {
    const all = await browser.storage.session.get(null);
    for (const [key, value] of Object.entries(all)) {
      const tabId = seeInsideWorkersTab(key);
      if (tabId !== null && value === true) on.add(tabId);
    }
  } catch {
    // No session storage: the setting is off everywhere.
  }
  return on;
}

/** Per tab, the new value of each "See inside workers" change in a storage.onChanged event. */
export function seeInsideWorkersChanges(
  changes: Record<string, { newValue?: unknown }>,
  area: string,
): [tabId: number, on: boolean][] {
  if (area !== 'session') return [];
  const out: [number, boolean][] = [];
  for (const [key, change] of Object.entries(changes)) {
    const tabId = seeInsideWorkersTab(key);
    if (tabId !== null) out.push([tabId, change.newValue === true]);
  }
  return out;
}

/** The setting goes with its tab. */
export function forgetSeeInsideWorkers(tabId: number): void {
  browser.storage.session.remove(`${SEE_INSIDE_WORKERS_PREFIX}${tabId}`).catch(() => {});
}

function seeInsideWorkersTab(key: string): number | null {
  if (!key.startsWith(SEE_INSIDE_WORKERS_PREFIX)) return null;
  const tabId = Number(key.slice(SEE_INSIDE_WORKERS_PREFIX.length));
  return Number.isInteger(tabId) && tabId >= 0 ? tabId : null;
}
