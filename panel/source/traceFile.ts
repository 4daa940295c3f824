/**
 * Traces in and out of the panel: export the model's fact log as a trace file (a Blob URL
 * and an `<a download>`), import one from a file the user picked or from a URL
 * (`?trace=` in the standalone viewer). Parsing and validation are protocol/trace.ts's.
 */
import type { Fact } from '../../protocol/facts.ts';
import {
  createTrace,
  parseTrace,
  serializeTraceChunks,
  traceFacts,
  TraceFormatError,
  type TraceMeta,
} from '../../protocol/trace.ts';
import type { ChannelModel } from '../model/types.ts';
import type { RelayStatus } from './types.ts';
import { addCounts, emptyCounts } from '../../protocol/messages.ts';

declare const __PORTSCOPE_VERSION__: string;

export class TraceLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceLoadError';
  }
}

export interface LoadedTrace {
  facts: Fact[];
  name: string;
}

export function readTraceText(text: string, name: string): LoadedTrace {
  try {
    return { facts: traceFacts(parseTrace(text)), name };
  } catch (e) {
    if (e instanceof TraceFormatError)
      throw new TraceLoadError(`${name} is not a Portscope trace we can open: ${e.message}`);
    throw e;
  }
}

export async function fetchTrace(url: string): Promise<LoadedTrace> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new TraceLoadError(`Could not fetch the trace ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!response.ok) throw new TraceLoadError(`Could not fetch the trace ${url}: HTTP ${response.status}`);
  return readTraceText(await response.text(), url);
}

function mergeCounts(...all: Record<string, number>[]): Record<string, number> {
  const out = emptyCounts();
  for (const r of all) addCounts(out, r);
  return out;
}

export function traceBlob(model: ChannelModel, pageUrl: string | null, relay: RelayStatus): Blob {
  const facts = model.factLog();
  const first = facts[0]?.time ?? Date.now();
  const last = facts.at(-1)?.time ?? first;
  const meta: TraceMeta = {
    browser: typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown',
    url: pageUrl ?? facts.find((f) => f.kind === 'context')?.url ?? '',
    startedAt: new Date(first).toISOString(),
    endedAt: new Date(last).toISOString(),
    portscopeVersion: typeof __PORTSCOPE_VERSION__ === 'string' ? __PORTSCOPE_VERSION__ : 'dev',
    dropped: mergeCounts(model.stats.droppedFacts, relay.dropped),
    evicted: { messages: model.stats.evictedMessages, facts: model.stats.evictedFacts },
  };
  // In pieces: one string of a million facts would be hundreds of megabytes at once.
  return new Blob([...serializeTraceChunks(createTrace({ meta, facts }))], { type: 'application/json' });
}

export function traceFileName(now = new Date()): string {
  return `portscope-${now.toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`;
}

/** Hands the file to the browser's download machinery. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the download reads the URL after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
