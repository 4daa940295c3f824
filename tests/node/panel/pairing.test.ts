// Request/reply pairing and Copy as JSON, over records shaped as the model makes them.
import { describe, expect, it } from 'vitest';
import type { Preview } from '../../../protocol/facts.ts';
import type { ChannelModel, ChannelNode, MessageRecord, PortNode } from '../../../panel/model/types.ts';
import { callNumber, pairingOf, pairMessages } from '../../../panel/pairing.ts';
import { previewJson } from '../../../panel/previewData.ts';

const str = (v: string): Preview => ({ t: 'string', v, len: v.length });
const num = (v: number): Preview => ({ t: 'number', v });
const obj = (entries: [string, Preview][]): Preview => ({ t: 'object', keys: entries.length, entries });

let n = 0;
function msg(from: string, to: string, at: number, preview: Preview): MessageRecord {
  return {
    id: `m${++n}`,
    from: { port: from, context: 'ctx' },
    to: { port: to, context: 'ctx' },
    postedAt: at,
    dispatchedAt: at + 1,
    state: 'delivered',
    preview,
    bytes: 10,
    fingerprint: `f${n}`,
    transfer: [],
    transferredPorts: [],
    postObserved: true,
  };
}

/** The parts of a model pairing reads: two channels, c1 (p1 ⇄ p2) and c2 (p3 ⇄ p4). */
function modelOf(messages: MessageRecord[]): ChannelModel {
  const port = (id: string, channel: string) => ({ id, channel }) as PortNode;
  const channel = (id: string, a: string, b: string) => ({ id, ports: [a, b] }) as ChannelNode;
  return {
    messages,
    ports: new Map([
      ['p1', port('p1', 'c1')],
      ['p2', port('p2', 'c1')],
      ['p3', port('p3', 'c2')],
      ['p4', port('p4', 'c2')],
    ]),
    channels: new Map([
      ['c1', channel('c1', 'p1', 'p2')],
      ['c2', channel('c2', 'p3', 'p4')],
    ]),
    revision: 1,
  } as unknown as ChannelModel;
}

describe('request/reply pairing', () => {
  it('reads the common call numbers: {id}, {requestId}, comlink {id, type}, penpal {callId}', () => {
    expect(callNumber(msg('p1', 'p2', 0, obj([['id', num(3)]])))).toBe('3');
    expect(callNumber(msg('p1', 'p2', 0, obj([['requestId', str('a-1')]])))).toBe('a-1');
    expect(
      callNumber(
        msg(
          'p1',
          'p2',
          0,
          obj([
            ['id', str('x')],
            ['type', str('GET')],
          ]),
        ),
      ),
    ).toBe('x');
    expect(
      callNumber(
        msg(
          'p1',
          'p2',
          0,
          obj([
            ['namespace', str('penpal')],
            ['type', str('REPLY')],
            ['callId', str('9')],
          ]),
        ),
      ),
    ).toBe('9');
    expect(callNumber(msg('p1', 'p2', 0, obj([['id', obj([])]])))).toBeUndefined();
    expect(callNumber(msg('p1', 'p2', 0, str('id')))).toBeUndefined();
  });

  it('pairs a reply with its request on the same channel, the other way, first reply only', () => {
    const request = msg(
      'p1',
      'p2',
      0,
      obj([
        ['id', str('x')],
        ['type', str('APPLY')],
      ]),
    );
    const elsewhere = msg(
      'p4',
      'p3',
      1,
      obj([
        ['id', str('x')],
        ['value', num(1)],
      ]),
    );
    const sameWay = msg('p1', 'p2', 2, obj([['id', num(5)]]));
    const reply = msg(
      'p2',
      'p1',
      3,
      obj([
        ['id', str('x')],
        ['type', str('RAW')],
        ['value', num(3)],
      ]),
    );
    const again = msg(
      'p2',
      'p1',
      4,
      obj([
        ['id', str('x')],
        ['value', num(4)],
      ]),
    );
    const penpalCall = msg(
      'p1',
      'p2',
      5,
      obj([
        ['type', str('CALL')],
        ['id', str('k')],
      ]),
    );
    const penpalReply = msg(
      'p2',
      'p1',
      7,
      obj([
        ['type', str('REPLY')],
        ['callId', str('k')],
      ]),
    );
    const pairing = pairMessages(modelOf([request, elsewhere, sameWay, reply, again, penpalCall, penpalReply]));
    expect(pairing.reply.get(request.id)).toBe(reply);
    expect(pairing.request.get(reply.id)).toBe(request);
    expect(pairing.request.has(elsewhere.id)).toBe(false);
    expect(pairing.request.has(again.id)).toBe(false);
    expect(pairing.reply.get(penpalCall.id)).toBe(penpalReply);
    expect(pairing.reply.size).toBe(2);
  });

  it('pairs nothing when one number was asked twice the same way before the reply', () => {
    const a = msg('p1', 'p2', 0, obj([['id', num(1)]]));
    const b = msg('p1', 'p2', 1, obj([['id', num(1)]]));
    const reply = msg('p2', 'p1', 2, obj([['id', num(1)]]));
    expect(pairMessages(modelOf([a, b, reply])).reply.size).toBe(0);
  });
});

describe('pairingOf', () => {
  it('reads appended messages once, and starts again when the model replaced its list', () => {
    const request = msg('p1', 'p2', 0, obj([['id', num(1)]]));
    const list = [request];
    const model = modelOf(list);
    expect(pairingOf(model).reply.size).toBe(0);
    const reply = msg('p2', 'p1', 1, obj([['id', num(1)]]));
    list.push(reply);
    expect(pairingOf(model).reply.get(request.id)).toBe(reply);
    // Clear or eviction gives the model a new list: what it no longer holds is not paired.
    (model as unknown as { messages: MessageRecord[] }).messages = [reply];
    expect(pairingOf(model).reply.size).toBe(0);
  });
});

describe('Copy as JSON', () => {
  it('gives the recorded data as JSON and says when something was cut or is not JSON', () => {
    expect(
      previewJson(
        obj([
          ['method', str('add')],
          ['args', { t: 'array', len: 2, items: [num(1), num(2)] }],
        ]),
      ),
    ).toEqual({
      json: '{\n  "method": "add",\n  "args": [\n    1,\n    2\n  ]\n}',
      cut: false,
    });
    const long = previewJson(obj([['text', { t: 'string', v: 'abc', len: 5000, truncated: true }]]));
    expect(long.cut).toBe(true);
    expect(JSON.parse(long.json)).toEqual({ text: 'abc… (5000 chars)' });
    const more = previewJson({ t: 'array', len: 10, items: [num(1)], truncated: true });
    expect(more.cut).toBe(true);
    expect(JSON.parse(more.json)).toEqual([1, '[… 9 more items not recorded]']);
    expect(previewJson({ t: 'arraybuffer', byteLength: 8 })).toEqual({ json: '"[ArrayBuffer(8)]"', cut: true });
  });
});
