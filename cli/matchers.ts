/**
 * The checks behind `expect(portscope).toHaveNoDiagnostics()`, `.toHaveDelivered()` and
 * `.toHaveNothingQueued()` (cli/playwright-test.ts), kept free of Playwright so they run on
 * any model. A failure names the port, its channel, the context by URL and a call site: what
 * a reader needs to find the line in their own code.
 */
import type { DiagnosticCode } from '../protocol/summary.ts';
import type { CallSite } from '../protocol/facts.ts';
import type { ChannelModel, PortNode } from '../panel/model/types.ts';
import { plural } from './plural.ts';
import { terminalText } from './terminal-text.ts';

export interface Verdict {
  pass: boolean;
  /** Says what was expected and what was found; `isNot` when the matcher was negated. */
  message(isNot: boolean): string;
}

/** A reporter prints the message to a terminal: page URLs and stacks must not drive it. */
function verdict(pass: boolean, message: (isNot: boolean) => string): Verdict {
  return { pass, message: (isNot) => terminalText(message(isNot)) };
}

export interface NoDiagnosticsOptions {
  /** Only these codes count (default: every code). */
  codes?: readonly DiagnosticCode[];
  /** These codes never count. */
  ignore?: readonly DiagnosticCode[];
}

export interface DeliveredOptions {
  /** A channel id (`c1`), as in the summary and the panel. */
  channel?: string;
  /** A port id (`p2`). */
  port?: string;
  /** The receiving context: its URL contains this string, or matches this pattern. */
  context?: string | RegExp;
  /** Exactly this many; when left out, at least one. */
  count?: number;
}

/** Stack frames shown under a failure. */
const FRAMES = 3;

function contextName(model: ChannelModel, id: string | null): string {
  if (id === null) return 'an unknown context';
  const node = model.contexts.get(id);
  if (!node) return `context ${id}`;
  return node.url ? `${node.kind} ${node.url}` : `${node.kind} ${id}${node.observed ? '' : ' (not observed)'}`;
}

// A line that ends in `file:line:column` is taken for a frame of the error's own stack by
// Playwright's reporter (which then points at the page instead of the test): end with words.
function siteLines(label: string, site: CallSite | undefined): string[] {
  if (!site?.stack.length) return [];
  const frames = site.stack.slice(0, FRAMES).map((f) => f.trim().replace(/^at /, ''));
  return [`      ${label}: ${frames[0]} (call site)`, ...frames.slice(1).map((f) => `        ${f} (caller)`)];
}

function portLine(model: ChannelModel, port: PortNode): string {
  const state = port.closed
    ? 'closed'
    : port.shipped && !port.enabled
      ? 'shipped'
      : port.enabled
        ? `started (${port.enabledHow ?? 'start'})`
        : 'never started';
  return `port ${port.id} (channel ${port.channel}) in ${contextName(model, port.context)}, ${state}`;
}

/** Where to look for a port: its channel's creation and the oldest message still waiting. */
function portSites(model: ChannelModel, port: PortNode): string[] {
  const channel = model.channels.get(port.channel);
  const waiting = port.portMessageQueue.length ? model.message(port.portMessageQueue[0]) : undefined;
  const lines = [
    ...siteLines('channel created', port.site ?? channel?.site),
    ...siteLines('oldest waiting message posted', waiting?.site),
  ];
  return lines.length ? lines : ['      (no call site: record with captureStacks: true)'];
}

export function noDiagnostics(model: ChannelModel, options: NoDiagnosticsOptions = {}): Verdict {
  const found = model
    .diagnostics()
    .filter((d) => (!options.codes || options.codes.includes(d.code)) && !options.ignore?.includes(d.code));
  return verdict(found.length === 0, (isNot) => {
    if (isNot) return 'expected Portscope diagnostics, found none';
    const lines = [`expected no Portscope diagnostics, found ${plural(found.length, 'diagnostic')}:`];
    for (const d of found) {
      lines.push(`  ${d.code}: ${d.message}`);
      const port = d.port === null ? undefined : model.ports.get(d.port);
      if (port) lines.push(`    ${portLine(model, port)}`);
      else if (d.context !== null) lines.push(`    in ${contextName(model, d.context)}`);
      lines.push(...(d.site ? siteLines('call site', d.site) : port ? portSites(model, port) : []));
      lines.push(`    fix: ${d.hint}`);
    }
    return lines.join('\n');
  });
}

export function delivered(model: ChannelModel, options: DeliveredOptions = {}): Verdict {
  const matches = (url: string) =>
    options.context === undefined ||
    (typeof options.context === 'string' ? url.includes(options.context) : options.context.test(url));
  const ports: PortNode[] = [];
  for (const port of model.ports.values()) {
    if (options.channel !== undefined && port.channel !== options.channel) continue;
    if (options.port !== undefined && port.id !== options.port) continue;
    if (!matches(model.contexts.get(port.context)?.url ?? '')) continue;
    ports.push(port);
  }
  let total = 0;
  for (const p of ports) total += p.delivered;
  const wanted = options.count === undefined ? 'at least 1 message' : plural(options.count, 'message');
  const pass = options.count === undefined ? total > 0 : total === options.count;
  const scope =
    [
      options.channel && `channel ${options.channel}`,
      options.port && `port ${options.port}`,
      options.context !== undefined &&
        `a context whose URL ${typeof options.context === 'string' ? `contains ${JSON.stringify(options.context)}` : `matches ${options.context}`}`,
    ]
      .filter(Boolean)
      .join(', ') || 'any port';
  return verdict(pass, (isNot) => {
    const lines = [`expected ${isNot ? 'not ' : ''}${wanted} delivered on ${scope}, found ${total}`];
    if (!ports.length)
      lines.push(
        '  no port matches',
        `  ports seen: ${[...model.ports.values()].map((p) => `${p.id} (${p.channel})`).join(', ') || 'none'}`,
      );
    for (const p of ports) {
      lines.push(`  ${portLine(model, p)}: ${p.delivered} delivered, ${p.queued} queued, ${p.dropped} dropped`);
      if (!pass && !isNot && p.queued) lines.push(...portSites(model, p));
    }
    return lines.join('\n');
  });
}

export function nothingQueued(model: ChannelModel): Verdict {
  const waiting = [...model.ports.values()].filter((p) => p.queued > 0);
  let total = 0;
  for (const p of waiting) total += p.queued;
  return verdict(waiting.length === 0, (isNot) => {
    if (isNot) return 'expected some message waiting in a port message queue, found none';
    const lines = [
      `expected no message waiting in a port message queue, found ${total} on ${plural(waiting.length, 'port')}:`,
    ];
    for (const p of waiting) {
      lines.push(`  ${portLine(model, p)}: ${plural(p.queued, 'message')} waiting`);
      lines.push(...portSites(model, p));
    }
    return lines.join('\n');
  });
}
