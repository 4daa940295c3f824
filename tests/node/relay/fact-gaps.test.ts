/** The background counts facts numbered by a context that never reached it (extension/fact-gaps.ts through the router). */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { Router } from '../../../extension/router.ts';
import { StandInPort } from './stand-in-port.ts';

const ORIGIN = 'chrome-extension://abc/';
const fact = (ctx: string, seq: number): Fact => ({ kind: 'port-closed', seq, time: 0, ctx, port: 1 });

function setup() {
  const router = new Router({ extensionOrigin: ORIGIN, statusIntervalMs: 0, resync: () => {}, persist: () => {} });
  const relay = (relayId: string, frameId = 0, session: string | null = null) => {
    const port = new StandInPort('portscope-content', { tab: { id: 1 }, frameId, url: 'https://page.test/' });
    router.connectContent(port);
    port.receive({
      type: 'hello',
      relay: relayId,
      session,
      url: `https://page.test/${relayId}`,
      top: frameId === 0,
      lastSeq: 0,
      firstRetained: 1,
    });
    return port;
  };
  const dropped = () => {
    const panel = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
    router.connectPanel(panel);
    panel.receive({ type: 'subscribe', tabId: 1 });
    return panel.of('status').at(-1).dropped as Record<string, number>;
  };
  return { relay, dropped };
}

describe('facts lost on the way to the background', () => {
  it('a context whose first batch never came: the numbers before its first arrived fact are counted missing', () => {
    const { relay, dropped } = setup();
    const top = relay('top');
    top.receive({ type: 'batch', seq: 1, facts: [fact('A', 1), fact('A', 2)] });
    const frame = relay('frame', 3, 'top');
    // The frame's context numbered 1–3 in a batch that was lost; 4 and 5 arrive.
    frame.receive({ type: 'batch', seq: 2, facts: [fact('B', 4), fact('B', 5)] });
    // A gap inside a context's numbers too.
    top.receive({ type: 'batch', seq: 2, facts: [fact('A', 5)] });
    expect(dropped()).toEqual({ missing: 5 });
  });

  it('what a relay already counted as dropped is not counted again', () => {
    const { relay, dropped } = setup();
    const top = relay('top');
    top.receive({ type: 'batch', seq: 1, facts: [fact('A', 1)] });
    // The relay dropped a runtime batch of two facts (counted per kind), then A's 4th arrives.
    top.receive({ type: 'batch', seq: 2, facts: [fact('A', 4)], dropped: { 'port-posted': 2 } });
    expect(dropped()).toEqual({ 'port-posted': 2 });
  });

  it('every number arrived: nothing is counted', () => {
    const { relay, dropped } = setup();
    const top = relay('top');
    top.receive({ type: 'batch', seq: 1, facts: [fact('A', 1), fact('A', 2)] });
    top.receive({ type: 'batch', seq: 2, facts: [fact('A', 3), fact('A', 2)] });
    expect(dropped()).toEqual({});
  });

  it('a session this background did not see start (it restarted; the relay was welcomed before) is not checked', () => {
    const { relay, dropped } = setup();
    const top = relay('top', 0, 'top');
    top.receive({ type: 'batch', seq: 7, facts: [fact('A', 40)] });
    expect(dropped()).toEqual({});
  });
});
