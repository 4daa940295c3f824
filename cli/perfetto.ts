/**
 * Chrome trace-event JSON (what Perfetto and chrome://tracing open) from the model and the
 * raw facts. Each context is a process, each holding of a port by a context is a thread
 * (a port moved to another context continues on a new thread there), postMessage and
 * dispatch are slices joined by a flow arrow, each port message queue is a counter (the depth
 * the model computed: ChannelModel.queueDepth), and create/start/close/ship/receive are
 * instants. Messages counted rather than recorded (`messages-counted`) have no slices but count
 * in the queue counters. It only draws what the model says: no queue rule of its own. Pure: used
 * by the CLI and the panel.
 *
 * Format reference: the Trace Event Format document (ph X, s, f, C, i, M; ts in µs).
 */
import type { Fact } from '../protocol/facts.ts';
import type { ChannelModel, MessageRecord, PortNode } from '../panel/model/types.ts';

export type PerfettoSource = Pick<ChannelModel, 'contexts' | 'ports' | 'messages' | 'queueDepth'>;

export interface TraceEvent {
  ph: 'X' | 's' | 'f' | 'C' | 'i' | 'M';
  name: string;
  pid: number;
  tid: number;
  ts: number;
  cat?: string;
  dur?: number;
  id?: number;
  bp?: 'e';
  s?: 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

/** What happens at a port, as instants on its thread (facts that name one local port). */
const INSTANTS: Partial<Record<Fact['kind'], (f: Fact) => string>> = {
  'port-enabled': (f) => (f.kind === 'port-enabled' && f.how === 'start' ? 'start()' : 'enabled by onmessage'),
  'port-closed': () => 'close()',
  'close-event': () => 'close event',
  'port-shipped': () => 'shipped',
  'port-received': () => 'received',
  'port-collected': () => 'collected',
  messageerror: () => 'messageerror',
  'port-seen': () => 'seen',
};

/** Rank at equal timestamps: a slice opens before the flow point and instants bound to it. */
const RANK: Record<TraceEvent['ph'], number> = { M: 0, X: 1, s: 2, f: 2, i: 3, C: 4 };

export function toChromeTrace(
  model: PerfettoSource,
  facts: readonly Fact[],
  otherData: Record<string, string> = {},
): ChromeTrace {
  const t0 = startTime(model, facts);
  // Whole µs: epoch-ms doubles carry only ~0.2 µs of precision anyway.
  const us = (ms: number) => Math.round((ms - t0) * 1000);
  const events: TraceEvent[] = [];
  const meta: TraceEvent[] = [];

  const pids = new Map<string, number>();
  for (const c of model.contexts.values()) {
    const pid = pids.size + 1;
    pids.set(c.id, pid);
    meta.push({
      ph: 'M',
      name: 'process_name',
      pid,
      tid: 0,
      ts: 0,
      args: { name: `${c.kind} ${c.url}${c.observed ? '' : ' (not observed)'}` },
    });
    meta.push({ ph: 'M', name: 'process_sort_index', pid, tid: 0, ts: 0, args: { sort_index: pid } });
  }

  // One thread per (context, local port id): the place a port object lives.
  const tids = new Map<string, { pid: number; tid: number }>();
  // An unobserved holder has local id 0 for every port it holds: tell those apart by port.
  const holding = (context: string, localId: number, port = '') => `${context}\u0000${localId || port}`;
  for (const port of model.ports.values()) {
    for (const h of port.holders) {
      const pid = pids.get(h.context);
      const key = holding(h.context, h.localId, port.id);
      if (pid === undefined || tids.has(key)) continue;
      const tid = tids.size + 1;
      tids.set(key, { pid, tid });
      const where = h.localId ? `local #${h.localId}` : 'not observed';
      meta.push({
        ph: 'M',
        name: 'thread_name',
        pid,
        tid,
        ts: 0,
        args: { name: `${port.id} (${port.channel}, ${where})` },
      });
    }
  }
  const threadOf = (port: PortNode | undefined, context: string | null, at: number) => {
    if (!port || context === null) return undefined;
    let pick: number | undefined;
    for (const h of port.holders) if (h.context === context && (pick === undefined || h.since <= at)) pick = h.localId;
    return pick === undefined ? undefined : tids.get(holding(context, pick, port.id));
  };

  let flowId = 0;
  let skewedFlows = 0;
  for (const m of model.messages) {
    // A counted post has no slice: the record was made at its dispatch.
    const from = m.counted ? undefined : threadOf(model.ports.get(m.from.port), m.from.context, m.postedAt);
    const to = m.to.port ? threadOf(model.ports.get(m.to.port), m.to.context, m.dispatchedAt ?? m.postedAt) : undefined;
    if (from) {
      events.push({
        ph: 'X',
        name: 'postMessage',
        cat: 'message',
        pid: from.pid,
        tid: from.tid,
        ts: us(m.postedAt),
        dur: 1,
        args: messageArgs(m),
      });
    }
    if (to && m.dispatchedAt !== undefined) {
      const ts = us(m.dispatchedAt);
      events.push({
        ph: 'X',
        name: 'message event',
        cat: 'message',
        pid: to.pid,
        tid: to.tid,
        ts,
        dur: Math.max(1, Math.round((m.duration ?? 0) * 1000)),
        args: messageArgs(m),
      });
      // Two contexts' clocks agree only to their timers' resolution (100 µs without cross-origin
      // isolation), so a quick dispatch elsewhere can carry an earlier time than its post. An
      // arrow cannot point back in time: it is left out and counted in otherData.
      if (from && ts < us(m.postedAt)) skewedFlows++;
      else if (from) {
        const id = ++flowId;
        events.push({ ph: 's', name: 'message', cat: 'message', id, pid: from.pid, tid: from.tid, ts: us(m.postedAt) });
        events.push({ ph: 'f', bp: 'e', name: 'message', cat: 'message', id, pid: to.pid, tid: to.tid, ts });
      }
    }
  }

  // Each port message queue's depth, as the model computed it (counted messages included).
  let cutQueueChanges = 0;
  for (const port of model.ports.values()) {
    const pid = pids.get(port.context);
    const series = model.queueDepth(port.id);
    if (pid === undefined || !series) continue;
    cutQueueChanges += series.cut;
    for (const c of series.changes) {
      events.push({ ph: 'C', name: `queue ${port.id}`, pid, tid: 0, ts: us(c.time), args: { queued: c.depth } });
    }
  }

  for (const f of facts) {
    if (f.kind === 'channel-created') {
      for (const local of [f.port1, f.port2]) {
        const t = tids.get(holding(f.ctx, local));
        if (t)
          events.push({
            ph: 'i',
            s: 't',
            name: 'new MessageChannel',
            cat: 'port',
            pid: t.pid,
            tid: t.tid,
            ts: us(f.time),
          });
      }
      continue;
    }
    const label = INSTANTS[f.kind];
    if (!label || !('port' in f)) continue;
    const t = tids.get(holding(f.ctx, f.port));
    if (t) events.push({ ph: 'i', s: 't', name: label(f), cat: 'port', pid: t.pid, tid: t.tid, ts: us(f.time) });
  }

  events.sort((a, b) => a.ts - b.ts || RANK[a.ph] - RANK[b.ph]);
  nestSlices(events);
  return {
    traceEvents: [...meta, ...events],
    displayTimeUnit: 'ms',
    otherData: {
      ...otherData,
      origin: new Date(t0).toISOString(),
      ...(skewedFlows ? { flowsLeftOutForClockSkew: String(skewedFlows) } : {}),
      ...(cutQueueChanges ? { queueChangesCut: String(cutQueueChanges) } : {}),
    },
  };
}

function startTime(model: PerfettoSource, facts: readonly Fact[]): number {
  let t0 = Infinity;
  for (const f of facts) if (f.time < t0) t0 = f.time;
  for (const m of model.messages) if (m.postedAt < t0) t0 = m.postedAt;
  return Number.isFinite(t0) ? t0 : 0;
}

function messageArgs(m: MessageRecord): Record<string, unknown> {
  const args: Record<string, unknown> = {
    message: m.id,
    from: m.from.port,
    to: m.to.port,
    state: m.state,
    bytes: m.bytes,
  };
  if (m.dropReason) args.dropReason = m.dropReason;
  if (m.transferredPorts.length) args.transferred = m.transferredPorts;
  if (m.threw) args.threw = `${m.threw.name}: ${m.threw.message}`;
  return args;
}

/**
 * Slices on one thread must nest; recorded durations can overlap the next dispatch (timer
 * granularity), so a slice that would straddle its parent's end is cut at that end.
 */
function nestSlices(sorted: TraceEvent[]): void {
  const open = new Map<string, number[]>();
  for (const e of sorted) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}/${e.tid}`;
    const ends = open.get(key) ?? [];
    while (ends.length && ends[ends.length - 1] <= e.ts) ends.pop();
    const parentEnd = ends[ends.length - 1];
    if (parentEnd !== undefined && e.ts + e.dur > parentEnd) e.dur = Math.max(0, parentEnd - e.ts);
    ends.push(e.ts + e.dur);
    open.set(key, ends);
  }
}
