/**
 * The client message queue under the recorder (the CLI route: every document and the service
 * worker instrumented from their first line through the DevTools protocol), in Debian's
 * Chromium. Each scenario of tests/fixtures/client-queue/scenarios.ts runs in a plain Chromium
 * nobody instruments and in the recorder's; what the page observes must be identical, and the
 * recording must hold what the runtime reported about each queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { driveChromiumOverPipe, type PipeDriver } from '../../cli/drive-chromium-pipe.ts';
import { Recording } from '../../cli/recording.ts';
import { CHROMIUM_ARGS, INJECTED_BUNDLE, chromiumPath } from '../support/browsers.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { SCENARIOS } from '../fixtures/client-queue/scenarios.ts';
import { until } from '../support/until.ts';

const facts = () => recording.model.factLog() as Fact[];
type Enabled = Extract<Fact, { kind: 'client-message-queue-enabled' }>;
type ContextFact = Extract<Fact, { kind: 'context' }>;
const contextsAt = (path: string) =>
  facts().filter((f): f is ContextFact => f.kind === 'context' && f.url.endsWith(path));
const neverFrames = () => contextsAt('/client-queue/never-frame.html');

const script = (body: string) => `(async () => {${body}\n})()`;

let server: FixtureServer;
let plain: Browser;
let recorder: PipeDriver;
const recording = new Recording();
const native: Record<string, unknown> = {};
const instrumented: Record<string, unknown> = {};

beforeAll(async () => {
  server = await serveFixtures();
  plain = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  recorder = await driveChromiumOverPipe({
    runtimeBundle: INJECTED_BUNDLE,
    headed: false,
    loadTimeoutMs: 30_000,
    onBatch: (m) => recording.receive(m),
  });
  for (const name of Object.keys(SCENARIOS)) {
    // A fresh browser context per native run, so one scenario's service worker does not answer another.
    const context = await plain.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/client-queue/index.html`);
      native[name] = await page.evaluate(script(SCENARIOS[name]));
    } finally {
      await context.close();
    }
    await recorder.open(`${server.origin}/client-queue/index.html`);
    const framesBefore = neverFrames().length;
    instrumented[name] = await recorder.evaluate(script(SCENARIOS[name]));
    // The frame's runtime announces its real URL with its next batch: let it arrive before the
    // next scenario navigates away (what a navigation cuts off is not what is tested here).
    if (SCENARIOS[name].includes("frameOf('never-frame.html')"))
      await until(
        'the frame announced',
        async () => neverFrames().length,
        (n) => n === framesBefore + 1,
      );
    const pages = Object.keys(instrumented).length;
    await until(
      'the page announced',
      async () => contextsAt('/client-queue/index.html').length,
      (n) => n === pages,
    );
  }
  await recorder.open('about:blank');
  await recording.settle();
});

afterAll(async () => {
  await recorder?.close();
  await plain?.close();
  await server?.close();
});

describe('the client message queue, natively and under the recorder: what the page observes is identical', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(name, () => {
      expect(instrumented[name]).toEqual(native[name]);
      expect((native[name] as { ok: boolean }).ok).toBe(true);
    });
  }

  it('the frame still parsing got nothing until startMessages(), then every reply in order', () => {
    const [, queued] = Object.keys(SCENARIOS);
    expect(native[queued]).toMatchObject({
      before: [],
      readyState: 'loading',
      after: ['reply 1', 'reply 2', 'reply 3'],
    });
  });
});

describe('what the recorder reported about each client message queue', () => {
  const enablings = (ctx: string) =>
    facts().filter((f): f is Enabled => f.kind === 'client-message-queue-enabled' && f.ctx === ctx);

  it("each document that finished parsing: enabled by the document's rule, once", () => {
    const tops = contextsAt('/client-queue/index.html');
    expect(tops).toHaveLength(Object.keys(SCENARIOS).length);
    for (const top of tops) expect(enablings(top.ctx).map((f) => f.how)).toEqual(['document']);
  });

  it('the frames that never finished parsing: enabled by startMessages() where it was called, never otherwise', () => {
    const frames = neverFrames();
    expect(frames).toHaveLength(2);
    expect(frames.map((f) => enablings(f.ctx).map((e) => e.how))).toEqual([['startMessages'], []]);
  });

  it("the service worker's Client#postMessage names its client", () => {
    const posts = facts().filter(
      (f): f is Extract<Fact, { kind: 'carrier-posted' }> => f.kind === 'carrier-posted' && f.target === 'Client',
    );
    const toFrames = posts.filter((f) => f.clientUrl === `${server.origin}/client-queue/never-frame.html`);
    // Two frames said hello, three replies each.
    expect(toFrames).toHaveLength(6);
    expect(new Set(posts.map((f) => f.clientType))).toEqual(new Set(['window']));
  });

  it('the frame whose queue stayed disabled is diagnosed only where the facts prove it: two frames share its URL, so unknown', () => {
    // The second frame (never started) and the first (started) have one URL: the model cannot
    // tell which client the service worker posted to, and says nothing.
    expect(recording.model.diagnostics().filter((d) => d.code === 'client-message-queue-never-started')).toEqual([]);
  });
});
