/**
 * `portscope record --browser firefox --workers` (cli/record.ts, as the command runs it) on a
 * page whose first inline script makes a dedicated worker, a shared worker and a service worker
 * and hands each a port (tests/fixtures/workers-cdp/first/). The recorder reads the page's
 * policy before loading it (cli/blob-policy.ts), so the runtime builds the first script's
 * workers from the bootstrap instead of waiting for its probe: each worker's first line makes a
 * channel and posts on it, which only a runtime in before that line can report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { record, type RecordResult } from '../../cli/record.ts';
import { DIST } from '../support/browsers.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;

let server: FixtureServer;
let dir: string;
let first: RecordResult;
let refused: RecordResult;
let later: RecordResult;

const run = (url: string, name: string, durationMs = 2_000) =>
  record({ url, out: join(dir, name), durationMs, browser: 'firefox', workers: true, headed: false });

beforeAll(async () => {
  // The recorder finds the runtime bundle in the build under test.
  process.env.PORTSCOPE_DIST ??= DIST;
  server = await serveFixtures();
  server.headers.set('/in-worker-firefox/csp.html', { 'content-security-policy': "worker-src 'self'" });
  dir = mkdtempSync(join(tmpdir(), 'portscope-ff-workers-'));
  // The service worker's registration and echo take longer than the other pages' workers.
  first = await run(`${server.origin}/workers-cdp/first/index.html`, 'first.json', 3_000);
  refused = await run(`${server.origin}/in-worker-firefox/csp.html`, 'csp.json');
  later = await run(`${server.origin}/in-worker-firefox/later.html`, 'later.json');
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('portscope record --browser firefox --workers', () => {
  it("the first script's dedicated and shared workers are contexts seen from inside, from their first line", () => {
    const facts = first.recording.model.factLog() as Fact[];
    const contexts = facts.filter((f): f is ContextFact => f.kind === 'context');
    const top = contexts.find((c) => c.url.endsWith('/workers-cdp/first/index.html'))!;
    for (const [suffix, kind] of [
      ['/workers-cdp/w/classic.js', 'worker'],
      ['/workers-cdp/w/shared.js', 'sharedworker'],
    ] as const) {
      const inside = contexts.filter((c) => c.url.endsWith(suffix));
      expect(inside, suffix).toHaveLength(1);
      expect([inside[0].contextKind, inside[0].observed, inside[0].inside, inside[0].parent]).toEqual([
        kind,
        true,
        'bootstrap',
        top.ctx,
      ]);
      expect(facts.some((f) => f.kind === 'channel-created' && f.ctx === inside[0].ctx)).toBe(true);
      expect(facts.some((f) => f.kind === 'port-posted' && f.ctx === inside[0].ctx)).toBe(true);
    }
    const note = facts.find((f) => f.kind === 'runtime-note' && f.ctx === top.ctx && f.code.startsWith('in-worker-'));
    expect(note && 'code' in note ? note.code : undefined).toBe('in-worker-ready');
  });

  it('every port handed to them has a known holder and state; every message to a started port was delivered', () => {
    const summary = first.recording.model.summary();
    const kinds = new Map(summary.contexts.map((c) => [c.id, c.kind]));
    expect(
      summary.contexts.map((c) => `${c.kind} ${c.url && new URL(c.url).pathname} observed=${c.observed}`).sort(),
    ).toEqual([
      // Drawn from what the page saw: no runtime reaches a service worker in Firefox (measured).
      'serviceworker  observed=false',
      'sharedworker /workers-cdp/w/shared.js observed=true',
      'window /workers-cdp/first/index.html observed=true',
      'worker /workers-cdp/w/classic.js observed=true',
    ]);
    const handed = summary.transfers.map((t) => `${kinds.get(t.from)}→${kinds.get(t.to)}`).sort();
    expect(handed).toEqual(['window→serviceworker', 'window→sharedworker', 'window→worker']);
    for (const t of summary.transfers) {
      const port = summary.ports.find((p) => p.id === t.port)!;
      const seen = kinds.get(t.to) !== 'serviceworker';
      // The service worker's echo is known only from the page's side: posted (inferred), its receipt not seen.
      if (seen)
        expect([kinds.get(port.context), port.enabled, port.posted, port.delivered]).toEqual([
          kinds.get(t.to),
          true,
          1,
          1,
        ]);
      else expect([kinds.get(port.context), port.posted, port.delivered]).toEqual(['serviceworker', 1, 0]);
      expect(first.recording.model.ports.get(port.id)!.partiallyObserved).toBe(!seen);
    }
    expect(summary.diagnostics).toEqual([]);
  });

  it('workers created after load, classic and module, and a nested worker: seen from inside from their first line', () => {
    const facts = later.recording.model.factLog() as Fact[];
    const contexts = facts.filter((f): f is ContextFact => f.kind === 'context');
    const top = contexts.find((c) => c.url.endsWith('/in-worker-firefox/later.html'))!;
    const classic = contexts.find((c) => c.url.endsWith('/workers-cdp/w/classic.js'));
    for (const [suffix, parent] of [
      ['/workers-cdp/w/classic.js', top.ctx],
      ['/workers-cdp/w/module.mjs', top.ctx],
      ['/workers-cdp/w/nested.js', classic?.ctx],
    ] as const) {
      const inside = contexts.filter((c) => c.url.endsWith(suffix));
      expect(inside, suffix).toHaveLength(1);
      expect([inside[0].contextKind, inside[0].inside, inside[0].parent]).toEqual(['worker', 'bootstrap', parent]);
      expect(facts.some((f) => f.kind === 'channel-created' && f.ctx === inside[0].ctx)).toBe(true);
      expect(facts.some((f) => f.kind === 'port-posted' && f.ctx === inside[0].ctx)).toBe(true);
    }
  });

  it("a page whose policy refuses blob: workers: read before loading, its first worker stays the page's own", () => {
    const facts = refused.recording.model.factLog() as Fact[];
    const contexts = facts.filter((f): f is ContextFact => f.kind === 'context');
    expect(contexts.map((c) => c.contextKind)).toEqual(['window']);
    const codes = facts.filter((f) => f.kind === 'runtime-note').map((f) => ('code' in f ? f.code : ''));
    expect(codes).toContain('in-worker-refused');
    // The page's own worker ran and echoed on the port it was handed (delivered to the page).
    const summary = refused.recording.model.summary();
    expect(summary.messages.delivered).toBeGreaterThanOrEqual(1);
  });
});
