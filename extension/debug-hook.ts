/**
 * The test build's window into the background (`globalThis.portscopeDebug`): what reached it,
 * per tab or all, in arrival order, and how. Only the test build (`dist/test/`, built with
 * PORTSCOPE_DEBUG_HOOK=1) includes this module; the extension people install does not
 * (tests/browser/build-output.test.ts checks the built files).
 */
import type { Fact } from '../protocol/facts.ts';
import type { RuntimeConfig } from '../protocol/handshake.ts';
import { addCounts, emptyCounts, type BackgroundToPanel, type DropCounts } from '../protocol/messages.ts';
import { Router, type RouterHooks } from './router.ts';
import { factsOfChunk } from './tab-log.ts';
import type { DebuggerState } from './worker-debugger.ts';

export interface Forms {
  /** Relay batches taken per form they travelled in. */
  json: number;
  objects: number;
  /** The kinds of facts that came as objects (tests check that the runtime's JSON path ran). */
  objectKinds: DropCounts;
}

export interface TabSummary {
  tabId: number;
  session: string | null;
  url: string;
  recordMessages: boolean;
  panels: number;
  inspectors: number;
}

export class DebugRouter extends Router {
  private readonly taken: Forms;

  constructor(hooks: RouterHooks) {
    const taken: Forms = { json: 0, objects: 0, objectKinds: emptyCounts() };
    super({
      ...hooks,
      accepted(form, facts) {
        hooks.accepted?.(form, facts);
        if (form === 'json') taken.json++;
        else if (facts.length) {
          taken.objects++;
          for (const f of facts) addCounts(taken.objectKinds, { [f.kind]: 1 });
        }
      },
    });
    this.taken = taken;
  }

  /** The facts the tabs' logs hold, read from the texts they keep (the log keeps no objects). */
  facts(tabId?: number): Fact[] {
    const tabs = tabId === undefined ? [...this.tabs.values()] : [this.tabs.get(tabId)].filter((t) => t !== undefined);
    const chunks = tabs.flatMap((t) => [...t.log]).sort((a, b) => a.arrival - b.arrival);
    return chunks.flatMap(factsOfChunk);
  }

  clear(): void {
    for (const tab of this.tabs.values()) this.emptyTab(tab);
  }

  tabSummaries(): TabSummary[] {
    return [...this.tabs.values()].map((t) => ({
      tabId: t.tabId,
      session: t.session,
      url: t.url,
      recordMessages: t.recording,
      panels: t.panels.size,
      inspectors: t.inspectors.size,
    }));
  }

  forms(): Forms {
    return { ...this.taken, objectKinds: { ...this.taken.objectKinds } };
  }

  tabStatus(tabId: number): BackgroundToPanel | null {
    const tab = this.tabs.get(tabId);
    return tab ? this.status(tab) : null;
  }

  /** Sets a tab's config as a panel subscribed to it would (the Firefox tests cannot open a panel page). */
  configureTab(tabId: number, config: RuntimeConfig): void {
    const tab = this.tabs.get(tabId);
    if (tab) this.configure(tab, config);
  }

  /** The "Record while DevTools is closed" preference as the router last applied it. */
  get recordingWhileClosed(): boolean {
    return this.recordWhileClosed;
  }
}

/** Puts `portscopeDebug` in the background's global; `current` is null until the background is ready. */
export function exposeDebugHook(
  current: () => DebugRouter | null,
  workerDebugger?: (tabId: number) => DebuggerState,
): void {
  (globalThis as typeof globalThis & { portscopeDebug: unknown }).portscopeDebug = {
    facts: (tabId?: number): Fact[] => current()?.facts(tabId) ?? [],
    clear: (): void => void current()?.clear(),
    status: (tabId: number) => current()?.tabStatus(tabId) ?? null,
    tabs: () => current()?.tabSummaries() ?? [],
    forms: () => current()?.forms() ?? { json: 0, objects: 0, objectKinds: {} },
    configure: (tabId: number, config: RuntimeConfig): void => void current()?.configureTab(tabId, config),
    /** Null before the background is ready. */
    recordWhileClosed: (): boolean | null => current()?.recordingWhileClosed ?? null,
    /** "See inside workers" on a tab: attached or not, what happened to its workers, the last error. */
    workerDebugger: (tabId: number): DebuggerState | null => workerDebugger?.(tabId) ?? null,
  };
}
