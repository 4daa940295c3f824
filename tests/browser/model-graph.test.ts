/**
 * The model's graph from real pages: each page of tests/fixtures/graph runs in Chromium with
 * the built extension; the facts that reached the background (its `portscopeDebug` hook) are
 * fed to `createModel()`, and the graph — contexts, ports, queues, messages, transfers and
 * diagnostics — must be exactly what the HTML Standard says happened on that page.
 *
 * Labels instead of run-specific ids: a context is `kind:/path` (its URL's path), a port is
 * named by its holder and its channel's creator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import type { ChannelModel } from '../../panel/model/types.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { settledFactsBornOnPage } from '../support/settled-facts.ts';

let browser: LaunchedChromium;
let server: FixtureServer;
let page: Page;

type Debug = { facts(): Fact[]; clear(): void };

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  // Nobody watches these tabs: the preference makes them record every message.
  await recordWhileClosedChromium(browser.serviceWorker!);
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const background = () => browser.context.serviceWorkers()[0] ?? browser.serviceWorker!;
const backgroundFacts = () =>
  background().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts());

/**
 * Loads a fixture page, waits for its own "done" mark, then for the facts to stop arriving
 * (batches flush on a ~50 ms timer in every context); returns the facts of the contexts born
 * on this page (the previous page's late pagehide is not part of it).
 */
async function record(path: string, origin = server.origin): Promise<Fact[]> {
  await page.goto('about:blank');
  await background().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.clear());
  await page.goto(`${origin}/graph/${path}`);
  await page.waitForFunction(() => document.documentElement.dataset.done === '1', undefined, { timeout: 10_000 });
  return settledFactsBornOnPage(backgroundFacts, 150);
}

function modelOf(facts: Fact[]): ChannelModel {
  const model = createModel();
  model.apply(facts);
  model.settle();
  return model;
}

function label(model: ChannelModel, id: string | null): string {
  if (id === null) return '?';
  const c = model.contexts.get(id);
  if (!c) return `missing:${id}`;
  return `${c.kind}:${URL.canParse(c.url) ? new URL(c.url).pathname : c.url}`;
}

/** The whole graph in run-independent words. */
function graph(model: ChannelModel) {
  const labelOf = (id: string | null) => label(model, id);
  const portLabel = (id: string) => {
    const p = model.ports.get(id)!;
    const channel = model.channels.get(p.channel)!;
    return `${labelOf(p.context)} (channel of ${channel.createdIn === undefined ? 'nobody seen' : labelOf(channel.createdIn)})`;
  };
  const summary = model.summary();
  return {
    contexts: [...model.contexts.values()]
      .map(
        (c) =>
          `${labelOf(c.id)} ${c.framePath} observed=${c.observed}${c.parent ? ` parent=${labelOf(c.parent)}` : ''}${c.destroyed ? ` destroyed=${c.destroyed.reason}` : ''}`,
      )
      .sort(),
    channels: summary.channels,
    ports: [...model.ports.values()]
      .map(
        (p) =>
          `${portLabel(p.id)} enabled=${p.enabled} shipped=${p.shipped} closed=${p.closed} queued=${p.queued} posted=${p.posted} delivered=${p.delivered} dropped=${p.dropped}` +
          `${p.partiallyObserved ? ' partial' : ''} holders=${p.holders.map((h) => labelOf(h.context).split(':')[0]).join('>')}`,
      )
      .sort(),
    messages: summary.messages,
    states: model.messages
      .map(
        (m) =>
          `${labelOf(m.from.context)}→${m.to.context === null ? '?' : labelOf(m.to.context)} ${m.state}${m.dropReason ? `:${m.dropReason}` : ''}${m.postObserved ? '' : ' (post inferred)'}`,
      )
      .sort(),
    transfers: model.transfers
      .filter((t) => t.kind === 'port')
      .map((t) => `${labelOf(t.from)}→${labelOf(t.to)} via ${t.carrier}${t.inferred ? ' inferred' : ''}`)
      .sort(),
    diagnostics: model
      .diagnostics()
      .map((d) => `${d.code} ${labelOf(d.context)}`)
      .sort(),
    unmatched: model.stats.unmatched,
  };
}

function dump(name: string, model: ChannelModel, facts: Fact[]) {
  if (!process.env.PORTSCOPE_GRAPH_DUMP) return;
  console.log(name, JSON.stringify(graph(model), null, 1));
  if (process.env.PORTSCOPE_GRAPH_DUMP === 'facts')
    for (const f of facts)
      console.log(JSON.stringify({ ...f, preview: undefined, userAgent: undefined, time: undefined, site: undefined }));
}

const W = (path: string) => `window:/graph/${path}`;
const F = (path: string) => `iframe:/graph/${path}`;

async function graphOf(path: string) {
  const facts = await record(path);
  const model = modelOf(facts);
  dump(path, model, facts);
  return { model, facts, g: graph(model) };
}

describe('the model graph of real pages (Chromium, built extension)', () => {
  it('same-origin iframe: the parent records the window carrier that ships port2 (observed, not inferred)', async () => {
    const { g, facts } = await graphOf('iframe.html');
    expect(g).toEqual({
      contexts: [
        `${F('pong.html')} top.frames[0] observed=true parent=${W('iframe.html')}`,
        `${W('iframe.html')} top observed=true`,
      ],
      channels: 1,
      ports: [
        `${F('pong.html')} (channel of ${W('iframe.html')}) enabled=true shipped=true closed=false queued=0 posted=2 delivered=2 dropped=0 holders=window>iframe`,
        `${W('iframe.html')} (channel of ${W('iframe.html')}) enabled=true shipped=false closed=false queued=0 posted=2 delivered=2 dropped=0 holders=window`,
      ],
      messages: { posted: 4, delivered: 4, queued: 0, dropped: 0 },
      states: [
        `${F('pong.html')}→${W('iframe.html')} delivered`,
        `${F('pong.html')}→${W('iframe.html')} delivered`,
        `${W('iframe.html')}→${F('pong.html')} delivered`,
        `${W('iframe.html')}→${F('pong.html')} delivered`,
      ],
      transfers: [`${W('iframe.html')}→${F('pong.html')} via window`],
      diagnostics: [],
      unmatched: {},
    });
    // The sender's own ids: the carrier fact comes from the top window and names its port2.
    const top = facts.find((f) => f.kind === 'context' && f.contextKind === 'window')!.ctx;
    const posted = facts.filter((f) => f.kind === 'carrier-posted');
    expect(
      posted.map((f) => [
        f.ctx === top,
        f.carrier,
        f.kind === 'carrier-posted' && f.target,
        f.kind === 'carrier-posted' && f.transfer,
      ]),
    ).toEqual([[true, 'window', 'top.frames[0]', [{ t: 'port', port: 2 }]]]);
  });

  it('cross-origin iframe: only the receiving side sees the transfer; the messages its port carries prove it', async () => {
    const { g, model } = await graphOf(`iframe.html?cross=${encodeURIComponent(server.crossOrigin)}`);
    expect(g).toEqual({
      contexts: [
        `${F('pong.html')} top.frames[0] observed=true parent=${W('iframe.html')}`,
        `${W('iframe.html')} top observed=true`,
      ],
      channels: 1,
      ports: [
        `${F('pong.html')} (channel of ${W('iframe.html')}) enabled=true shipped=true closed=false queued=0 posted=2 delivered=2 dropped=0 holders=window>iframe`,
        `${W('iframe.html')} (channel of ${W('iframe.html')}) enabled=true shipped=false closed=false queued=0 posted=2 delivered=2 dropped=0 holders=window`,
      ],
      messages: { posted: 4, delivered: 4, queued: 0, dropped: 0 },
      states: [
        `${F('pong.html')}→${W('iframe.html')} delivered`,
        `${F('pong.html')}→${W('iframe.html')} delivered`,
        `${W('iframe.html')}→${F('pong.html')} delivered`,
        `${W('iframe.html')}→${F('pong.html')} delivered`,
      ],
      transfers: [`${W('iframe.html')}→${F('pong.html')} via window`],
      diagnostics: [],
      unmatched: {},
    });
    expect([...model.contexts.values()].map((c) => c.origin).sort()).toEqual(
      [server.crossOrigin, server.origin].sort(),
    );
    // Inferred from the receipt, then proven by the messages (issue 17): no longer an inference.
    expect(model.stats.inferred).toEqual({});
    expect(model.transfers.filter((t) => t.kind === 'port').map((t) => t.provenBy !== undefined)).toEqual([true]);
  });

  it('nested iframes: top → middle → inner, each hop recorded by its sender', async () => {
    const { g } = await graphOf('nested.html');
    expect(g).toEqual({
      contexts: [
        `${F('middle.html')} top.frames[0] observed=true parent=${W('nested.html')}`,
        `${F('pong.html')} top.frames[0].frames[0] observed=true parent=${F('middle.html')}`,
        `${W('nested.html')} top observed=true`,
      ],
      channels: 1,
      ports: [
        `${F('pong.html')} (channel of ${W('nested.html')}) enabled=true shipped=true closed=false queued=0 posted=1 delivered=1 dropped=0 holders=window>iframe>iframe`,
        `${W('nested.html')} (channel of ${W('nested.html')}) enabled=true shipped=false closed=false queued=0 posted=1 delivered=1 dropped=0 holders=window`,
      ],
      messages: { posted: 2, delivered: 2, queued: 0, dropped: 0 },
      states: [`${F('pong.html')}→${W('nested.html')} delivered`, `${W('nested.html')}→${F('pong.html')} delivered`],
      transfers: [
        `${F('middle.html')}→${F('pong.html')} via window`,
        `${W('nested.html')}→${F('middle.html')} via window`,
      ],
      diagnostics: [],
      unmatched: {},
    });
  });

  for (const module of [false, true]) {
    it(`dedicated ${module ? 'module' : 'classic'} worker without in-worker instrumentation: drawn from outside`, async () => {
      const { g, model } = await graphOf(module ? 'worker.html?module=1' : 'worker.html');
      const worker = 'worker:/graph/echo-worker.js';
      expect(g).toEqual({
        contexts: [
          `${W('worker.html')} top observed=true`,
          `${worker} top/worker[1] observed=false parent=${W('worker.html')}`,
        ],
        channels: 1,
        ports: [
          `${W('worker.html')} (channel of ${W('worker.html')}) enabled=true shipped=false closed=false queued=0 posted=2 delivered=2 dropped=0 holders=window`,
          // Its start and the dispatches in the worker cannot be seen; its 2 echoes are known from their dispatch.
          `${worker} (channel of ${W('worker.html')}) enabled=false shipped=true closed=false queued=0 posted=2 delivered=0 dropped=0 partial holders=window>worker`,
        ],
        // The 2 messages into the worker are neither queued nor delivered as far as anyone can see.
        messages: { posted: 4, delivered: 2, queued: 0, dropped: 0 },
        states: [
          `${W('worker.html')}→? unobserved`,
          `${W('worker.html')}→? unobserved`,
          `${worker}→${W('worker.html')} delivered (post inferred)`,
          `${worker}→${W('worker.html')} delivered (post inferred)`,
        ],
        transfers: [`${W('worker.html')}→${worker} via worker`],
        diagnostics: [],
        unmatched: {},
      });
      expect(
        [...model.carriers].map((k) => [
          k.carrier,
          label(model, k.from),
          label(model, k.to),
          k.transferredPorts.length,
        ]),
      ).toEqual([['worker', W('worker.html'), worker, 1]]);
    });
  }

  it('SharedWorker: its port, and a channel port handed over it, end in the (unobserved) shared worker', async () => {
    const { g } = await graphOf('shared.html');
    const shared = 'sharedworker:/graph/shared-worker.js';
    expect(g).toEqual({
      contexts: [
        `${shared} top/worker[1] observed=false parent=${W('shared.html')}`,
        `${W('shared.html')} top observed=true`,
      ],
      channels: 2,
      ports: [
        // The worker's end of SharedWorker.port: its channel was made by the browser, not seen.
        `${shared} (channel of nobody seen) enabled=false shipped=false closed=false queued=0 posted=1 delivered=0 dropped=0 partial holders=sharedworker`,
        `${shared} (channel of ${W('shared.html')}) enabled=false shipped=true closed=false queued=0 posted=1 delivered=0 dropped=0 partial holders=window>sharedworker`,
        `${W('shared.html')} (channel of nobody seen) enabled=true shipped=false closed=false queued=0 posted=1 delivered=1 dropped=0 partial holders=window`,
        `${W('shared.html')} (channel of ${W('shared.html')}) enabled=true shipped=false closed=false queued=0 posted=1 delivered=1 dropped=0 holders=window`,
      ],
      messages: { posted: 4, delivered: 2, queued: 0, dropped: 0 },
      states: [
        `${shared}→${W('shared.html')} delivered (post inferred)`,
        `${shared}→${W('shared.html')} delivered (post inferred)`,
        `${W('shared.html')}→? unobserved`,
        `${W('shared.html')}→? unobserved`,
      ],
      transfers: [`${W('shared.html')}→${shared} via port`],
      diagnostics: [],
      unmatched: {},
    });
  });

  it('a port passed main → iframe → worker → iframe → main keeps its identity and its channel', async () => {
    const { g } = await graphOf('relay.html');
    const worker = 'worker:/graph/bounce-worker.js';
    expect(g).toEqual({
      contexts: [
        `${F('relay-child.html')} top.frames[0] observed=true parent=${W('relay.html')}`,
        `${W('relay.html')} top observed=true`,
        `${worker} top.frames[0]/worker[1] observed=false parent=${F('relay-child.html')}`,
      ],
      channels: 1,
      ports: [
        `${W('relay.html')} (channel of ${W('relay.html')}) enabled=false shipped=false closed=false queued=0 posted=1 delivered=0 dropped=0 holders=window`,
        // It went through a worker nobody observes: that leg is inferred.
        `${W('relay.html')} (channel of ${W('relay.html')}) enabled=true shipped=true closed=false queued=0 posted=0 delivered=1 dropped=0 partial holders=window>iframe>worker>iframe>window`,
      ],
      messages: { posted: 1, delivered: 1, queued: 0, dropped: 0 },
      states: [`${W('relay.html')}→${W('relay.html')} delivered`],
      transfers: [
        `${F('relay-child.html')}→${W('relay.html')} via window`,
        `${F('relay-child.html')}→${worker} via worker`,
        `${W('relay.html')}→${F('relay-child.html')} via window`,
        `${worker}→${F('relay-child.html')} via worker inferred`,
      ],
      diagnostics: [],
      unmatched: {},
    });
  });

  it('the classic mistakes: a never-started port, a post after close, a post after transfer', async () => {
    const { g, model } = await graphOf('bugs.html');
    const here = `${W('bugs.html')} (channel of ${W('bugs.html')})`;
    expect(g).toEqual({
      contexts: [`${W('bugs.html')} top observed=true`],
      channels: 4,
      ports: [
        `${here} enabled=false shipped=false closed=false queued=0 posted=1 delivered=0 dropped=0 holders=window`, // carrier.port1
        `${here} enabled=false shipped=false closed=false queued=0 posted=2 delivered=0 dropped=0 holders=window`, // forgotten.port2
        `${here} enabled=false shipped=false closed=false queued=2 posted=0 delivered=0 dropped=0 holders=window`, // forgotten.port1: 2 waiting
        `${here} enabled=false shipped=false closed=true queued=0 posted=1 delivered=0 dropped=1 holders=window`, // closing.port1
        `${here} enabled=false shipped=true closed=false queued=0 posted=2 delivered=0 dropped=1 holders=window>window`, // x.port2: old object dropped, new one sent
        `${here} enabled=true shipped=false closed=false queued=0 posted=0 delivered=0 dropped=0 holders=window`, // closing.port2
        `${here} enabled=true shipped=false closed=false queued=0 posted=0 delivered=1 dropped=0 holders=window`, // carrier.port2
        `${here} enabled=true shipped=false closed=false queued=0 posted=0 delivered=1 dropped=0 holders=window`, // x.port1
      ],
      messages: { posted: 6, delivered: 2, queued: 2, dropped: 2 },
      states: [
        `${W('bugs.html')}→? dropped:closed`,
        `${W('bugs.html')}→? dropped:shipped`,
        `${W('bugs.html')}→? queued`,
        `${W('bugs.html')}→? queued`,
        `${W('bugs.html')}→${W('bugs.html')} delivered`,
        `${W('bugs.html')}→${W('bugs.html')} delivered`,
      ],
      transfers: [`${W('bugs.html')}→${W('bugs.html')} via port`],
      diagnostics: [
        `port-never-started ${W('bugs.html')}`,
        `post-after-close ${W('bugs.html')}`,
        `post-after-transfer ${W('bugs.html')}`,
      ],
      unmatched: {},
    });
    const waiting = [...model.ports.values()].find((p) => p.queued === 2)!;
    expect(waiting.portMessageQueue.map((id) => model.message(id)!.preview)).toEqual([
      { t: 'string', v: 'one', len: 3 },
      { t: 'string', v: 'two', len: 3 },
    ]);
    expect(model.diagnostics().find((d) => d.code === 'port-never-started')!.port).toBe(waiting.id);
  });

  it('contexts come and go: an iframe removed, a worker terminated', async () => {
    const { g } = await graphOf('lifecycle.html');
    // The iframe is removed in its own load event: its announcement and its context-destroyed
    // leave through the parent's relay (its runtime hands them over at pagehide, realm.ts).
    expect(g.contexts).toEqual([
      `${F('pong.html')} top.frames[0] observed=true parent=${W('lifecycle.html')} destroyed=unload`,
      `${W('lifecycle.html')} top observed=true`,
      `worker:/graph/echo-worker.js top/worker[1] observed=false parent=${W('lifecycle.html')} destroyed=terminate`,
    ]);
  });
});
