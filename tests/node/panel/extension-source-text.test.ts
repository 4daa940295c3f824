// The panel's connection to the background (panel/source/extensionPort.ts) reading text chunks:
// a chunk is decoded and checked whole, applied whole or refused whole (a notice with the bad
// fact's path, its cursor not moved, nothing already applied lost). chrome.runtime is a stand-in
// here (routing logic only); the real browser path is in tests/browser/panel*.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../injected/batch-json.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { extensionSource } from '../../../panel/source/extensionPort.ts';

const closed = (seq: number, port = 1): Fact => ({
  kind: 'port-closed',
  seq,
  time: 1765090000000 + seq,
  ctx: 'c',
  port,
});
const text = (facts: Fact[]) => ({ json: encodeBatch(facts).json, count: facts.length });
const chunk = (seq: number, json: { json: string; count: number }[]) => ({
  type: 'facts-text',
  tabId: 4,
  session: 's',
  source: 'r',
  seq,
  json,
});

function connectedSource() {
  const listeners: ((m: unknown) => void)[] = [];
  const posted: unknown[] = [];
  const port = {
    postMessage: (m: unknown) => posted.push(structuredClone(m)),
    disconnect: () => {},
    onMessage: { addListener: (l: (m: unknown) => void) => void listeners.push(l) },
    onDisconnect: { addListener: () => {} },
  };
  (globalThis as unknown as { chrome: unknown }).chrome = { runtime: { connect: () => port } };
  const applied: Fact[][] = [];
  const notices: string[] = [];
  const source = extensionSource(4);
  source.start({
    facts: (f) => applied.push(f),
    session: () => {},
    pageUrl: () => {},
    status: () => {},
    connection: () => {},
    instrumented: () => {},
    notice: (t) => notices.push(t),
    cleared: () => {},
  });
  const receive = (m: unknown) => {
    for (const l of listeners) l(structuredClone(m));
  };
  return { source, applied, notices, receive, posted };
}

afterEach(() => {
  delete (globalThis as unknown as { chrome?: unknown }).chrome;
});

describe('the panel reads text chunks', () => {
  it('applies a chunk of several texts as one list of facts, in order', () => {
    const { source, applied, notices, receive } = connectedSource();
    receive(chunk(1, [text([closed(1), closed(2)]), text([closed(3)])]));
    expect(applied).toEqual([[closed(1), closed(2), closed(3)]]);
    expect(notices).toEqual([]);
    source.stop();
  });

  it('refuses a chunk whole when one fact of it is bad, says where, and takes the same seq again', () => {
    const { source, applied, notices, receive } = connectedSource();
    receive(chunk(1, [text([closed(1)])]));
    // The second text's first record names string 42 of a one-string table: its ctx cannot be read.
    const forged = JSON.parse(text([closed(3), closed(4)]).json);
    forged[3] = [forged[3][0], 1, 0, 42, 1];
    receive(chunk(2, [text([closed(2)]), { json: JSON.stringify(forged), count: 2 }]));
    expect(applied).toEqual([[closed(1)]]);
    expect(notices).toEqual([
      "Ignored a malformed message from the background: background message.json[1][0].ctx: string 42 is not in the batch's table (1 strings)",
    ]);
    // Its cursor did not move: the same chunk, sent again right, is applied.
    receive(chunk(2, [text([closed(2)]), text([closed(3), closed(4)])]));
    expect(applied).toEqual([[closed(1)], [closed(2), closed(3), closed(4)]]);
    source.stop();
  });

  it('refuses a text that does not hold the facts it counts, and one that is not JSON', () => {
    const { source, applied, notices, receive } = connectedSource();
    receive(chunk(1, [{ json: text([closed(1)]).json, count: 2 }]));
    receive(chunk(1, [{ json: '[2,0,[', count: 1 }]));
    expect(applied).toEqual([]);
    expect(notices).toEqual([
      'Ignored a malformed message from the background: background message.json[0].json: expected 2 facts (its count), got 1',
      'Ignored a malformed message from the background: background message.json[0].json: expected JSON, got unparsable text',
    ]);
    source.stop();
  });
});
