/**
 * Firefox: the in-worker setting known at document_start. A tab's config reaches its documents
 * only after their relays said hello, so the workers a page's first script creates would stay
 * native. While some tab has the setting on, the background registers a content script
 * (`in-worker-early.js`, vite.config.ts) that hands the in-worker runtime's text to the relay
 * before any page script runs (content/relay.iife.ts), for the documents whose URL was seen to
 * allow blob: workers: a document's runtime says so in its `in-worker-ready` note once its probe
 * answered (injected/worker-csp.ts). A document whose policy refuses blob: workers would get a
 * broken worker from the bootstrap, and that cannot be known before its first script, so only
 * URLs already measured are registered: the first load after the setting is turned on probes,
 * the next one is instrumented from its first script.
 *
 * A content script cannot be registered for one tab: the same URL in another tab gets it too,
 * until that tab's own config (off) arrives (docs/in-worker.md).
 */
import type { Fact } from '../protocol/facts.ts';
import type { RuntimeConfig } from '../protocol/handshake.ts';

export const EARLY_IN_WORKER_ID = 'portscope-in-worker-early';
export const EARLY_IN_WORKER_FILE = 'in-worker-early.js';

/** Distinct document URLs remembered per tab (oldest first out), and documents' ctx → URL. */
const MAX_URLS = 64;
const MAX_CONTEXTS = 2_000;

/** The part of `browser.scripting` used here. */
export interface Scripting {
  registerContentScripts(scripts: RegisteredScript[]): Promise<unknown>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<unknown>;
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string }[]>;
}

export interface RegisteredScript {
  id: string;
  js: string[];
  matches: string[];
  runAt: 'document_start';
  allFrames: boolean;
  persistAcrossSessions: boolean;
}

/**
 * The match patterns of one document URL (its path, with or without a query), or none for a URL
 * match patterns cannot name. Match patterns carry no port: the same path on another port of
 * the host matches too.
 */
export function urlPatterns(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '' || /[*?]/.test(u.pathname)) return [];
  const base = `${u.protocol}//${u.hostname}${u.pathname}`;
  return [base, `${base}?*`];
}

interface TabEntry {
  on: boolean;
  /** Document URLs of this tab whose runtime found blob: workers allowed (insertion-ordered). */
  allowed: Set<string>;
  /** ctx → URL of this tab's documents (windows and iframes). */
  documents: Map<string, string>;
}

export class EarlyInWorker {
  private readonly tabs = new Map<number, TabEntry>();
  /** The match patterns last registered ('' for none); null until the first sync. */
  private applied: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly scripting: Scripting,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  private entry(tabId: number): TabEntry {
    let e = this.tabs.get(tabId);
    if (!e) {
      e = { on: false, allowed: new Set(), documents: new Map() };
      this.tabs.set(tabId, e);
    }
    return e;
  }

  /** A tab's config was set or restored. */
  configured(tabId: number, config: RuntimeConfig): void {
    this.entry(tabId).on = config.inWorker;
    this.sync();
  }

  /** Facts taken from a tab: documents' URLs and their in-worker verdicts. */
  delivered(tabId: number, facts: readonly Fact[]): void {
    let changed = false;
    for (const f of facts) {
      if (f.kind === 'context' && (f.contextKind === 'window' || f.contextKind === 'iframe')) {
        const e = this.entry(tabId);
        e.documents.delete(f.ctx);
        e.documents.set(f.ctx, f.url);
        if (e.documents.size > MAX_CONTEXTS) e.documents.delete(e.documents.keys().next().value!);
      } else if (f.kind === 'runtime-note' && (f.code === 'in-worker-ready' || f.code === 'in-worker-refused')) {
        const e = this.tabs.get(tabId);
        const url = e?.documents.get(f.ctx);
        if (!e || url === undefined) continue;
        e.allowed.delete(url);
        if (f.code === 'in-worker-ready') {
          e.allowed.add(url);
          if (e.allowed.size > MAX_URLS) e.allowed.delete(e.allowed.values().next().value!);
        }
        changed = true;
      }
    }
    if (changed) this.sync();
  }

  forget(tabId: number): void {
    if (this.tabs.delete(tabId)) this.sync();
  }

  /** The patterns the registration should have now: the measured URLs of the tabs with the setting on. */
  patterns(): string[] {
    const out = new Set<string>();
    for (const e of this.tabs.values())
      if (e.on) for (const url of e.allowed) for (const p of urlPatterns(url)) out.add(p);
    return [...out].sort();
  }

  /** Resolves once every registration change asked so far is applied. */
  settled(): Promise<void> {
    return this.queue.then(() => {});
  }

  /** Brings the registration in line, one change at a time, the latest state winning. */
  private sync(): void {
    const matches = this.patterns();
    const key = matches.join(' ');
    if (key === this.applied) return;
    this.applied = key;
    this.queue = this.queue.then(() => this.apply(matches)).catch((e: Error) => this.onError(e.message));
  }

  private async apply(matches: string[]): Promise<void> {
    const registered = await this.scripting.getRegisteredContentScripts({ ids: [EARLY_IN_WORKER_ID] });
    if (registered.length) await this.scripting.unregisterContentScripts({ ids: [EARLY_IN_WORKER_ID] });
    if (!matches.length) return;
    await this.scripting.registerContentScripts([
      {
        id: EARLY_IN_WORKER_ID,
        js: [EARLY_IN_WORKER_FILE],
        matches,
        runAt: 'document_start',
        allFrames: true,
        // Until the browser closes: the tabs' configs live in storage.session, which goes with it.
        persistAcrossSessions: false,
      },
    ]);
  }
}
