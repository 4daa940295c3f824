/** The human form of `portscope summary`: plain text columns, page strings shown as text. */
import type { Summary } from '../protocol/summary.ts';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** Control characters in page-controlled strings would rewrite the terminal: show them escaped. */
function plain(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const yes = (b: boolean) => (b ? 'yes' : '-');

export function summaryTable(s: Summary): string {
  const out: string[] = [];
  out.push(`${s.contexts.length} contexts, ${s.channels} channels, ${s.ports.length} ports, ${s.carriers} carrier messages, ${s.transfers.length} port transfers`);
  out.push(`messages: ${s.messages.posted} posted, ${s.messages.delivered} delivered, ${s.messages.queued} queued, ${s.messages.dropped} dropped`);
  if (s.counted) {
    out.push(`  of which counted, not recorded (no DevTools open on the tab then): ${s.counted.posted} posted, ${s.counted.delivered} delivered, ${s.counted.queued} queued`);
  }
  out.push('', table([['context', 'kind', 'observed', 'url'], ...s.contexts.map((c) => [plain(c.id), plain(c.kind), yes(c.observed), plain(c.url)])]));
  if (s.ports.length) {
    // A column for counted messages only when some were counted, so other tables stay as they were.
    const counted = s.counted !== undefined;
    const countedCell = (c: Summary['ports'][number]['counted']) => (c ? `${c.posted}/${c.delivered}/${c.queued}` : '-');
    out.push('', table([
      ['port', 'channel', 'context', 'enabled', 'shipped', 'closed', 'queued', 'posted', 'delivered', 'dropped', ...(counted ? ['counted (posted/delivered/queued)'] : [])],
      ...s.ports.map((p) => [
        p.id, p.library ? `${p.channel} (${p.library})` : p.channel, p.seenLate ? `${plain(p.context)} (seen late)` : plain(p.context), yes(p.enabled), yes(p.shipped), yes(p.closed), String(p.queued), String(p.posted), String(p.delivered), String(p.dropped),
        ...(counted ? [countedCell(p.counted)] : []),
      ]),
    ]));
  }
  out.push('', s.diagnostics.length ? `${s.diagnostics.length} diagnostics:` : 'no diagnostics');
  for (const d of s.diagnostics) out.push(`  ${d.code}${d.port ? ` (${d.port})` : ''}: ${plain(d.message)}`);
  return out.join('\n');
}
