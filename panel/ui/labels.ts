/** Short human names for contexts, used in every view. */
import type { ChannelModel, ContextNode, MessageRecord } from '../model/types.ts';
import { visibleText } from '../pageText.ts';

/**
 * `kind path`, with the origin in front of the path when it differs from the top page's
 * (`pageOrigin`): a cross-origin widget must not read as one of the page's own frames.
 */
export function contextLabel(
  ctx: ContextNode | undefined,
  id: string | null,
  pageOrigin: string | null = null,
): string {
  if (!id) return '—';
  if (!ctx) return `context ${id.slice(0, 6)}`;
  let where = ctx.url;
  // A context's own origin when it told one, else its URL's (an imported trace may not carry it).
  let foreign = pageOrigin !== null && ctx.origin !== '' && ctx.origin !== pageOrigin;
  try {
    const u = new URL(ctx.url);
    if (ctx.origin === '') foreign = pageOrigin !== null && u.origin !== pageOrigin;
    const path = `${u.pathname}${u.search}`;
    // The URL's origin is the one worth naming, unless it is the page's (an opaque origin is said below).
    where = foreign && u.origin !== 'null' && u.origin !== pageOrigin ? `${u.origin}${path}` : path || u.host;
  } catch {
    // about:blank, blob: and the like stay as they are.
  }
  // A sandboxed document's origin is opaque even where its URL looks like the page's.
  if (foreign && ctx.origin === 'null') where += ' (opaque origin)';
  // A URL the parser took is percent-encoded; anything else (or an imported trace's) may hold controls.
  return visibleText(`${ctx.kind} ${where}`);
}

const pages = new WeakMap<ChannelModel, { revision: number; origin: string | null; top: string | undefined }>();

/** The top page: the live top-level window (the newest one when several), its id and origin. */
function pageOf(model: ChannelModel): { origin: string | null; top: string | undefined } {
  const cached = pages.get(model);
  if (cached && cached.revision === model.revision) return cached;
  let top: ContextNode | undefined;
  for (const c of model.contexts.values()) {
    if (c.kind !== 'window' || c.parent !== undefined) continue;
    const live = !c.destroyed;
    if (!top || (!!top.destroyed && live) || (!top.destroyed === live && c.createdAt >= top.createdAt)) top = c;
  }
  const page = { revision: model.revision, origin: top?.origin || null, top: top?.id };
  pages.set(model, page);
  return page;
}

/** The top page's origin. */
export function pageOrigin(model: ChannelModel): string | null {
  return pageOf(model).origin;
}

export function contextName(model: ChannelModel, id: string | null): string {
  return contextLabel(id ? model.contexts.get(id) : undefined, id, pageOrigin(model));
}

/**
 * A table cell's name for a context: `page` for the top page's document (the From and To
 * columns need not repeat it on every row), else the full label.
 */
export function shortContextName(model: ChannelModel, id: string | null): string {
  if (id !== null && id === pageOf(model).top) return 'page';
  return contextName(model, id);
}

/** `1 channel`, `1,324 messages`: a count and its noun, as every view writes them. */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Milliseconds relative to the first fact of the session, e.g. "1.234 s". */
export function formatTime(t: number, origin: number): string {
  const ms = t - origin;
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}

/** The time every relative time is measured from: the first context's creation. */
export function timeOrigin(model: ChannelModel): number {
  let min = Infinity;
  for (const c of model.contexts.values()) min = Math.min(min, c.createdAt);
  if (min === Infinity && model.messages.length) min = model.messages[0]!.postedAt;
  return min === Infinity ? 0 : min;
}

/** Where a message was (or will be) dispatched: the dispatching context, else the receiving port's holder. */
export function receiverContext(model: ChannelModel, m: MessageRecord): string | null {
  return m.to.context ?? (m.to.port ? (model.ports.get(m.to.port)?.context ?? null) : null);
}
