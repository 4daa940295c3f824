/**
 * The README's Workers table, the Firefox cells of the `blob:` dedicated worker: the add-on with
 * the *in-worker* setting (Firefox ESR, one browser) and `portscope record --browser firefox
 * --workers` (cli/record.ts, as the command runs it, before that browser is launched, so one
 * Firefox runs at a time). The fixture (tests/fixtures/workers-table/) makes the worker from a
 * blob of its own; its first line makes a channel and posts on it, which only a runtime in before
 * that line can report, and it echoes on the port the page hands it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { record, type RecordResult } from '../../cli/record.ts';
import { DIST } from '../support/browsers.ts';
import { firefoxTabId, launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';
import { until } from '../support/until.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;

let server: FixtureServer;
let dir: string;
let recorded: RecordResult;
let addon: LaunchedFirefox;
let addonAnswer: unknown;
let addonFacts: Fact[];

const contexts = (facts: Fact[]) => facts.filter((f): f is ContextFact => f.kind === 'context');
const ctxOf = (f: Fact) => (f as { ctx?: string }).ctx;

beforeAll(async () => {
  process.env.PORTSCOPE_DIST ??= DIST;
  server = await serveFixtures();
  dir = mkdtempSync(join(tmpdir(), 'portscope-ff-table-'));
  recorded = await record({
    url: `${server.origin}/workers-table/index.html?blob`,
    out: join(dir, 'blob.json'),
    durationMs: 2_000,
    browser: 'firefox',
    workers: true,
    headed: false,
  });

  addon = await launchFirefox({ extension: true });
  const background = addon.background!;
  await recordWhileClosedFirefox(background);
  const page = await addon.browser.newPage();
  const url = `${server.origin}/workers-table/index.html`;
  await page.goto(url);
  const tabId = await firefoxTabId(background, url);
  const facts = async () =>
    JSON.parse(await background(`JSON.stringify(globalThis.portscopeDebug.facts(${tabId}))`)) as Fact[];
  await background(`globalThis.portscopeDebug.configure(${tabId}, { captureStacks: false, inWorker: true }); 'ok'`);
  // The setting's verdict on this page: the runtime's blob: probe answered.
  await until('the in-worker verdict', facts, (all) =>
    all.some((f) => f.kind === 'runtime-note' && f.code === 'in-worker-ready'),
  );
  addonAnswer = await page.evaluate('window.blobWorker()');
  addonFacts = await settledFactsBornOnPage(facts, 150);
}, 120_000);

afterAll(async () => {
  await addon?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * "Inside, from the bootstrap": the page's one worker announced itself from its blob: URL as the
 * page's child (the ctx the page gave it when it made it), its first line's channel and post
 * came before anything else it did, and the page received its echo.
 */
function expectBlobWorkerInside(facts: Fact[]): void {
  const [top, ...workers] = contexts(facts);
  expect(top.contextKind).toBe('window');
  expect(
    workers.map((c) => [c.contextKind, c.url.startsWith(`blob:${server.origin}/`), c.observed, c.inside, c.parent]),
  ).toEqual([['worker', true, true, 'bootstrap', top.ctx]]);
  const worker = workers[0];
  const created = facts.filter((f) => f.kind === 'worker-created');
  expect(created.map((f) => f.kind === 'worker-created' && [f.ctx, f.url, f.childCtx])).toEqual([
    [top.ctx, worker.url, worker.ctx],
  ]);
  const own = facts.filter((f) => ctxOf(f) === worker.ctx).map((f) => f.kind);
  expect(own.slice(0, 3)).toEqual(['context', 'channel-created', 'port-posted']);
  expect(own).toContain('port-received');
  // The page posts nothing to itself: a message dispatched on its side is the worker's echo.
  expect(facts.some((f) => f.kind === 'message-dispatched' && f.ctx === top.ctx)).toBe(true);
}

describe("the README's Workers table in Firefox: a blob: dedicated worker", () => {
  it('the add-on with the in-worker setting: inside, from the bootstrap', () => {
    expect(addonAnswer).toBe('echo:ping');
    expectBlobWorkerInside(addonFacts);
  });

  it('portscope record --browser firefox --workers: inside, from the bootstrap', () => {
    expectBlobWorkerInside(recorded.recording.model.factLog() as Fact[]);
  });
});
