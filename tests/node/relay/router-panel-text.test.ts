/**
 * The background sends each chunk to panels as the compact wire text (BackgroundToPanel
 * `facts-text`): the relay's own texts while they are exactly the facts kept, else the one
 * encoder's texts of the kept facts, made once on arrival and kept (the
 * same strings to every panel and every replay, and the only copy the tab log keeps).
 * Stand-in ports: the panel's decodes as the panel does (stand-in-port.ts).
 */
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../injected/batch-json.ts';
import { Router, type RouterHooks } from '../../../extension/router.ts';
import type { TabLog } from '../../../extension/tab-log.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { wireFacts } from '../../../protocol/wire-decode.ts';
import { StandInPort, topRelay } from './stand-in-port.ts';

const ORIGIN = 'chrome-extension://abc/';

const closed = (seq: number, ctx = 'c'): Fact => ({
  kind: 'port-closed',
  seq,
  time: 1765090000000 + seq,
  ctx,
  port: 1,
});
const text = (facts: Fact[]) => ({ json: encodeBatch(facts).json, count: facts.length });

/** A router whose tab logs a test may read. */
class Peek extends Router {
  log(tabId: number): TabLog {
    return this.tabs.get(tabId)!.log;
  }
}

function setup(hooks: Partial<RouterHooks> = {}) {
  const router = new Peek({
    extensionOrigin: ORIGIN,
    statusIntervalMs: 0,
    resync: () => {},
    persist: () => {},
    ...hooks,
  });
  const relay = topRelay(router);
  const panel = (cursor?: Record<string, number>) => {
    const port = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
    router.connectPanel(port);
    port.receive({ type: 'subscribe', tabId: 1, ...(cursor ? { cursor } : {}) });
    return port;
  };
  return { router, relay, panel };
}

/** A subframe's relay of the tab's document says hello. */
function relayHello(port: StandInPort) {
  port.receive({
    type: 'hello',
    relay: 's2',
    session: 'r',
    url: 'https://page.test/f',
    top: false,
    lastSeq: 0,
    firstRetained: 1,
  });
}

/** The text chunks a panel was sent, as they came. */
const chunksOf = (p: StandInPort) => p.raw.filter((m) => m.type === 'facts-text');
const factsOf = (p: StandInPort) => p.of('facts').flatMap((m) => m.facts as Fact[]);

describe('panels receive the compact wire text', () => {
  it("sends the relay's own texts when every fact of them is kept, and no object chunk", () => {
    const { relay, panel } = setup();
    const p = panel();
    // A plain JSON array (which the wire decoder reads too): the background's encoder would write it otherwise.
    const sent = [text([closed(1), closed(2)]), { json: JSON.stringify([closed(3)]), count: 1 }];
    relay.receive({ type: 'json-batch', seq: 1, json: sent });
    expect(chunksOf(p)).toEqual([{ type: 'facts-text', tabId: 1, session: 'r', source: 'r', seq: 1, json: sent }]);
    expect(p.raw.filter((m) => m.type === 'facts')).toEqual([]);
    expect(factsOf(p)).toEqual([closed(1), closed(2), closed(3)]);
  });

  it('encodes the accepted facts when one of the texts is refused, once, whatever the number of panels', () => {
    const { relay, panel } = setup();
    const [a, b] = [panel(), panel()];
    const forged = JSON.parse(text([closed(1), closed(2)]).json);
    forged[3] = [forged[3][0], 1, 0, 42, 1];
    relay.receive({
      type: 'json-batch',
      seq: 1,
      json: [{ json: JSON.stringify(forged), count: 2 }, text([closed(3)])],
    });
    const [chunk] = chunksOf(a);
    expect(chunk.json).toHaveLength(1);
    expect(wireFacts(chunk.json[0].json)).toEqual([closed(2), closed(3)]);
    expect(chunk.json[0].count).toBe(2);
    expect(factsOf(a)).toEqual([closed(2), closed(3)]);
    // Both panels got the one text made for the chunk.
    expect(chunksOf(b)).toEqual([chunk]);
  });

  it("encodes the kept facts when the background refuses one of a relay's (another frame's context)", () => {
    const { router, relay, panel } = setup();
    const p = panel();
    relay.receive({ type: 'json-batch', seq: 1, json: [text([closed(1)])] });
    const sub = new StandInPort('portscope-content', { tab: { id: 1 }, frameId: 1, url: 'https://page.test/f' });
    router.connectContent(sub);
    p.raw.length = 0;
    relayHello(sub);
    // Context c speaks through relay r: the subframe's fact of it is refused, its own kept.
    sub.receive({ type: 'json-batch', seq: 1, json: [text([closed(2), closed(1, 'd')])] });
    const [chunk] = chunksOf(p);
    expect(chunk.source).toBe('s2');
    expect(wireFacts(chunk.json[0].json)).toEqual([closed(1, 'd')]);
  });

  it('encodes facts that came as objects', () => {
    const { relay, panel } = setup();
    const p = panel();
    relay.receive({ type: 'batch', seq: 1, facts: [closed(1), closed(2)] });
    expect(chunksOf(p)[0].json).toEqual([text([closed(1), closed(2)])]);
    expect(factsOf(p)).toEqual([closed(1), closed(2)]);
  });

  it('replays the kept texts after a reconnect: a cursor skips what the panel has, the rest are the same strings', () => {
    const { relay, panel } = setup();
    const first = panel();
    relay.receive({ type: 'json-batch', seq: 1, json: [text([closed(1)])] });
    relay.receive({ type: 'batch', seq: 2, facts: [closed(2)] });
    relay.receive({ type: 'json-batch', seq: 3, json: [text([closed(3)])] });
    first.close();
    // The panel comes back with its cursor: it applied seq 1 only.
    const again = panel({ r: 1 });
    expect(chunksOf(again).map((m) => m.seq)).toEqual([2, 3]);
    expect(chunksOf(again)).toEqual(chunksOf(first).slice(1));
    expect(factsOf(again)).toEqual([closed(2), closed(3)]);
  });

  it('encodes a chunk that came as objects once, on arrival, and keeps only that text', () => {
    const { router, relay, panel } = setup();
    relay.receive({ type: 'batch', seq: 1, facts: [closed(1), closed(2)] });
    const log = router.log(1);
    const late = panel();
    const [chunk] = chunksOf(late);
    expect(wireFacts(chunk.json[0].json)).toEqual([closed(1), closed(2)]);
    // Before: the objects were kept and measured as JSON, the text made at the first offer and counted beside them.
    expect(log.bufferedChars).toBe(chunk.json[0].json.length);
    // A second panel: the kept text, the count unchanged.
    expect(chunksOf(panel())).toEqual([chunk]);
    expect(log.bufferedChars).toBe(chunk.json[0].json.length);
  });

  it("counts the relay's texts once in the tab log's character bound: they are all it keeps", () => {
    const { router, relay } = setup();
    const sent = [text([closed(1), closed(2)])];
    relay.receive({ type: 'json-batch', seq: 1, json: sent });
    // Before: the facts measured by the text they came as, and the text kept too (twice the characters).
    expect(router.log(1).bufferedChars).toBe(sent[0].json.length);
  });
});
