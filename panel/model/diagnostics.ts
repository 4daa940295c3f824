/**
 * Diagnostics: the mistakes the tool exists to reveal. One diagnostic per code, port and context
 * (with a count), so 100,000 dropped messages make one line, not 100,000. Messages are rendered
 * when read, not on the hot path.
 */
import type { CallSite } from '../../protocol/facts.ts';
import type { Diagnostic, DiagnosticCode, Severity } from './types.ts';
import type { DiagnosticEntry, ModelState, PortState } from './state.ts';
import { count, nextId } from './state.ts';
import { describeContext } from './contexts.ts';
import { neverStartedClientQueues } from './clientMessageQueue.ts';

const SEVERITY: Record<DiagnosticCode, Severity> = {
  'port-never-started': 'error',
  'post-after-close': 'warning',
  'post-after-transfer': 'error',
  'doomed-message': 'error',
  'clone-error': 'error',
  'message-to-destroyed-context': 'warning',
  'queue-growing': 'warning',
  'port-leak': 'warning',
  'handler-threw': 'error',
  // Unlike a port's, the page's wish to read these messages is not seen (a listener on
  // navigator.serviceWorker), and a document still parsing will start its queue itself.
  'client-message-queue-never-started': 'warning',
};

type Render = DiagnosticEntry['render'];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Raises (or counts once more) the diagnostic `code` for a port/context. */
export function raise(
  state: ModelState,
  code: DiagnosticCode,
  port: string | null,
  context: string | null,
  time: number,
  render: Render,
  detail: Record<string, string | number> = {},
  site?: CallSite,
  occurrences = 1,
): DiagnosticEntry {
  const key = `${code}|${port}|${context}`;
  let entry = state.diagnostics.get(key);
  if (!entry) {
    const diagnostic: Diagnostic = {
      id: nextId(state, 'd'),
      code,
      severity: SEVERITY[code],
      port,
      context,
      message: '',
      hint: '',
      time,
      count: 0,
    };
    if (site) diagnostic.site = site;
    entry = { diagnostic, render, detail, active: true };
    state.diagnostics.set(key, entry);
  }
  Object.assign(entry.detail, detail);
  entry.diagnostic.count += occurrences;
  entry.active = true;
  return entry;
}

const where = (state: ModelState, e: DiagnosticEntry) => describeContext(state, e.diagnostic.context);

/**
 * Which port this is, or where it is, was inferred from several that fitted
 * (docs/model-inference.md): a diagnostic about it could be about the wrong port. Withheld, and
 * counted in `stats.inferred['withheld-diagnostic']`.
 */
function restsOnGuess(state: ModelState, port: PortState): boolean {
  if (port.lastEdge?.ambiguous !== true && port.channelPeer.lastEdge?.ambiguous !== true) return false;
  count(state.stats.inferred, 'withheld-diagnostic');
  return true;
}

export function postAfterClose(
  state: ModelState,
  port: PortState,
  context: string,
  time: number,
  site?: CallSite,
  occurrences = 1,
): void {
  if (restsOnGuess(state, port)) return;
  raise(
    state,
    'post-after-close',
    port.node.id,
    context,
    time,
    (e) => ({
      message: `${plural(e.diagnostic.count, 'message')} posted on port ${e.diagnostic.port} in ${where(state, e)} after it or its peer was closed ${e.diagnostic.count === 1 ? 'was' : 'were'} dropped`,
      hint: "stop posting once a port is closed; the other end can listen for the port's 'close' event",
    }),
    {},
    site,
    occurrences,
  );
}

export function postAfterTransfer(
  state: ModelState,
  port: PortState,
  context: string,
  time: number,
  site?: CallSite,
  occurrences = 1,
): void {
  raise(
    state,
    'post-after-transfer',
    port.node.id,
    context,
    time,
    (e) => ({
      message: `${plural(e.diagnostic.count, 'message')} posted on the old object of port ${e.diagnostic.port} in ${where(state, e)} after it was transferred ${e.diagnostic.count === 1 ? 'was' : 'were'} dropped`,
      hint: 'a transferred port is detached where it was: post on the port object the receiving context got in event.ports',
    }),
    {},
    site,
    occurrences,
  );
}

export function doomedMessage(
  state: ModelState,
  port: PortState,
  context: string,
  time: number,
  site?: CallSite,
): void {
  raise(
    state,
    'doomed-message',
    port.node.id,
    context,
    time,
    (e) => ({
      message: `${plural(e.diagnostic.count, 'message')} posted on port ${e.diagnostic.port} in ${where(state, e)} transferred the port's own entangled peer: doomed, never delivered`,
      hint: 'do not put the target port (the one entangled with the port you post on) in the transfer list',
    }),
    {},
    site,
  );
}

export function cloneError(
  state: ModelState,
  port: PortState | null,
  context: string,
  carrier: string,
  name: string,
  text: string,
  time: number,
  site?: CallSite,
): void {
  raise(
    state,
    'clone-error',
    port?.node.id ?? null,
    context,
    time,
    (e) => ({
      message: `postMessage on ${e.diagnostic.port ? `port ${e.diagnostic.port}` : `a ${e.detail.carrier} carrier`} in ${where(state, e)} threw ${e.detail.name}: ${e.detail.text}${e.diagnostic.count > 1 ? ` (${e.diagnostic.count} times)` : ''}`,
      hint: 'send only structured-cloneable data; list each transferable once, and never a detached one or the sending port itself',
    }),
    { carrier, name, text },
    site,
  );
}

export function toDestroyedContext(
  state: ModelState,
  port: PortState,
  context: string,
  reason: string,
  time: number,
  occurrences = 1,
): void {
  if (restsOnGuess(state, port)) return;
  raise(
    state,
    'message-to-destroyed-context',
    port.node.id,
    context,
    time,
    (e) => ({
      message: `${plural(e.diagnostic.count, 'message')} for port ${e.diagnostic.port} in ${where(state, e)}, which was destroyed (${e.detail.reason}), ${e.diagnostic.count === 1 ? 'was' : 'were'} dropped`,
      hint: 'close the port or stop posting when the other context goes away (pagehide, iframe removal, worker termination)',
    }),
    { reason },
    undefined,
    occurrences,
  );
}

export function handlerThrew(
  state: ModelState,
  port: PortState,
  context: string,
  name: string,
  text: string,
  time: number,
): void {
  raise(
    state,
    'handler-threw',
    port.node.id,
    context,
    time,
    (e) => ({
      message: `a 'message' handler on port ${e.diagnostic.port} in ${where(state, e)} threw ${e.detail.name}: ${e.detail.text}${e.diagnostic.count > 1 ? ` (${e.diagnostic.count} times)` : ''}`,
      hint: 'the exception went to the page as an uncaught error; the message itself was delivered',
    }),
    { name, text },
  );
}

/**
 * A queue that keeps growing: deeper than the threshold, and either not enabled (nothing can
 * drain it) or behind for a while and deeper than it was a while ago. A burst that its consumer
 * drains, or a backlog that shrinks, is not one. A port-never-started diagnostic about the same
 * port already says why its queue grows: this one is not raised beside it.
 */
function keepsGrowing(state: ModelState, port: PortState): boolean {
  const queue = port.queue;
  const depth = queue.size;
  if (depth <= state.settings.queueGrowingThreshold || port.node.closed) return false;
  if (!port.node.enabled) return true;
  const window = state.settings.queueGrowingMs;
  const oldest = queue.oldestPostedAt();
  if (oldest === null || state.clock - oldest < window) return false;
  return depth > (queue.depthSeries?.depthAt(state.clock - window) ?? 0);
}

function queueGrowing(state: ModelState, port: PortState): void {
  const since = port.queue.oldestPostedAt() ?? state.clock;
  const entry = raise(
    state,
    'queue-growing',
    port.node.id,
    port.node.context,
    since,
    (e) => ({
      message: `port ${e.diagnostic.port} in ${where(state, e)} has ${state.ports.get(e.diagnostic.port!)?.queue.size ?? 0} messages waiting (peak ${e.detail.peak}, threshold ${state.settings.queueGrowingThreshold})`,
      hint: 'the receiving side is not started or not keeping up: check that it calls start() or sets onmessage, and that its handler is fast',
    }),
    { peak: port.queue.peak },
  );
  entry.diagnostic.count = 1;
}

/** Condition diagnostics (true or not right now) are re-evaluated when diagnostics are read. */
export function evaluateConditions(state: ModelState): void {
  for (const entry of state.diagnostics.values()) {
    const code = entry.diagnostic.code;
    if (
      code === 'port-never-started' ||
      code === 'port-leak' ||
      code === 'queue-growing' ||
      code === 'client-message-queue-never-started'
    )
      entry.active = false;
  }
  for (const queue of neverStartedClientQueues(state)) {
    const entry = raise(
      state,
      'client-message-queue-never-started',
      null,
      queue.context,
      queue.since,
      (e) => ({
        message: `${where(state, e)} has ${plural(Number(e.detail.waiting), 'message')} from ${describeContext(state, String(e.detail.serviceWorker))} waiting: its client message queue (ServiceWorkerContainer) was never started`,
        hint: "call startMessages() on the page's ServiceWorkerContainer after addEventListener('message', …), or assign its onmessage (which starts it); a document starts it itself only once it has finished parsing (DOMContentLoaded)",
      }),
      { waiting: queue.waiting, serviceWorker: queue.serviceWorker },
    );
    entry.diagnostic.count = 1;
  }
  for (const port of state.ports.values()) {
    const node = port.node;
    const waiting = port.queue.size > 0;
    const neverStarted = waiting && node.listeners.message > 0 && !node.enabled && !node.closed && port.binding?.live;
    if (!neverStarted && waiting && keepsGrowing(state, port)) queueGrowing(state, port);
    if (neverStarted) {
      const entry = raise(state, 'port-never-started', node.id, node.context, port.queue.oldestPostedAt()!, (e) => ({
        message: `port ${e.diagnostic.port} in ${where(state, e)} has ${plural(state.ports.get(e.diagnostic.port!)?.queue.size ?? 0, 'message')} waiting: it has a 'message' listener but was never started`,
        hint: 'call port.start() after addEventListener, or assign port.onmessage (which starts the port)',
      }));
      entry.diagnostic.count = 1;
    }
  }
  for (const ctx of state.contexts.values()) {
    let unused = 0;
    for (const port of ctx.created)
      if (!port.used && !port.node.closed && !port.node.shipped && !port.node.collected) unused++;
    if (unused > state.settings.portLeakThreshold) {
      const entry = raise(state, 'port-leak', null, ctx.node.id, ctx.clock, (e) => ({
        message: `${where(state, e)} created ${plural(e.diagnostic.count, 'port')} that were never used nor closed (threshold ${state.settings.portLeakThreshold})`,
        hint: 'close ports you do not need (port.close()), or create channels only when you will use them',
      }));
      entry.diagnostic.count = unused;
    }
  }
}

export function renderedDiagnostics(state: ModelState): Diagnostic[] {
  evaluateConditions(state);
  const out: Diagnostic[] = [];
  for (const entry of state.diagnostics.values()) {
    if (!entry.active) continue;
    const { message, hint } = entry.render(entry);
    entry.diagnostic.message = message;
    entry.diagnostic.hint = hint;
    out.push(entry.diagnostic);
  }
  return out.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}
