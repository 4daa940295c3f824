/**
 * The background's tab log keeps each chunk once, as the wire texts panels are sent (before:
 * the fact objects and the texts, both counted in its character bound, so it held about half
 * as many facts before evicting). What it evicts is counted per kind from the kinds it keeps;
 * a late panel, a Clear and the debug hook read the texts. Stand-in ports decode as the panel does.
 */
import { describe, expect, it } from 'vitest';
import { DebugRouter } from '../../../extension/debug-hook.ts';
import type { TabLog } from '../../../extension/tab-log.ts';
import type { Fact } from '../../../protocol/facts.ts';
import type { EncodedFacts, FactsChunk } from '../../../protocol/messages.ts';
import { encodeBatch } from '../../../injected/batch-json.ts';
import { StandInPort, topRelay } from './stand-in-port.ts';

const ORIGIN = 'chrome-extension://abc/';
const T0 = 1765090000000;
// Six-digit numbers from here on: every fact of one form writes as many characters.
let n = 100_000;

const posted = (chars: number): Fact => {
  const seq = ++n;
  return {
    kind: 'port-posted',
    seq,
    time: T0 + seq,
    ctx: 'c',
    port: 1,
    msg: seq,
    preview: { t: 'string', v: 'x'.repeat(chars), len: chars },
    bytes: chars,
    fingerprint: 'f',
    transfer: [],
    outcome: 'sent',
  };
};
const closed = (): Fact => {
  const seq = ++n;
  return { kind: 'port-closed', seq, time: T0 + seq, ctx: 'c', port: 1 };
};
const enabled = (): Fact => {
  const seq = ++n;
  return { kind: 'port-enabled', seq, time: T0 + seq, ctx: 'c', port: 1, how: 'start' };
};
const text = (facts: Fact[]): EncodedFacts => ({ json: encodeBatch(facts).json, count: facts.length });

class Peek extends DebugRouter {
  log(tabId: number): TabLog {
    return this.tabs.get(tabId)!.log;
  }
}

function setup(cap: number, capChars?: number) {
  const router = new Peek({
    extensionOrigin: ORIGIN,
    cap,
    capChars,
    statusIntervalMs: 0,
    resync: () => {},
    persist: () => {},
  });
  const relay = topRelay(router);
  let seq = 0;
  /** One relay batch: its facts as the runtime's texts, one part per list. */
  const send = (...parts: Fact[][]) => relay.receive({ type: 'json-batch', seq: ++seq, json: parts.map(text) });
  const panel = (cursor?: Record<string, number>) => {
    const port = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
    router.connectPanel(port);
    port.receive({ type: 'subscribe', tabId: 1, ...(cursor ? { cursor } : {}) });
    return port;
  };
  return { router, relay, send, panel, log: () => router.log(1) };
}

const factsOf = (p: StandInPort): Fact[] => p.of('facts').flatMap((m: FactsChunk) => m.facts);
const textsOf = (p: StandInPort): EncodedFacts[] =>
  p.raw.filter((m) => m.type === 'facts-text').flatMap((m) => m.json as EncodedFacts[]);
const charsOf = (texts: EncodedFacts[]) => texts.reduce((a, t) => a + t.json.length, 0);

/** Facts per kind. */
function kinds(facts: Fact[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of facts) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}

describe('the tab log keeps one copy of each chunk', () => {
  it('holds as many 1 KB facts as its character bound allows at their text size, as before step 5, to one part', () => {
    const capChars = 205_000;
    const { send, panel, log } = setup(50_000, capChars);
    const sent: Fact[] = [];
    let perFact = 0;
    for (let i = 0; i < 60; i++) {
      const facts = Array.from({ length: 10 }, () => posted(1_000));
      sent.push(...facts);
      perFact = Math.max(perFact, text(facts).json.length / facts.length);
      send(facts);
    }
    // Before step 5 the bound counted each fact's text once (the JSON it came as) and the log
    // held the facts that fit in it at that size; step 5 counted the text twice and held half as
    // many. A part's text now goes when all its facts have: at most one part's facts fewer.
    const expected = Math.floor(capChars / perFact) - (10 - 1);
    expect(log().buffered).toBeGreaterThanOrEqual(expected);
    expect(log().bufferedChars).toBeLessThanOrEqual(capChars);
    const late = panel();
    const kept = factsOf(late);
    expect(kept).toEqual(sent.slice(sent.length - kept.length));
    expect(kept).toHaveLength(log().buffered);
    // What the log holds is what a late panel is sent: each chunk's texts, once.
    expect(log().bufferedChars).toBe(charsOf(textsOf(late)));
    expect(late.of('status').at(-1)).toMatchObject({
      evicted: { 'port-posted': sent.length - kept.length },
      buffered: kept.length,
    });
  });

  it('holds its whole count bound of tiny facts when their text fits its character bound once, not twice', () => {
    const cap = 1_000;
    const probe = Array.from({ length: 100 }, closed);
    const perFact = text(probe).json.length / probe.length;
    // Room for the texts of the count bound, with a half to spare: not for two copies.
    const { send, log } = setup(cap, Math.ceil(cap * perFact * 1.5));
    for (let i = 0; i < 30; i++) send(Array.from({ length: 100 }, closed));
    expect(log().buffered).toBe(cap);
  });

  it('replays after eviction the held facts only, the same strings to every late panel, and holds what it sends', () => {
    const { send, panel, log, router } = setup(250);
    const sent: Fact[] = [];
    for (let i = 0; i < 4; i++) {
      // Two parts per batch: eviction lets a part go whole, and cuts the first one it keeps part of.
      const a = Array.from({ length: 50 }, closed);
      const b = Array.from({ length: 50 }, enabled);
      sent.push(...a, ...b);
      send(a, b);
    }
    expect(log().buffered).toBe(250);
    // The debug hook reads the held facts from the texts: the newest 250.
    expect(router.facts(1)).toEqual(sent.slice(-250));
    const late = panel();
    expect(factsOf(late)).toEqual(sent.slice(-250));
    expect(late.of('facts').map((m: FactsChunk) => m.seq)).toEqual([2, 3, 4]);
    expect(log().bufferedChars).toBe(charsOf(textsOf(late)));
    expect(late.of('status').at(-1)).toMatchObject({
      evicted: { 'port-closed': 100, 'port-enabled': 50 },
      buffered: 250,
    });
    // Every later panel gets the same strings; one with a cursor gets what follows it.
    expect(textsOf(panel())).toEqual(textsOf(late));
    const after = panel({ r: 2 });
    expect(after.raw.filter((m) => m.type === 'facts-text')).toEqual(
      late.raw.filter((m) => m.type === 'facts-text').slice(1),
    );
    expect(router.facts(1)).toEqual(sent.slice(-250));
  });

  it('counts what it evicts per kind exactly, across parts, chunks and the character bound', () => {
    const { send, log, router, panel } = setup(1_000, 20_000);
    const sent: Fact[] = [];
    const mixed = () => {
      const part = [closed(), posted(1_000), enabled(), enabled(), posted(300), closed(), closed()];
      sent.push(...part);
      return part;
    };
    for (let i = 0; i < 12; i++) send(mixed(), mixed(), mixed());
    const held = log().buffered;
    // The character bound binds (the count bound is far): some of the 252 facts went, not all.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(sent.length);
    expect(router.facts(1)).toEqual(sent.slice(sent.length - held));
    expect(router.tabStatus(1)).toMatchObject({ evicted: kinds(sent.slice(0, sent.length - held)), buffered: held });
    expect(log().bufferedChars).toBeLessThanOrEqual(20_000);
    // The bound let whole parts go: what the log holds is what a late panel is sent.
    const late = panel();
    expect(factsOf(late)).toEqual(sent.slice(sent.length - held));
    expect(log().bufferedChars).toBe(charsOf(textsOf(late)));
  });

  it('keeps a Clear where it fell for a later panel, the structure before it included, past eviction', () => {
    const { send, panel, log, router } = setup(160);
    const before = Array.from({ length: 100 }, enabled);
    send(before.slice(0, 50));
    send(before.slice(50));
    panel().receive({ type: 'clear', tabId: 1 });
    const after = Array.from({ length: 100 }, closed);
    send(after);
    // 40 of the facts before the cut were evicted (part of the first chunk): the rest stay, and the cut after them.
    const late = panel();
    const stream = late.sent
      .filter((m) => m.type === 'facts' || m.type === 'cleared')
      .map((m) => (m.type === 'cleared' ? 'cut' : m.facts.length));
    expect(stream).toEqual([10, 50, 'cut', 100]);
    expect(factsOf(late)).toEqual([...before.slice(40), ...after]);
    expect(log().bufferedChars).toBe(charsOf(textsOf(late)));
    expect(router.facts(1)).toEqual([...before.slice(40), ...after]);
  });
});
