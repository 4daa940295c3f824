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
import { serveFixtures, type FixtureServer } from '../support/server.ts';

let browser: LaunchedChromium;
let server: FixtureServer;
let page: Page;

type Debug = { facts(): Fact[]; clear(): void };

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const background = () => browser.context.serviceWorkers()[0] ?? browser.serviceWorker!;
const backgroundFacts = () => background().evaluate(() => (globalThis as unknown as { portscopeDebug: Debug }).portscopeDebug.facts());

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
  let last = -1;
  let facts: Fact[] = [];
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, 150));
    facts = await backgroundFacts();
    stable = facts.length === last ? stable + 1 : 0;
    last = facts.length;
  }
  const born = new Set(facts.filter((f) => f.kind === 'context').map((f) => f.ctx));
  return facts.filter((f) => born.has(f.ctx));
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
  const L = (id: string | null) => label(model, id);
  const portLabel = (id: string) => {
    const p = model.ports.get(id)!;
    const channel = model.channels.get(p.channel)!;
    return `${L(p.context)} (channel of ${channel.createdIn === undefined ? 'nobody seen' : L(channel.createdIn)})`;
  };
  const summary = model.summary();
  return {
    contexts: [...model.contexts.values()]
      .map((c) => `${L(c.id)} ${c.framePath} observed=${c.observed}${c.parent ? ` parent=${L(c.parent)}` : ''}${c.destroyed ? ` destroyed=${c.destroyed.reason}` : ''}`)
      .sort(),
    channels: summary.channels,
    ports: [...model.ports.values()]
      .map(
        (p) =>
          `${portLabel(p.id)} enabled=${p.enabled} shipped=${p.shipped} closed=${p.closed} queued=${p.queued} posted=${p.posted} delivered=${p.delivered} dropped=${p.dropped}` +
          `${p.partiallyObserved ? ' partial' : ''} holders=${p.holders.map((h) => L(h.context).split(':')[0]).join('>')}`,
      )
      .sort(),
    messages: summary.messages,
    states: model.messages.map((m) => `${L(m.from.context)}→${m.to.context === null ? '?' : L(m.to.context)} ${m.state}${m.dropReason ? `:${m.dropReason}` : ''}${m.postObserved ? '' : ' (post inferred)'}`).sort(),
    transfers: model.transfers
      .filter((t) => t.kind === 'port')
      .map((t) => `${L(t.from)}→${L(t.to)} via ${t.carrier}${t.inferred ? ' inferred' : ''}`)
      .sort(),
    diagnostics: model.diagnostics().map((d) => `${d.code} ${L(d.context)}`).sort(),
    unmatched: model.stats.unmatched,
  };
}

function dump(name: string, model: ChannelModel, facts: Fact[]) {
  if (!process.env.PORTSCOPE_GRAPH_DUMP) return;
  console.log(name, JSON.stringify(graph(model), null, 1));
  if (process.env.PORTSCOPE_GRAPH_DUMP === 'facts') for (const f of facts) console.log(JSON.stringify({ ...f, preview: undefined, userAgent: undefined, time: undefined, site: undefined }));
}

describe('the model graph of real pages (Chromium, built extension)', () => {
  it('placeholder', async () => {
    for (const path of ['iframe.html', `iframe.html?cross=${encodeURIComponent(server.crossOrigin)}`, 'nested.html', 'worker.html', 'worker.html?module=1', 'shared.html', 'relay.html', 'bugs.html', 'lifecycle.html']) {
      const facts = await record(path);
      dump(path, modelOf(facts), facts);
    }
  });
});
