/** Routing logic with stand-in ports (the browser path is tested for real in tests/browser/relay.test.ts). */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import type { FactsChunk } from '../../../protocol/messages.ts';
import type { PersistedTab } from '../../../extension/router.ts';
import { DebugRouter } from '../../../extension/debug-hook.ts';
import { StandInPort } from './stand-in-port.ts';

const ORIGIN = 'chrome-extension://abc/';
let n = 0;
const fact = (ctx = 'c'): Fact => ({ kind: 'port-closed', seq: ++n, time: 0, ctx, port: 1 });

function setup(cap = 1_000, capChars?: number) {
  const persisted = new Map<number, PersistedTab | null>();
  const resyncs: number[] = [];
  const router = new DebugRouter({
    extensionOrigin: ORIGIN,
    cap,
    capChars,
    statusIntervalMs: 0,
    resync: (t) => resyncs.push(t),
    persist: (t, s) => persisted.set(t, s),
  });
  const relay = (
    tabId: number,
    relayId: string,
    frameId = 0,
    session: string | null = null,
    lastSeq = 0,
    firstRetained = lastSeq + 1,
  ) => {
    const port = new StandInPort('portscope-content', { tab: { id: tabId }, frameId, url: 'https://page.test/' });
    router.connectContent(port);
    port.receive({
      type: 'hello',
      relay: relayId,
      session,
      url: `https://page.test/${relayId}`,
      top: frameId === 0,
      lastSeq,
      firstRetained,
    });
    return port;
  };
  const panel = (tabId: number, cursor?: Record<string, number>) => {
    const port = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
    router.connectPanel(port);
    port.receive({ type: 'subscribe', tabId, cursor });
    return port;
  };
  return { router, relay, panel, persisted, resyncs };
}

const factsOf = (p: StandInPort) => p.of('facts').flatMap((m: FactsChunk) => m.facts);

describe('Router', () => {
  it('welcomes a relay, acknowledges batches, and forwards them to the panels of that tab only', () => {
    const { relay, panel } = setup();
    const a = relay(1, 'ra');
    const b = relay(2, 'rb');
    expect(a.of('welcome')).toEqual([
      {
        type: 'welcome',
        session: 'ra',
        resumeAfter: 0,
        config: { captureStacks: false, inWorker: false },
        recordMessages: false,
      },
    ]);
    const pa = panel(1);
    const pb = panel(2);
    a.receive({ type: 'batch', seq: 1, facts: [fact('A'), fact('A')] });
    b.receive({ type: 'batch', seq: 1, facts: [fact('B')] });
    expect(a.of('ack')).toEqual([{ type: 'ack', seq: 1 }]);
    expect(factsOf(pa).map((f) => f.ctx)).toEqual(['A', 'A']);
    expect(factsOf(pb).map((f) => f.ctx)).toEqual(['B']);
    expect(pa.of('session')).toEqual([{ type: 'session', tabId: 1, session: 'ra', url: 'https://page.test/ra' }]);
  });

  it('ignores replays it already holds and serves late panels the buffer after their cursor', () => {
    const { relay, panel } = setup();
    const a = relay(1, 'ra');
    a.receive({ type: 'batch', seq: 1, facts: [fact()] });
    a.receive({ type: 'batch', seq: 2, facts: [fact()] });
    a.receive({ type: 'batch', seq: 1, facts: [fact()] });
    expect(a.of('ack').map((m: { seq: number }) => m.seq)).toEqual([1, 2, 1]);
    expect(factsOf(panel(1))).toHaveLength(2);
    expect(factsOf(panel(1, { ra: 1 }))).toHaveLength(1);
    // The same relay reconnecting: resume after what the background has.
    const again = relay(1, 'ra', 0, 'ra', 2);
    expect(again.of('welcome')[0].resumeAfter).toBe(2);
  });

  it('starts a session when the top frame has a new document, and drops the old buffer', () => {
    const { relay, panel, persisted } = setup();
    const p = panel(1);
    const first = relay(1, 'r1');
    first.receive({ type: 'batch', seq: 1, facts: [fact()] });
    const sub = relay(1, 'child', 5, 'r1');
    sub.receive({ type: 'batch', seq: 1, facts: [fact()] });
    relay(1, 'r2');
    expect(p.of('session').map((m: { session: string }) => m.session)).toEqual(['r1', 'r2']);
    expect(factsOf(panel(1))).toHaveLength(0);
    // A late batch of the old document's iframe is acknowledged but not kept.
    sub.receive({ type: 'batch', seq: 2, facts: [fact()] });
    expect(sub.of('ack').at(-1)).toEqual({ type: 'ack', seq: 2 });
    expect(factsOf(panel(1))).toHaveLength(0);
    expect(persisted.get(1)?.session).toBe('r2');
  });

  it('counts the facts of an old document that arrive after the new session began (once, replays not again)', () => {
    const { relay, panel } = setup();
    const sub = relay(1, 'child', 5, 'r1');
    relay(1, 'r1');
    sub.receive({ type: 'batch', seq: 1, facts: [fact()] });
    relay(1, 'r2');
    sub.receive({ type: 'batch', seq: 2, facts: [fact(), fact(), fact()], dropped: { 'port-posted': 2 } });
    sub.receive({ type: 'batch', seq: 2, facts: [fact(), fact(), fact()] });
    const late = panel(1);
    expect(factsOf(late)).toHaveLength(0);
    expect(late.of('status').at(-1)).toMatchObject({ dropped: { 'stale-session': 3, 'port-posted': 2 }, buffered: 0 });
  });

  it('bounds the tab buffer and reports evictions, relay drops and rejections in status', () => {
    const { relay, panel } = setup(3);
    const a = relay(1, 'ra');
    a.receive({ type: 'batch', seq: 1, facts: [fact(), fact()], dropped: { 'port-posted': 7 } });
    a.receive({ type: 'batch', seq: 2, facts: [fact(), fact(), { kind: 'bogus' }] });
    a.receive({ type: 'nonsense' });
    const late = panel(1);
    expect(factsOf(late)).toHaveLength(3);
    const status = late.of('status').at(-1);
    expect(status).toMatchObject({
      dropped: { 'port-posted': 7 },
      evicted: { 'port-closed': 1 },
      buffered: 3,
      rejected: 2,
    });
    expect(status.lastError).toMatch(/^message\.type: expected one of hello\|batch\|json-batch, got "nonsense"$/);
  });

  it('bounds the tab buffer in characters too: large facts are evicted oldest first, counted, the newest kept', () => {
    const { router, relay, panel } = setup(50_000, 100_000);
    const a = relay(1, 'ra');
    const big = (i: number) => ({
      kind: 'port-posted',
      seq: i,
      time: i,
      ctx: 'c',
      port: 1,
      msg: i,
      preview: {
        t: 'array',
        len: 200,
        items: Array.from({ length: 200 }, () => ({ t: 'string', v: 'x'.repeat(120), len: 120 })),
      },
      bytes: 1,
      fingerprint: 'f',
      transfer: [],
      outcome: 'sent',
    });
    let seq = 0;
    for (let batch = 1; batch <= 40; batch++) {
      const facts = [big(++seq), big(++seq)];
      // Half the batches as the runtime's JSON texts, half as objects: both are measured.
      if (batch % 2) a.receive({ type: 'json-batch', seq: batch, json: [{ json: JSON.stringify(facts), count: 2 }] });
      else a.receive({ type: 'batch', seq: batch, facts });
    }
    const one = JSON.stringify(big(1)).length; // about 30,000 characters
    const late = panel(1);
    const kept = factsOf(late);
    // Before: all 80 facts (2.4 M characters) stayed, bounded only by the count of 50,000.
    expect(kept.length).toBeLessThanOrEqual(Math.ceil(100_000 / one) + 2);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.at(-1)!.seq).toBe(80);
    const status = late.of('status').at(-1);
    expect(status).toMatchObject({ evicted: { 'port-posted': 80 - kept.length }, buffered: kept.length });
    expect(router.facts(1)).toHaveLength(kept.length);
  });

  it('asks the relays of a tab to resync when a panel subscribes to a tab this background has not heard from', () => {
    const { panel, resyncs } = setup();
    panel(7);
    panel(7);
    expect(resyncs).toEqual([7]);
  });

  it('clear tells relays to forget, the other panels to cut, and survives a restart (cleared marks persist)', () => {
    const first = setup();
    const a = first.relay(1, 'ra');
    a.receive({ type: 'batch', seq: 1, facts: [fact()] });
    const p = first.panel(1);
    const other = first.panel(1);
    p.receive({ type: 'clear', tabId: 1 });
    expect(a.of('forget')).toEqual([{ type: 'forget', seq: 1 }]);
    // The panel that cleared has cut its own view already: told again, it would cut a second time.
    expect(p.of('cleared')).toHaveLength(0);
    expect(other.of('cleared')).toHaveLength(1);
    // A new background incarnation hydrated from the persisted record: the relay replays from 0, batch 1 stays cleared.
    const second = setup();
    second.router.hydrate(1, first.persisted.get(1)!);
    const again = second.relay(1, 'ra', 0, 'ra', 2, 1);
    expect(again.of('welcome')[0].resumeAfter).toBe(1);
    again.receive({ type: 'batch', seq: 1, facts: [fact()] });
    again.receive({ type: 'batch', seq: 2, facts: [fact()] });
    expect(factsOf(second.panel(1))).toHaveLength(1);
  });

  it('clear keeps the log and marks the cut: a panel that subscribes later gets it where it fell', () => {
    const { relay, panel, router } = setup();
    const a = relay(1, 'ra');
    a.receive({ type: 'batch', seq: 1, facts: [fact('before')] });
    a.receive({ type: 'batch', seq: 2, facts: [fact('before')] });
    panel(1).receive({ type: 'clear', tabId: 1 });
    a.receive({ type: 'batch', seq: 3, facts: [fact('after')] });
    // Before: the log was emptied, and a later panel started without the structure before the cut.
    expect(router.facts(1).map((f) => f.ctx)).toEqual(['before', 'before', 'after']);
    const late = panel(1);
    const stream = late.sent
      .filter((m) => m.type === 'facts' || m.type === 'cleared')
      .map((m) => (m.type === 'cleared' ? 'cut' : m.facts.map((f: Fact) => f.ctx).join()));
    expect(stream).toEqual(['before', 'before', 'cut', 'after']);
    // A panel subscribing again with its cursor was there at the cut: no second cut.
    const again = panel(1, { ra: 2 });
    expect(again.of('cleared')).toHaveLength(0);
    expect(factsOf(again).map((f) => f.ctx)).toEqual(['after']);
    // A new document starts a log of its own: no cut carried over.
    relay(1, 'rb');
    expect(panel(1).of('cleared')).toHaveLength(0);
  });

  it('a cut whose facts were all evicted is not sent: nothing kept comes before it', () => {
    const { relay, panel } = setup(2);
    const a = relay(1, 'ra');
    a.receive({ type: 'batch', seq: 1, facts: [fact('before')] });
    panel(1).receive({ type: 'clear', tabId: 1 });
    a.receive({ type: 'batch', seq: 2, facts: [fact('after'), fact('after')] });
    const late = panel(1);
    expect(late.of('cleared')).toHaveLength(0);
    expect(factsOf(late).map((f) => f.ctx)).toEqual(['after', 'after']);
  });

  it('refuses panels that are not pages of the extension, and content ports without a tab', () => {
    const { router } = setup();
    const page = new StandInPort('portscope-panel', { url: 'https://evil.test/', tab: { id: 1 } });
    router.connectPanel(page);
    expect(page.disconnected).toBe(true);
    const noTab = new StandInPort('portscope-content', { url: `${ORIGIN}x.html` });
    router.connectContent(noTab);
    expect(noTab.disconnected).toBe(true);
  });

  it('forwards config to the relays of the subscribed tab and welcomes new relays with it', () => {
    const { relay, panel } = setup();
    const a = relay(1, 'ra');
    const b = relay(2, 'rb');
    const p = panel(1);
    p.receive({ type: 'config', config: { captureStacks: true, inWorker: false } });
    // The first: the panel's subscription made the tab watched; the second: the new config.
    expect(a.of('config')).toEqual([
      { type: 'config', config: { captureStacks: false, inWorker: false }, recordMessages: true },
      { type: 'config', config: { captureStacks: true, inWorker: false }, recordMessages: true },
    ]);
    expect(b.of('config')).toEqual([]);
    expect(relay(1, 'sub', 3, 'ra').of('welcome')[0].config).toEqual({ captureStacks: true, inWorker: false });
  });

  it('the debug hook lists facts in arrival order across tabs', () => {
    const { router, relay } = setup();
    const a = relay(1, 'ra');
    const b = relay(2, 'rb');
    a.receive({ type: 'batch', seq: 1, facts: [fact('a1')] });
    b.receive({ type: 'batch', seq: 1, facts: [fact('b1')] });
    a.receive({ type: 'batch', seq: 2, facts: [fact('a2')] });
    expect(router.facts().map((f) => f.ctx)).toEqual(['a1', 'b1', 'a2']);
    expect(router.facts(2).map((f) => f.ctx)).toEqual(['b1']);
    router.clear();
    expect(router.facts()).toEqual([]);
  });
  it('parses json-batches: good texts deliver in order, a forged or garbage text is counted with a precise error, nothing held is lost', () => {
    const { relay, panel, router } = setup();
    const a = relay(1, 'ra');
    const text = (...fs: unknown[]) => ({ json: JSON.stringify(fs), count: fs.length });
    a.receive({ type: 'batch', seq: 1, facts: [fact('before')] });
    a.receive({ type: 'json-batch', seq: 2, json: [text(fact('j1'), fact('j2')), text(fact('j3'))] });
    expect(a.of('ack').map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
    const p = panel(1);
    expect(factsOf(p).map((f) => f.ctx)).toEqual(['before', 'j1', 'j2', 'j3']);
    const cases: [unknown, number, string][] = [
      [{ json: '{"kind":', count: 4 }, 4, 'message.json[0].json: expected JSON, got unparsable text'],
      [
        { json: '{"kind":"port-closed"}', count: 1 },
        1,
        'message.json[0].json: expected a JSON array of facts, got an object',
      ],
      [
        { json: JSON.stringify([fact(), fact()]), count: 1 },
        2,
        'message.json[0].json: expected 1 facts (its count), got 2',
      ],
      [
        { json: JSON.stringify([fact('ok'), { ...fact(), port: 'x' }]), count: 2 },
        1,
        'message.json[0][1].port: expected a positive integer, got "x"',
      ],
    ];
    let seq = 3;
    for (const [part, rejected, error] of cases) {
      const before = (router.tabStatus(1) as { rejected: number }).rejected;
      a.receive({ type: 'json-batch', seq: seq++, json: [part] });
      const status = router.tabStatus(1) as { rejected: number; lastError?: string };
      expect(status.rejected - before).toBe(rejected);
      expect(status.lastError).toBe(error);
    }
    // Acknowledged (a garbage text is not re-sent forever), and what was recorded is still there.
    expect(a.of('ack').map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(router.facts(1).map((f) => f.ctx)).toEqual(['before', 'j1', 'j2', 'j3', 'ok']);
    // A malformed envelope is rejected whole, named precisely, and not acknowledged.
    a.receive({ type: 'json-batch', seq: 7, json: [{ json: 5, count: 1 }] });
    expect((router.tabStatus(1) as { lastError?: string }).lastError).toBe(
      'message.json[0].json: expected a string, got 5',
    );
    a.receive({ type: 'json-batch', seq: 7, json: 'x' });
    expect((router.tabStatus(1) as { lastError?: string }).lastError).toBe('message.json: expected an array, got "x"');
    expect(a.of('ack').at(-1)).toEqual({ type: 'ack', seq: 6 });
    expect(router.facts(1)).toHaveLength(5);
  });
});
