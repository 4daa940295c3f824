/**
 * The small per-tab record that must survive a background restart (session id, runtime config,
 * what the panel cleared), in storage.session: kept in memory by the browser, never on disk,
 * gone when the browser closes. Facts themselves are not stored here (10 MB quota, a write per
 * batch); relays replay them instead.
 */
import browser from 'webextension-polyfill';
import type { PersistedTab } from './router.ts';
import { ProtocolError, count, id, record, str, validateConfig } from '../protocol/validate.ts';

const PREFIX = 'portscope.tab.';

function validatePersisted(x: unknown, where: string): PersistedTab {
  const o = record(x, where);
  const cleared = record(o.cleared, `${where}.cleared`);
  const out: PersistedTab = {
    session: o.session === null ? null : id(o.session, `${where}.session`),
    url: str(o.url, `${where}.url`),
    config: validateConfig(o.config, `${where}.config`),
    cleared: {},
  };
  for (const [relay, seq] of Object.entries(cleared))
    out.cleared[id(relay, `${where}.cleared key`)] = count(seq, `${where}.cleared.${relay}`);
  return out;
}

export async function loadPersistedTabs(): Promise<Map<number, PersistedTab>> {
  const all = await browser.storage.session.get(null);
  const tabs = new Map<number, PersistedTab>();
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(PREFIX)) continue;
    const tabId = Number(key.slice(PREFIX.length));
    try {
      tabs.set(tabId, validatePersisted(value, key));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      // A record from an older build: start that tab afresh.
    }
  }
  return tabs;
}

export function persistTab(tabId: number, state: PersistedTab | null): void {
  const key = `${PREFIX}${tabId}`;
  const done = state ? browser.storage.session.set({ [key]: state }) : browser.storage.session.remove(key);
  done.catch(() => {});
}
