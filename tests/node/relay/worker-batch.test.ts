/**
 * Facts from workers seen through the extension's debugger (extension/worker-debugger.ts) enter
 * a tab's log through Router.workerBatch exactly as a relay's batches do: validated, numbered per
 * worker session, gaps counted, stale once the top document changed. And the hooks the debugger
 * follows: the tab's panels, and the relays' facts (never its own workers').
 */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { Router } from '../../../extension/router.ts';
import { StandInPort } from './stand-in-port.ts';

const ORIGIN = 'chrome-extension://abc/';
const fact = (ctx: string, seq: number): Fact => ({ kind: 'port-closed', seq, time: 0, ctx, port: 1 });
const payload = (facts: unknown[], seq = 1) => JSON.stringify({ type: 'batch', seq, facts });

function setup() {
  const relayed: Fact[][] = [];
  const panels: [number, number][] = [];
  const router = new Router({
    extensionOrigin: ORIGIN,
    statusIntervalMs: 0,
    resync: () => {},
    persist: () => {},
    relayed: (_tabId, facts) => void relayed.push([...facts]),
    panelsChanged: (tabId, n) => void panels.push([tabId, n]),
  });
  const top = (relayId: string) => {
    const port = new StandInPort('portscope-content', { tab: { id: 1 }, frameId: 0, url: 'https://page.test/' });
    router.connectContent(port);
    port.receive({
      type: 'hello',
      relay: relayId,
      session: null,
      url: `https://page.test/${relayId}`,
      top: true,
      lastSeq: 0,
      firstRetained: 1,
    });
    return port;
  };
  const panel = () => {
    const port = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
    router.connectPanel(port);
    port.receive({ type: 'subscribe', tabId: 1 });
    return port;
  };
  return { router, top, panel, relayed, panels };
}

describe('worker batches through the debugger', () => {
  it('enter the tab log as a source of their own, numbered per worker session, and reach the panels', () => {
    const { router, top, panel } = setup();
    top('doc').receive({ type: 'batch', seq: 1, facts: [fact('A', 1)] });
    const p = panel();
    router.workerBatch(1, 'worker:S1', payload([fact('W', 1)], 1));
    // A service worker's restarted runtime numbers its batches from 1 again: the router numbers them itself.
    router.workerBatch(1, 'worker:S1', payload([fact('W2', 1)], 1));
    const fromWorker = p.of('facts').filter((m) => m.source === 'worker:S1');
    expect(fromWorker.map((m) => [m.seq, (m.facts as Fact[])[0].ctx])).toEqual([
      [1, 'W'],
      [2, 'W2'],
    ]);
  });

  it('a malformed batch is rejected and counted, with the field named; nothing enters the log', () => {
    const { router, top, panel } = setup();
    top('doc');
    router.workerBatch(1, 'worker:S1', payload([{ kind: 'port-closed', seq: 1, time: 0, ctx: 'W', port: 'x' }]));
    router.workerBatch(1, 'worker:S1', 'not json');
    const status = panel().of('status').at(-1);
    expect(status.rejected).toBe(2);
    expect(status.lastError).toBe('worker batch: not JSON');
    expect(panel().of('facts')).toEqual([]);
  });

  it('numbers missing in a worker context are counted; a worker of an earlier document is stale', () => {
    const { router, top, panel } = setup();
    top('doc1');
    router.workerBatch(1, 'worker:S1', payload([fact('W', 1)]));
    router.workerBatch(1, 'worker:S1', payload([fact('W', 4)]));
    expect(panel().of('status').at(-1).dropped).toEqual({ missing: 2 });
    top('doc2');
    router.workerBatch(1, 'worker:S1', payload([fact('W', 5), fact('W', 6)]));
    expect(panel().of('status').at(-1).dropped).toEqual({ 'stale-session': 2 });
  });

  it('without a tab session (no relay said hello) nothing is kept, and what came is counted', () => {
    const { router, panel } = setup();
    const p = panel();
    router.workerBatch(1, 'worker:S1', payload([fact('W', 1), fact('W', 2)]));
    expect(p.of('facts')).toEqual([]);
    expect(panel().of('status').at(-1).dropped).toEqual({ 'stale-session': 2 });
  });

  it("the debugger hears the relays' facts, not its own workers', and each change in the tab's panels", () => {
    const { router, top, panel, relayed, panels } = setup();
    top('doc').receive({ type: 'batch', seq: 1, facts: [fact('A', 1)] });
    router.workerBatch(1, 'worker:S1', payload([fact('W', 1)]));
    expect(relayed.map((facts) => facts.map((f) => f.ctx))).toEqual([['A']]);
    const p = panel();
    p.close();
    expect(panels).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });
});
