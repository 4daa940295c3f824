/** The human form of `portscope summary`: plain text columns, page strings shown as text. */
import type { Summary } from '../protocol/summary.ts';
import type { CallSite } from '../protocol/facts.ts';
import { contextNames } from './context-names.ts';
import { plural } from './plural.ts';
import { terminalCell as plain } from './terminal-text.ts';

function table(rows: string[][]): string {
  // A loop, not Math.max(...column): a trace can hold hundreds of thousands of rows.
  const widths = rows[0].map(() => 0);
  for (const r of rows) for (let i = 0; i < r.length; i++) if (r[i].length > widths[i]) widths[i] = r[i].length;
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const yes = (b: boolean) => (b ? 'yes' : '-');

/** Where every posted message went; what the model cannot place is named, never left out. */
export function totalsLine(s: Summary): string {
  const { posted, delivered, queued, dropped } = s.messages;
  const unobserved = s.unobserved ?? 0;
  const parts = [
    `${delivered} delivered`,
    `${queued} queued`,
    `${dropped} dropped`,
    `${unobserved} to a receiver not observed`,
  ];
  const rest = posted - delivered - queued - dropped - unobserved;
  if (rest > 0) parts.push(`${rest} not yet placed`);
  if (rest < 0) parts.push(`${-rest} more placed than posted (posts not observed)`);
  return `messages: ${posted} posted = ${parts.join(' + ')}`;
}

export interface SummaryTableOptions {
  /** Call sites of `s.diagnostics`, index for index (the model's diagnostics carry them). */
  sites?: readonly (CallSite | undefined)[];
}

export function summaryTable(s: Summary, options: SummaryTableOptions = {}): string {
  const name = contextNames(s);
  const out: string[] = [];
  out.push(
    [
      plural(s.contexts.length, 'context'),
      plural(s.channels, 'channel'),
      plural(s.ports.length, 'port'),
      plural(s.carriers, 'carrier message'),
      plural(s.transfers.length, 'port transfer'),
    ].join(', '),
  );
  out.push(totalsLine(s));
  if (s.counted) {
    out.push(
      `  of which counted, not recorded (no DevTools open on the tab then): ${s.counted.posted} posted, ${s.counted.delivered} delivered, ${s.counted.queued} queued`,
    );
  }
  if (s.countedCarriers) {
    out.push(
      `carrier messages without ports counted, not recorded (no DevTools open on the tab then): ${s.countedCarriers.posted} posted, ${s.countedCarriers.received} received`,
    );
  }
  const contextRows: string[][] = [['context', 'kind', 'observed']];
  for (const c of s.contexts) contextRows.push([plain(name(c.id)), plain(c.kind), yes(c.observed)]);
  out.push('', table(contextRows));
  if (s.ports.length) {
    // A column for counted messages only when some were counted, so other tables stay as they were.
    const counted = s.counted !== undefined;
    const countedCell = (c: Summary['ports'][number]['counted']) =>
      c ? `${c.posted}/${c.delivered}/${c.queued}` : '-';
    const portRows: string[][] = [
      [
        'port',
        'channel',
        'context',
        'enabled',
        'shipped',
        'closed',
        'queued',
        'posted',
        'delivered',
        'dropped',
        ...(counted ? ['counted (posted/delivered/queued)'] : []),
      ],
    ];
    for (const p of s.ports) {
      portRows.push([
        p.id,
        p.library ? `${p.channel} (${p.library})` : p.channel,
        p.seenLate ? `${plain(name(p.context))} (seen late)` : plain(name(p.context)),
        yes(p.enabled),
        yes(p.shipped),
        yes(p.closed),
        String(p.queued),
        String(p.posted),
        String(p.delivered),
        String(p.dropped),
        ...(counted ? [countedCell(p.counted)] : []),
      ]);
    }
    out.push('', table(portRows));
  }
  out.push('', s.diagnostics.length ? `${plural(s.diagnostics.length, 'diagnostic')}:` : 'no diagnostics');
  s.diagnostics.forEach((d, i) => {
    const where = [d.port, d.context === null ? null : plain(name(d.context))].filter((w) => w !== null).join(' in ');
    out.push(`  ${d.code}${where ? ` (${where})` : ''}: ${plain(d.message)}`);
    const frame = options.sites?.[i]?.stack[0];
    if (frame) out.push(`    at ${plain(frame.trim().replace(/^at /, ''))}`);
  });
  return out.join('\n');
}
