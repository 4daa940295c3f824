/**
 * `portscope record` (the built CLI, Debian's Chromium) on two pages whose service worker posts
 * three replies to a frame that never finishes parsing (a script the server never answers, so
 * its DOMContentLoaded never fires): in never.html the frame only listens with
 * addEventListener, so its client message queue is never started and the replies wait; in
 * control.html the frame calls navigator.serviceWorker.startMessages() and gets them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Fact } from '../../protocol/facts.ts';
import type { Summary } from '../../protocol/summary.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

type Enabled = Extract<Fact, { kind: 'client-message-queue-enabled' }>;
const BIN = resolve('cli/bin.mjs');
const env = { ...process.env, CI: 'true', PORTSCOPE_DIST: resolve(process.env.PORTSCOPE_DIST ?? 'dist') };
const dir = mkdtempSync(join(tmpdir(), 'portscope-client-queue-'));
const CODE = 'client-message-queue-never-started';
/** Long beside what the pages need (about a second): the recorder has no condition to stop on. */
const DURATION = '10000';

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 90_000 }, (error, out, err) => {
      ok({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}

let server: FixtureServer;
const traces: Record<'never' | 'control', string> = {
  never: join(dir, 'never.json'),
  control: join(dir, 'control.json'),
};
const recorded: Record<string, { code: number; err: string }> = {};

beforeAll(async () => {
  server = await serveFixtures();
  for (const page of ['never', 'control'] as const) {
    const r = await cli([
      'record',
      `${server.origin}/client-queue/${page}.html`,
      '--out',
      traces[page],
      '--duration',
      DURATION,
    ]);
    recorded[page] = { code: r.code, err: r.err };
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const factsOf = (page: 'never' | 'control') =>
  (JSON.parse(readFileSync(traces[page], 'utf8')) as { facts: Fact[] }).facts;
const summaryOf = async (page: 'never' | 'control') => {
  const r = await cli(['summary', traces[page], '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Summary;
};

/** What the trace says happened to the frame: the service worker's posts to it, and the replies dispatched in it. */
function frameTraffic(page: 'never' | 'control', framePath: string) {
  const facts = factsOf(page);
  const url = `${server.origin}/client-queue/${framePath}`;
  const frame = facts.find((f) => f.kind === 'context' && f.url === url)?.ctx;
  return {
    announced: frame !== undefined,
    posted: facts.filter((f) => f.kind === 'carrier-posted' && f.clientUrl === url).length,
    dispatched: facts.filter(
      (f) =>
        f.kind === 'carrier-received' &&
        f.ctx === frame &&
        f.carrier === 'serviceworker' &&
        f.source === 'ServiceWorker',
    ).length,
    enabled: facts
      .filter((f): f is Enabled => f.kind === 'client-message-queue-enabled' && f.ctx === frame)
      .map((f) => f.how),
  };
}

describe('portscope record: a client message queue never started', () => {
  it('both recordings were written', () => {
    expect(recorded).toEqual({
      never: { code: 0, err: expect.any(String) },
      control: { code: 0, err: expect.any(String) },
    });
  });

  it('never.html: the service worker posted three replies to the frame; none was dispatched, the queue was never enabled', () => {
    expect(frameTraffic('never', 'never-frame.html')).toEqual({
      announced: true,
      posted: 3,
      dispatched: 0,
      enabled: [],
    });
  });

  it('never.html: the diagnostic names the frame, in the words of the other diagnostics', async () => {
    const summary = await summaryOf('never');
    const found = summary.diagnostics.filter((d) => d.code === CODE);
    expect(found).toHaveLength(1);
    const frame = summary.contexts.find((c) => c.id === found[0].context);
    expect(frame?.url).toBe(`${server.origin}/client-queue/never-frame.html`);
    expect(found[0]).toMatchObject({
      port: null,
      message:
        'iframe /client-queue/never-frame.html has 3 messages from serviceworker /client-queue/sw.js waiting: its client message queue (ServiceWorkerContainer) was never started',
    });
    // The only diagnostic: the top page finished parsing, its queue was enabled by its own rule.
    expect(summary.diagnostics.map((d) => d.code)).toEqual([CODE]);
    const table = await cli(['summary', traces.never, '--fail-on', CODE]);
    expect(table.code).toBe(1);
    expect(table.out).toContain('its client message queue (ServiceWorkerContainer) was never started');
    expect(table.err).toContain(CODE);
  });

  it('control.html: the frame called startMessages(); the replies were dispatched and nothing is diagnosed', async () => {
    expect(frameTraffic('control', 'started-frame.html')).toEqual({
      announced: true,
      posted: 3,
      dispatched: 3,
      enabled: ['startMessages'],
    });
    const summary = await summaryOf('control');
    expect(summary.diagnostics).toEqual([]);
  });
});
