/**
 * In-worker instrumentation (RuntimeConfig.inWorker), in Debian's Chromium with the built
 * extension. Every worker scenario (tests/fixtures/in-worker/scenarios.ts) runs three times —
 * plain Chromium, the extension with the default config (workers observed from outside), the
 * extension with inWorker turned on — and the three records must be identical. With inWorker
 * on, the worker's own runtime must have announced itself (a `context` fact, observed, the
 * original script URL, the ctx the page gave as `worker-created.childCtx`) and reported from
 * inside. inWorker is turned on the way the panel does it: a panel port to the background,
 * `subscribe` then `config` (extension/router.ts), from an extension page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import {
  missingClassicScript,
  underWorkerSrcSelf,
  workerScenarios,
  type WorkerScenario,
} from '../fixtures/in-worker/scenarios.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;
type WorkerCreated = Extract<Fact, { kind: 'worker-created' }>;

let server: FixtureServer;
let plain: LaunchedChromium;
let instrumented: LaunchedChromium;
let plainPage: Page;
let offPage: Page;
let onPage: Page;
let onTabId: number;
let offTabId: number;
const tabOf = (page: Page) => (page === onPage ? onTabId : offTabId);

/** What reached the background from one tab (each page of the instrumented browser is its own tab). */
async function backgroundFacts(tabId: number): Promise<Fact[]> {
  return instrumented.serviceWorker!.evaluate(
    (id) => (globalThis as unknown as { portscopeDebug: { facts(tabId: number): Fact[] } }).portscopeDebug.facts(id),
    tabId,
  );
}

async function clearBackground(): Promise<void> {
  await instrumented.serviceWorker!.evaluate(() =>
    (globalThis as unknown as { portscopeDebug: { clear(): void } }).portscopeDebug.clear(),
  );
}

/** The tab the background knows by this top document URL (the extension has no `tabs` permission). */
async function tabIdOf(url: string): Promise<number> {
  return until(`the background to know ${url}`, () =>
    instrumented.serviceWorker!.evaluate(
      (u) =>
        (globalThis as unknown as { portscopeDebug: { tabs(): { tabId: number; url: string }[] } }).portscopeDebug
          .tabs()
          .find((t) => t.url === u)?.tabId,
      url,
    ),
  );
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 6_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const contexts = (facts: Fact[]) => facts.filter((f): f is ContextFact => f.kind === 'context');

/** Loads the fixture page and waits until its context reached the background: the relay was welcomed, so its config was handed to the runtime. */
async function load(page: Page, path = '/in-worker/index.html'): Promise<void> {
  const url = server.origin + path;
  await page.goto(url);
  if (page === plainPage) return;
  await until('the page context', async () =>
    contexts(await backgroundFacts(tabOf(page))).some((c) => c.url === url) ? true : undefined,
  );
  // With inWorker on, workers are instrumented once the runtime has asked whether blob:
  // workers are allowed here (worker-csp.ts): it says so in a runtime-note.
  if (page === onPage)
    await until('the in-worker verdict', async () => {
      const all = await backgroundFacts(onTabId);
      const ctx = contexts(all).find((c) => c.url === url)?.ctx;
      return all.some(
        (f) =>
          f.kind === 'runtime-note' &&
          f.ctx === ctx &&
          (f.code === 'in-worker-ready' || f.code === 'in-worker-refused'),
      )
        ? true
        : undefined;
    });
}

async function observe(page: Page, scenario: WorkerScenario): Promise<unknown> {
  await load(page);
  try {
    return await page.evaluate(scenario.run, { origin: server.origin, ...scenario.worker });
  } catch (e) {
    return { scenarioThrew: String((e as Error).message).split('\n')[0] };
  }
}

beforeAll(async () => {
  server = await serveFixtures();
  [plain, instrumented] = await Promise.all([
    launchChromium({ extension: false }),
    launchChromium({ extension: true }),
  ]);
  // The pages load before any panel subscribes: the preference makes them record from the start.
  await recordWhileClosedChromium(instrumented.serviceWorker!);
  plainPage = await plain.context.newPage();
  offPage = await instrumented.context.newPage();
  onPage = await instrumented.context.newPage();
  const onUrl = `${server.origin}/in-worker/index.html`;
  await onPage.goto(onUrl);
  onTabId = await tabIdOf(onUrl);
  const offUrl = `${server.origin}/in-worker/index.html?off`;
  await offPage.goto(offUrl);
  offTabId = await tabIdOf(offUrl);
  // The panel's path: a panel port from an extension page, subscribed to the tab, then config.
  const panel = await instrumented.context.newPage();
  await panel.goto(`chrome-extension://${instrumented.extensionId}/extension/devtools.html`);
  await panel.evaluate((tabId) => {
    const port = chrome.runtime.connect({ name: 'portscope-panel' });
    port.postMessage({ type: 'subscribe', tabId });
    port.postMessage({ type: 'config', config: { captureStacks: false, inWorker: true } });
    (globalThis as unknown as { panelPort: unknown }).panelPort = port;
  }, onTabId);
});

afterAll(async () => {
  await Promise.all([plain?.close(), instrumented?.close()]);
  await server?.close();
});

describe('in-worker instrumentation: native, outside and inside observation agree', () => {
  for (const scenario of workerScenarios) {
    it(scenario.name, async () => {
      const native = await observe(plainPage, scenario);
      await clearBackground();
      const outside = await observe(offPage, scenario);
      expect(outside).toEqual(native);
      const offFacts = await backgroundFacts(offTabId);
      expect(
        contexts(offFacts).filter((c) => c.contextKind !== 'window'),
        'no worker speaks for itself with inWorker off',
      ).toEqual([]);
      expect(offFacts.filter((f) => f.kind === 'worker-created' && f.childCtx !== undefined)).toEqual([]);

      await clearBackground();
      const inside = await observe(onPage, scenario);
      if (process.env.PORTSCOPE_DEBUG_FACTS) console.log(scenario.name, JSON.stringify(native, null, 1).slice(0, 3000));
      expect(inside).toEqual(native);
      if (scenario.inside.length === 0) return;

      if (process.env.PORTSCOPE_DEBUG_FACTS) {
        await new Promise((r) => setTimeout(r, 1500));
        const all = await backgroundFacts(onTabId);
        console.log(
          JSON.stringify(
            all.map((f) => [
              f.kind,
              (f as { ctx?: string }).ctx?.slice(0, 6),
              f.kind === 'context'
                ? f.url + ' ' + f.contextKind
                : f.kind === 'worker-created'
                  ? f.childCtx
                  : f.kind === 'runtime-note'
                    ? f.message
                    : '',
            ]),
          ),
        );
      }
      const facts = await until('the workers to speak from inside, and their owners to announce them', async () => {
        const all = await backgroundFacts(onTabId);
        const announced = new Set(all.map((f) => (f.kind === 'worker-created' ? f.childCtx : undefined)));
        const ok = scenario.inside.every((want) =>
          contexts(all).some(
            (c) => c.contextKind === want.contextKind && c.url === server.origin + want.url && announced.has(c.ctx),
          ),
        );
        return ok ? all : undefined;
      });
      const created = facts.filter((f): f is WorkerCreated => f.kind === 'worker-created');
      for (const want of scenario.inside) {
        const ctx = contexts(facts).find(
          (c) => c.contextKind === want.contextKind && c.url === server.origin + want.url,
        )!;
        expect(ctx.observed).toBe(true);
        expect(ctx.inside).toBe('bootstrap');
        // The page announced this very ctx when it created the worker, and is its parent.
        const announcing = created.find((f) => f.childCtx === ctx.ctx);
        expect(announcing, `worker-created announcing ${want.url}`).toBeDefined();
        expect(ctx.parent).toBe(announcing!.ctx);
        expect(announcing!.url).toBe(server.origin + want.url);
        // And it reported from inside: more than its own context fact. (A nested worker the
        // scenario terminates at once may lose what it buffered after announcing itself.)
        if (want.announcedOnly) continue;
        await until(`facts from inside ${want.url}`, async () =>
          (await backgroundFacts(onTabId)).some((f) => (f as { ctx?: string }).ctx === ctx.ctx && f.kind !== 'context')
            ? true
            : undefined,
        );
      }
    });
  }

  it('a dedicated worker carrying a port: the worker runtime sees it arrive and the echo dispatched', async () => {
    await clearBackground();
    await observe(onPage, workerScenarios[0]);
    const facts = await until('the worker-side arrival', async () => {
      const all = await backgroundFacts(onTabId);
      const worker = contexts(all).find((c) => c.url.endsWith('/in-worker/w/classic.js'));
      return worker && all.some((f) => f.kind === 'port-received' && f.ctx === worker.ctx) ? all : undefined;
    });
    const worker = contexts(facts).find((c) => c.url.endsWith('/in-worker/w/classic.js'))!;
    const mine = facts.filter((f) => (f as { ctx?: string }).ctx === worker.ctx);
    expect(mine[0].kind).toBe('context');
    expect(mine.map((f) => f.seq)).toEqual(mine.map((_, i) => i + 1));
    expect(mine.find((f) => f.kind === 'port-received')).toMatchObject({ carrier: 'worker', index: 0, count: 1 });
    expect(mine.filter((f) => f.kind === 'port-posted').length).toBeGreaterThanOrEqual(1);
    // The page's post on the worker carrier and the worker's arrival share the message fingerprint.
    const arrival = mine.find((f) => f.kind === 'port-received') as Extract<Fact, { kind: 'port-received' }>;
    const posted = facts.filter(
      (f) => f.kind === 'carrier-posted' && f.ctx !== worker.ctx && f.transfer.some((t) => t.t === 'port'),
    ) as Extract<Fact, { kind: 'carrier-posted' }>[];
    expect(posted.map((p) => p.fingerprint)).toContain(arrival.fingerprint);
  });

  it('known difference: a classic worker whose script is missing gets an ErrorEvent instead of an Event', async () => {
    await load(plainPage);
    await load(offPage);
    await load(onPage);
    const [native, outside, inside] = await Promise.all(
      [plainPage, offPage, onPage].map((p) => p.evaluate(missingClassicScript, server.origin)),
    );
    expect(native).toEqual({ ctor: 'Event', message: null });
    expect(outside).toEqual(native);
    expect(inside).toMatchObject({ ctor: 'ErrorEvent', message: expect.stringContaining('NetworkError') });
  });

  it('a policy without blob: workers: the worker is built natively, the page sees no extra violation, a runtime-note says why', async () => {
    server.headers.set('/in-worker/csp.html', { 'content-security-policy': "worker-src 'self'" });
    await Promise.all([load(plainPage, '/in-worker/csp.html'), load(offPage, '/in-worker/csp.html')]);
    await load(onPage, '/in-worker/csp.html');
    const native = await plainPage.evaluate(underWorkerSrcSelf, server.origin);
    // The page's own blob: worker is refused natively too, and the page sees that one violation.
    expect(native).toMatchObject({
      report: { lib: 'w/lib.js' },
      violations: [
        { where: 'window', blocked: 'blob' },
        { where: 'document', blocked: 'blob' },
      ],
    });
    expect(await offPage.evaluate(underWorkerSrcSelf, server.origin)).toEqual(native);
    expect(await onPage.evaluate(underWorkerSrcSelf, server.origin)).toEqual(native);
    const facts = await until('the refusal note', async () => {
      const all = await backgroundFacts(onTabId);
      return all.some((f) => f.kind === 'runtime-note' && f.code === 'in-worker-refused') ? all : undefined;
    });
    const page = contexts(facts).find((c) => c.url.endsWith('/in-worker/csp.html'))!;
    const created = facts.filter((f): f is WorkerCreated => f.kind === 'worker-created' && f.ctx === page.ctx);
    // The fixture's worker and the page's own (refused) blob: worker: both observed from outside.
    expect(created.map((f) => f.childCtx)).toEqual([undefined, undefined]);
    expect(facts.filter((f) => f.kind === 'runtime-note' && f.code === 'in-worker-refused')).toHaveLength(1);
  });

  it('on reload the config applies only after the relay is welcomed: a worker made by the first script is observed from outside', async () => {
    await clearBackground();
    await onPage.goto(`${server.origin}/in-worker/early.html`);
    await onPage.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    await onPage.evaluate(() => {
      const later = new Worker('w/nested.js');
      later.postMessage('later');
    });
    const early = (all: Fact[]) => {
      const page = contexts(all).find((c) => c.url.endsWith('/in-worker/early.html'));
      return all.filter((f): f is WorkerCreated => f.kind === 'worker-created' && f.ctx === page?.ctx);
    };
    const created = await until('both worker-created facts', async () => {
      const all = early(await backgroundFacts(onTabId));
      return all.length >= 2 ? all : undefined;
    });
    // Measured: the config travels relay → background → relay → MAIN world after document_start,
    // so the first script's worker is built before it arrives. Only the later one is instrumented.
    expect(created.map((f) => f.childCtx !== undefined)).toEqual([false, true]);
  });
});
