/**
 * The background's decode path for the compact wire (protocol/wire.ts), with stand-in ports:
 * what the runtime encodes reaches the panel as the facts it emitted; a forged or broken text
 * (a page cannot reach the private port, but the background trusts no content script) is refused
 * with a precise error, counted in the tab's status, and the facts after it still arrive.
 */
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../injected/batch-json.ts';
import type { Fact } from '../../../protocol/facts.ts';
import type { BackgroundToPanel, FactsChunk } from '../../../protocol/messages.ts';
import { relayAndPanel, type StandInPort } from './stand-in-port.ts';

const ORIGIN = 'chrome-extension://abc/';

const setup = () => relayAndPanel(ORIGIN);

const closed = (seq: number, port = 1): Fact => ({
  kind: 'port-closed',
  seq,
  time: 1765090000000 + seq,
  ctx: 'c',
  port,
});
const text = (facts: Fact[]) => ({ json: encodeBatch(facts).json, count: facts.length });
const factsOf = (p: StandInPort) => p.of('facts').flatMap((m: FactsChunk) => m.facts);
const lastStatus = (p: StandInPort) => p.of('status').at(-1) as Extract<BackgroundToPanel, { type: 'status' }>;

describe('the background decodes the compact wire', () => {
  it('gives the panel the facts the runtime encoded, texts of one batch in order', async () => {
    const { relay, panel } = setup();
    relay.receive({ type: 'json-batch', seq: 1, json: [text([closed(1), closed(2)]), text([closed(3)])] });
    expect(factsOf(panel)).toEqual([closed(1), closed(2), closed(3)]);
    await new Promise((ok) => setTimeout(ok, 5));
    expect(lastStatus(panel).rejected).toBe(0);
  });

  it('refuses a forged record with its path, counts it, and keeps the rest and what comes after', async () => {
    const { relay, panel } = setup();
    const forged = JSON.parse(text([closed(1), closed(2)]).json);
    forged[3] = [forged[3][0], 1, 0, 42, 1];
    relay.receive({ type: 'json-batch', seq: 1, json: [{ json: JSON.stringify(forged), count: 2 }] });
    relay.receive({ type: 'json-batch', seq: 2, json: [{ json: '[1,0,[],[', count: 3 }, text([closed(3)])] });
    relay.receive({ type: 'json-batch', seq: 3, json: [text([closed(4)])] });
    expect(factsOf(panel)).toEqual([closed(2), closed(3), closed(4)]);
    expect(relay.of('ack').map((a) => a.seq)).toEqual([1, 2, 3]);
    await new Promise((ok) => setTimeout(ok, 5));
    const status = lastStatus(panel);
    expect(status.rejected).toBe(1 + 3);
    expect(status.lastError).toBe('message.json[0].json: expected JSON, got unparsable text');
  });

  it("names the forged record's field in the status when it is the latest error", async () => {
    const { relay, panel } = setup();
    const forged = JSON.parse(text([closed(1)]).json);
    forged[3] = [forged[3][0], 1, 0, 42, 1];
    relay.receive({ type: 'json-batch', seq: 1, json: [{ json: JSON.stringify(forged), count: 1 }] });
    await new Promise((ok) => setTimeout(ok, 5));
    expect(lastStatus(panel).lastError).toBe(
      "message.json[0][0].ctx: string 42 is not in the batch's table (1 strings)",
    );
  });
});
