/** Structural checks of a Chrome trace-event file, shared by the Node and browser tests. */
import type { ChromeTrace } from '../../../cli/perfetto.ts';

/** Returns every problem found; an empty list means the file is structurally sound. */
export function chromeTraceProblems(trace: ChromeTrace): string[] {
  const problems: string[] = [];
  const processNames = new Set<number>();
  const threadNames = new Set<string>();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') processNames.add(e.pid);
    if (e.name === 'thread_name') threadNames.add(`${e.pid}/${e.tid}`);
  }
  const last = new Map<string, number>();
  const flows = new Map<number, { s: number[]; f: number[] }>();
  const open = new Map<string, number[]>();
  trace.traceEvents.forEach((e, i) => {
    if (e.ph === 'M') return;
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) problems.push(`event ${i}: bad ts ${e.ts}`);
    if (!processNames.has(e.pid)) problems.push(`event ${i}: pid ${e.pid} has no process_name`);
    const thread = `${e.pid}/${e.tid}`;
    if (e.ph !== 'C' && !threadNames.has(thread)) problems.push(`event ${i}: thread ${thread} has no thread_name`);
    const key = e.ph === 'C' ? `${e.pid}/C:${e.name}` : thread;
    if ((last.get(key) ?? -Infinity) > e.ts) problems.push(`event ${i}: ts ${e.ts} goes back on ${key}`);
    last.set(key, e.ts);
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || e.dur < 0) problems.push(`event ${i}: bad dur`);
      const ends = open.get(thread) ?? [];
      while (ends.length && ends[ends.length - 1] <= e.ts) ends.pop();
      if (ends.length && e.ts + (e.dur ?? 0) > ends[ends.length - 1])
        problems.push(`event ${i}: slice straddles its parent's end`);
      ends.push(e.ts + (e.dur ?? 0));
      open.set(thread, ends);
    }
    if (e.ph === 's' || e.ph === 'f') {
      if (typeof e.id !== 'number') problems.push(`event ${i}: flow without id`);
      const pair = flows.get(e.id!) ?? { s: [], f: [] };
      pair[e.ph].push(e.ts);
      flows.set(e.id!, pair);
      if (e.ph === 'f' && e.bp !== 'e') problems.push(`event ${i}: flow end not bound to its enclosing slice`);
    }
    if (e.ph === 'C' && (typeof e.args?.queued !== 'number' || (e.args.queued as number) < 0))
      problems.push(`event ${i}: bad counter value`);
  });
  for (const [id, p] of flows) {
    if (p.s.length !== 1 || p.f.length !== 1) problems.push(`flow ${id}: ${p.s.length} starts, ${p.f.length} ends`);
    else if (p.s[0] > p.f[0]) problems.push(`flow ${id}: ends before it starts`);
  }
  return problems;
}
