/**
 * The background → panel text chunk (`facts-text`, protocol/messages.ts): its envelope checked
 * with paths, its texts decoded and every fact checked, and a chunk with any bad fact refused
 * whole (receiveBackgroundToPanel), unlike a relay's batch, where one bad fact costs only itself.
 */
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../injected/batch-json.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { LIMITS } from '../../../protocol/limits.ts';
import { ProtocolError, receiveBackgroundToPanel, validateBackgroundToPanel } from '../../../protocol/validate.ts';

const closed = (seq: number): Fact => ({ kind: 'port-closed', seq, time: 1765090000000 + seq, ctx: 'c', port: 1 });
const text = (facts: Fact[]) => ({ json: encodeBatch(facts).json, count: facts.length });
const chunk = (json: unknown, more: Record<string, unknown> = {}) => ({
  type: 'facts-text',
  tabId: 1,
  session: 's',
  source: 'r',
  seq: 3,
  json,
  ...more,
});

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.message;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

describe('the text chunk', () => {
  it('is decoded into the facts it holds, texts in order', () => {
    expect(receiveBackgroundToPanel(chunk([text([closed(1), closed(2)]), text([closed(3)])]))).toEqual({
      type: 'facts',
      tabId: 1,
      session: 's',
      source: 'r',
      seq: 3,
      facts: [closed(1), closed(2), closed(3)],
    });
  });

  it('reads a plain JSON array of facts too (the wire decoder takes both)', () => {
    const facts = [closed(1), closed(2)];
    expect(receiveBackgroundToPanel(chunk([{ json: JSON.stringify(facts), count: 2 }]))).toMatchObject({ facts });
  });

  it('has its envelope checked, with paths', () => {
    expect(errorOf(() => receiveBackgroundToPanel(chunk([text([closed(1)])], { seq: 0 })))).toBe(
      'message.seq: expected a positive integer, got 0',
    );
    expect(errorOf(() => receiveBackgroundToPanel(chunk('[2,0,[]]')))).toBe(
      'message.json: expected an array, got "[2,0,[]]"',
    );
    expect(errorOf(() => receiveBackgroundToPanel(chunk([{ json: 5, count: 1 }])))).toBe(
      'message.json[0].json: expected a string, got 5',
    );
    expect(errorOf(() => receiveBackgroundToPanel(chunk([{ json: '[]', count: LIMITS.batch + 1 }])))).toBe(
      `message.json[0].count: expected at most ${LIMITS.batch} facts, got ${LIMITS.batch + 1}`,
    );
    expect(errorOf(() => validateBackgroundToPanel(chunk([text([closed(1)])], { source: '' })))).toMatch(
      /^message\.source: /,
    );
  });

  it('is refused whole, naming the bad fact, when one fact of it is forged', () => {
    const forged = JSON.parse(text([closed(2), closed(3)]).json);
    // The second record's port: a string where a positive integer goes.
    forged[4] = [forged[4][0], ...forged[4].slice(1, -1), { v: 'p' }];
    const m = chunk([text([closed(1)]), { json: JSON.stringify(forged), count: 2 }]);
    expect(errorOf(() => receiveBackgroundToPanel(m, 'background message'))).toBe(
      'background message.json[1][1].port: expected a positive integer, got "p"',
    );
  });

  it('is refused whole when a text is not what it says: unparsable, or short of its count', () => {
    expect(errorOf(() => receiveBackgroundToPanel(chunk([text([closed(1)]), { json: '[2,', count: 1 }])))).toBe(
      'message.json[1].json: expected JSON, got unparsable text',
    );
    expect(errorOf(() => receiveBackgroundToPanel(chunk([{ ...text([closed(1)]), count: 2 }])))).toBe(
      'message.json[0].json: expected 2 facts (its count), got 1',
    );
    // A plain array with one bad fact: the same rule.
    const plain = [closed(1), { ...closed(2), port: 0 }];
    expect(errorOf(() => receiveBackgroundToPanel(chunk([{ json: JSON.stringify(plain), count: 2 }])))).toBe(
      'message.json[0][1].port: expected a positive integer, got 0',
    );
  });

  it('passes every other message through as validateBackgroundToPanel does, and refuses a chunk as objects', () => {
    const status = { type: 'status', tabId: 1, dropped: {}, evicted: {}, buffered: 0, rejected: 0 };
    expect(receiveBackgroundToPanel(status)).toEqual(validateBackgroundToPanel(status));
    // The background sends text only: a chunk of objects is not a message of the contract.
    const objects = { type: 'facts', tabId: 1, session: 's', source: 'r', seq: 1, facts: [closed(1)] };
    expect(errorOf(() => receiveBackgroundToPanel(objects))).toMatch(/^message\.type: /);
  });
});
