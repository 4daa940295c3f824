/**
 * Who may speak for which context. A relay's facts are written by a runtime that page code may
 * have reached (a same-origin parent can replace the built-ins of a frame's initial about:blank,
 * whose Window the frame's document keeps, and the runtime captures them), so the background,
 * which the page cannot reach, bounds what a source's facts can claim:
 *
 * - A `context` fact speaks for a global of the sender's frame: its origin must be the one the
 *   browser read for the relay's connection (`sender.origin`, else the origin of `sender.url`),
 *   or opaque, and its `url` must not name another origin (below).
 * - Every context belongs to the source that first spoke for it in the tab's document (its
 *   `context` fact, or, after a restart that lost it, its first fact) until its
 *   `context-destroyed`: another source's facts of that context are refused. References to other contexts (`parent`, `childCtx`, a message's
 *   source) are not facts *of* them and stay allowed: they are how the model links frames.
 *
 * Context ids are 80 random bits no page reads, so a source cannot claim a context it was not
 * told of before that context's own source speaks; a first claim, rather than "announced by
 * this source", is what lets a relay that reconnects to a restarted background (which lost its
 * memory, and maybe the relay its first batches) and the debugger's worker sessions (which the
 * router numbers itself) keep their later facts.
 */
import type { Fact } from '../protocol/facts.ts';

/** What the browser says about a connection's frame; absent for a worker session of the debugger. */
export interface SenderFrame {
  url?: string;
  origin?: string;
}

/** The part of a router's batch this rule reads and rewrites. */
export interface SentFacts {
  facts: Fact[];
  chars?: number;
  /** The texts the facts came as: no longer what is kept once a fact goes. */
  texts?: unknown;
}

/**
 * Live contexts claimed per tab document (past it, a new context's facts are refused, counted),
 * and sources remembered.
 */
export const MAX_CONTEXTS = 65_536;

const SHOWN_CHARS = 120;

/** A page-written string in an error message: bounded, on one line. */
function shown(s: string): string {
  const cut = s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS)}…` : s;
  return JSON.stringify(cut);
}

/**
 * The origin a URL determines by itself (HTML Standard, "origin" of a URL): a tuple origin for
 * http(s), ws(s) and ftp, and a blob: URL's creator's when that is one. Every other URL leaves it
 * undetermined: about:blank and about:srcdoc documents inherit their creator's, data: workers and
 * documents get a new opaque one, file: is left to the browser.
 */
export function originOfUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!/^(https?|wss?|ftp|blob):$/.test(parsed.protocol)) return undefined;
  const origin = parsed.origin;
  return origin === 'null' ? undefined : origin;
}

interface Source {
  /** The origin the source's contexts are of: the browser's word for a frame, else its first context's. */
  origin?: string;
  /** The origin of the frame's own URL, which a sandboxed (opaque-origin) document shows. */
  frameUrlOrigin?: string;
}

interface TabClaims {
  session: string;
  /** ctx → the source that speaks for it. */
  owners: Map<string, string>;
  sources: Map<string, Source>;
}

export class FactSenders {
  /** Keyed by the router's tab record: gone with it. */
  private readonly tabs = new WeakMap<object, TabClaims>();

  /**
   * Leaves in `m` the facts `source` may send, counting and describing the others through
   * `refuse`; when some go, `chars` and `texts` go too (measured, encoded again).
   */
  admit(
    tab: object,
    session: string,
    source: string,
    sender: SenderFrame | null,
    m: SentFacts,
    refuse: (n: number, error: string) => void,
  ): void {
    const claims = this.claims(tab, session);
    let from = claims.sources.get(source);
    if (!from) {
      from = sender ? frameSource(sender) : {};
      // Past the bound a relay's origin is read again from its sender at each batch; a worker
      // session's first context is then not remembered (its URLs are still checked).
      if (claims.sources.size < MAX_CONTEXTS) claims.sources.set(source, from);
    }
    let kept: Fact[] | null = null;
    for (let i = 0; i < m.facts.length; i++) {
      const fact = m.facts[i];
      const problem = this.problem(claims, source, from, fact);
      if (problem === null) {
        kept?.push(fact);
        continue;
      }
      kept ??= m.facts.slice(0, i);
      refuse(1, problem);
    }
    if (kept === null) return;
    m.facts = kept;
    delete m.chars;
    delete m.texts;
  }

  private claims(tab: object, session: string): TabClaims {
    let claims = this.tabs.get(tab);
    // A new top document: the contexts of the previous one no longer speak here.
    if (!claims || claims.session !== session) {
      claims = { session, owners: new Map(), sources: new Map() };
      this.tabs.set(tab, claims);
    }
    return claims;
  }

  /** Why `source` may not send `fact`, or null. */
  private problem(claims: TabClaims, source: string, from: Source, fact: Fact): string | null {
    const owner = claims.owners.get(fact.ctx);
    if (owner !== undefined && owner !== source)
      return `${fact.kind} fact of context ${shown(fact.ctx)}: that context is another frame's or worker's`;
    if (fact.kind === 'context') {
      const wrong = wrongOrigin(from, fact);
      if (wrong) return `context ${shown(fact.ctx)}: ${wrong}`;
      // A worker session's first context is its runtime's own, written before the worker's first line.
      if (fact.origin !== 'null') from.origin ??= fact.origin;
    }
    if (fact.kind === 'context-destroyed') {
      // A context's last fact: only live contexts are held (a long-lived page makes workers without end).
      claims.owners.delete(fact.ctx);
    } else if (owner === undefined) {
      if (claims.owners.size >= MAX_CONTEXTS)
        return `${fact.kind} fact of context ${shown(fact.ctx)}: more than ${MAX_CONTEXTS} live contexts in this tab's document`;
      claims.owners.set(fact.ctx, source);
    }
    return null;
  }
}

function frameSource(sender: SenderFrame): Source {
  const frameUrlOrigin = sender.url === undefined ? undefined : originOfUrl(sender.url);
  return { origin: sender.origin ?? frameUrlOrigin, frameUrlOrigin };
}

/**
 * Why a `context` fact's origin and URL cannot be a global of this source's frame, or null. A
 * frame's documents are of the frame's origin (about:blank and about:srcdoc inherit it), or of a
 * new opaque one when sandboxed without allow-same-origin; a worker is of its owner's origin, or
 * of a new opaque one for a data: URL (HTML Standard, "run a worker"); both show as "null".
 */
function wrongOrigin(from: Source, fact: Extract<Fact, { kind: 'context' }>): string | null {
  const opaque = fact.origin === 'null';
  if (from.origin !== undefined && !opaque && fact.origin !== from.origin)
    return `origin ${shown(fact.origin)} is not this frame's (${shown(from.origin)})`;
  const urlOrigin = originOfUrl(fact.url);
  if (urlOrigin === undefined) return null;
  // An opaque origin keeps the URL it was loaded from: the frame's own (a sandboxed document).
  if (opaque ? urlOrigin !== from.frameUrlOrigin : urlOrigin !== fact.origin)
    return `url ${shown(fact.url)} is not of origin ${shown(fact.origin)}`;
  return null;
}
