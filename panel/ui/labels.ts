/** Short human names for contexts, used in every view. */
import type { ChannelModel, ContextNode, MessageRecord } from '../model/types.ts';
import { visibleText } from '../pageText.ts';

export function contextLabel(ctx: ContextNode | undefined, id: string | null): string {
  if (!id) return '—';
  if (!ctx) return `context ${id.slice(0, 6)}`;
  let where = ctx.url;
  try {
    const u = new URL(ctx.url);
    where = `${u.pathname}${u.search}` || u.host;
  } catch {
    // about:blank, blob: and the like stay as they are.
  }
  // A URL the parser took is percent-encoded; anything else (or an imported trace's) may hold controls.
  return visibleText(`${ctx.kind} ${where}`);
}

export function contextName(model: ChannelModel, id: string | null): string {
  return contextLabel(id ? model.contexts.get(id) : undefined, id);
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
