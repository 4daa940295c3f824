/** The stable `portscope summary --json` view of the model (protocol/summary.ts). */
import type { Summary } from '../../protocol/summary.ts';
import type { Diagnostic } from './types.ts';
import type { ModelState } from './state.ts';
import { totalsOf } from './totals.ts';

export function summarize(state: ModelState, diagnostics: readonly Diagnostic[]): Summary {
  const totals = totalsOf(state);
  const ports: Summary['ports'] = [];
  for (const port of state.ports.values()) {
    const node = port.node;
    const entry: Summary['ports'][number] = {
      id: node.id,
      channel: node.channel,
      context: node.context,
      enabled: node.enabled,
      shipped: node.shipped,
      closed: node.closed,
      queued: port.queue.size,
      posted: node.posted,
      delivered: node.delivered,
      dropped: node.dropped,
    };
    const library = state.channels.get(node.channel)?.library;
    if (library !== undefined) entry.library = library;
    if (node.seenLate) entry.seenLate = true;
    if (node.countedPosted || node.countedDelivered || port.queue.counted) {
      entry.counted = { posted: node.countedPosted, delivered: node.countedDelivered, queued: port.queue.counted };
    }
    ports.push(entry);
  }
  const transfers: Summary['transfers'] = [];
  for (const edge of state.transfers) {
    if (edge.kind === 'port' && edge.port && edge.to !== null && edge.to !== edge.from)
      transfers.push({ port: edge.port, from: edge.from, to: edge.to });
  }
  const { posted, delivered, queued: countedQueued } = totals.counted;
  const { queued, dropped, unobserved } = totals.messages;
  const summary: Summary = {
    contexts: [...state.contextNodes.values()]
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((c) => ({ id: c.id, kind: c.kind, url: c.url, observed: c.observed })),
    // Every channel seen, evicted ones included (their ports are no longer listed).
    channels: state.ids.c,
    ports,
    messages: { posted: totals.messages.posted, delivered: totals.messages.delivered, queued, dropped },
    carriers: totals.carriers,
    transfers,
    diagnostics: diagnostics.map((d) => ({ code: d.code, port: d.port, context: d.context, message: d.message })),
  };
  if (unobserved) summary.unobserved = unobserved;
  if (posted || delivered || countedQueued) summary.counted = { posted, delivered, queued: countedQueued };
  if (totals.countedCarriers.posted || totals.countedCarriers.received)
    summary.countedCarriers = { ...totals.countedCarriers };
  return summary;
}
