/** Short human names for contexts, used in every view. */
import type { ChannelModel, ContextNode, MessageRecord } from '../model/types.ts';
import { visibleText } from '../pageText.ts';

/**
 * `iframe /widget.html`; with `pageOrigin` given, a context of another origin shows it
 * (`iframe http://localhost:8102/widget.html`): a cross-origin frame must not pass for the page's own.
 */
export function contextLabel(ctx: ContextNode | undefined, id: string | null, pageOrigin?: string): string {
  if (!id) return '—';
  if (!ctx) return `context ${id.slice(0, 6)}`;
  let where = ctx.url;
  try {
    const u = new URL(ctx.url);
    const path = `${u.pathname}${u.search}`;
    const foreign = pageOrigin !== undefined && u.origin !== 'null' && u.origin !== pageOrigin;
    where = foreign ? `${u.origin}${path}` : path || u.host;
  } catch {
    // about:blank, blob: and the like stay as they are.
  }
  // A URL the parser took is percent-encoded; anything else (or an imported trace's) may hold controls.
  return visibleText(`${ctx.kind} ${where}`);
}

const pages = new WeakMap<ChannelModel, { size: number; origin: string | undefined; top: string | undefined }>();

/** The inspected page's latest top-level document, and its origin. */
function pageOf(model: ChannelModel): { origin: string | undefined; top: string | undefined } {
  const hit = pages.get(model);
  if (hit && hit.size === model.contexts.size) return hit;
  let top: ContextNode | undefined;
  for (const c of model.contexts.values()) {
    if (c.kind === 'window' && c.parent === undefined && (!top || c.createdAt >= top.createdAt)) top = c;
  }
  let origin: string | undefined;
  try {
    origin = top ? new URL(top.url).origin : undefined;
  } catch {
    origin = undefined;
  }
  const page = { size: model.contexts.size, origin, top: top?.id };
  pages.set(model, page);
  return page;
}

/** The origin of the inspected page: its latest top-level document's. */
export function pageOriginOf(model: ChannelModel): string | undefined {
  return pageOf(model).origin;
}

export function contextName(model: ChannelModel, id: string | null): string {
  return contextLabel(id ? model.contexts.get(id) : undefined, id, pageOriginOf(model));
}

/**
 * A table cell's name for a context: `page` for the inspected page's (latest) top document (the
 * From and To columns need not repeat it on every row), else the full label.
 */
export function shortContextName(model: ChannelModel, id: string | null): string {
  if (id !== null && id === pageOf(model).top) return 'page';
  return contextName(model, id);
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
