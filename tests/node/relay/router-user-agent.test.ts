/**
 * The extension's MAIN-world runtime announces its document without a userAgent (it does not
 * read `navigator` at document_start: injected/install.ts Announced); the relay says it with the
 * first batch of its connection and the background fills it into that relay's `context` facts
 * (extension/relay-user-agent.ts).
 */
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../injected/batch-json.ts';
import type { Fact } from '../../../protocol/facts.ts';
import type { FactsChunk } from '../../../protocol/messages.ts';
import { fillUserAgent } from '../../../extension/relay-user-agent.ts';
import { relayAndPanel, type StandInPort } from './stand-in-port.ts';

const ORIGIN = 'chrome-extension://abc/';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) "quoted"';

const setup = () => relayAndPanel(ORIGIN);

const context = (ctx: string, userAgent?: string): Fact =>
  ({
    kind: 'context',
    seq: 1,
    time: 1765090000000,
    ctx,
    contextKind: 'window',
    url: 'https://page.test/',
    origin: 'https://page.test',
    framePath: 'top',
    observed: true,
    ...(userAgent !== undefined ? { userAgent } : {}),
  }) as Fact;
const text = (facts: Fact[]) => ({ json: encodeBatch(facts).json, count: facts.length });
const contextsOf = (p: StandInPort) =>
  p
    .of('facts')
    .flatMap((m: FactsChunk) => m.facts)
    .filter((f: Fact) => f.kind === 'context');

describe("the relay's userAgent", () => {
  it("is filled into the runtime's context facts that carry none, and leaves a fact's own alone", () => {
    const { relay, panel } = setup();
    relay.receive({ type: 'json-batch', seq: 1, userAgent: UA, json: [text([context('aaaaaaaaaaaaaaaaaaaa')])] });
    relay.receive({ type: 'json-batch', seq: 2, json: [text([context('bbbbbbbbbbbbbbbbbbbb', 'Worker/2')])] });
    // A later batch of the same relay (no userAgent of its own: only a connection's first says it).
    relay.receive({ type: 'json-batch', seq: 3, json: [text([context('cccccccccccccccccccc')])] });
    expect(contextsOf(panel).map((f: Extract<Fact, { kind: 'context' }>) => f.userAgent)).toEqual([UA, 'Worker/2', UA]);
  });

  it('a relay that says none leaves the fact without one (the field is optional)', () => {
    const { relay, panel } = setup();
    relay.receive({ type: 'json-batch', seq: 1, json: [text([context('aaaaaaaaaaaaaaaaaaaa')])] });
    const [only] = contextsOf(panel);
    expect(only).toBeDefined();
    expect(only).not.toHaveProperty('userAgent');
  });

  it('counts the characters it adds, exactly as JSON would write them', () => {
    const bare = context('aaaaaaaaaaaaaaaaaaaa');
    const before = JSON.stringify(bare).length;
    const added = fillUserAgent([bare], UA);
    expect(JSON.stringify(bare).length - before).toBe(added);
    expect(fillUserAgent([bare], 'other')).toBe(0);
  });
});
