/**
 * A hand-built model view of tests/fixtures/trace/two-frames.json, shaped like the model's
 * public API (panel/model/types.ts), for the exporter's tests independent of the model code.
 */
import type { ContextNode, MessageRecord, PortNode } from '../../../panel/model/types.ts';
import type { PerfettoSource } from '../../../cli/perfetto.ts';

const T = 1732440000000;
const W = 'w-7f3a';
const F = 'f-91c2';

function port(
  id: string,
  channel: string,
  holders: [string, number, number][],
  extra: Partial<PortNode> = {},
): PortNode {
  return {
    id,
    channel,
    entangled: null,
    context: holders[holders.length - 1][0],
    enabled: false,
    shipped: holders.length > 1,
    closed: false,
    collected: false,
    partiallyObserved: false,
    listeners: { message: 0, messageerror: 0, close: 0, onmessage: false },
    portMessageQueue: [],
    queueEntries: [],
    queued: 0,
    countedQueued: 0,
    evictedQueued: 0,
    oldestQueuedAt: null,
    posted: 0,
    delivered: 0,
    countedPosted: 0,
    countedDelivered: 0,
    dropped: 0,
    droppedBy: {},
    holders: holders.map(([context, localId, since]) => ({ context, localId, since: T + since })),
    createdAt: T + holders[0][2],
    ...extra,
  };
}

function message(
  id: string,
  from: [string, string],
  to: [string, string],
  postedAt: number,
  dispatchedAt?: number,
  duration?: number,
): MessageRecord {
  return {
    id,
    from: { port: from[0], context: from[1] },
    to: { port: to[0], context: to[1] },
    postedAt: T + postedAt,
    dispatchedAt: dispatchedAt === undefined ? undefined : T + dispatchedAt,
    state: dispatchedAt === undefined ? 'queued' : 'delivered',
    bytes: 10,
    fingerprint: 'fp',
    transfer: [],
    transferredPorts: [],
    duration,
    postObserved: true,
  };
}

const ctx = (id: string, kind: ContextNode['kind'], url: string): ContextNode => ({
  id,
  kind,
  url,
  origin: 'http://127.0.0.1:4000',
  framePath: '',
  observed: true,
  createdAt: T,
});

/** Each port message queue's depth over time, as the model computes it from the messages above. */
const DEPTHS: Record<string, [number, number][]> = {
  p1: [
    [12, 1],
    [13, 0],
  ],
  p2: [
    [13.2, 1],
    [14, 0],
  ],
  p4: [[20.2, 1]],
};

export function twoFramesView(): PerfettoSource {
  return {
    queueDepth: (id) => ({
      changes: (DEPTHS[id] ?? []).map(([time, depth]) => ({ time: T + time, depth })),
      cut: 0,
      late: 0,
    }),
    contexts: new Map([
      [W, ctx(W, 'window', 'http://127.0.0.1:4000/demo/')],
      [F, ctx(F, 'iframe', 'http://127.0.0.1:4000/demo/child.html')],
    ]),
    ports: new Map([
      ['p1', port('p1', 'c1', [[W, 1, 1.5]])],
      [
        'p2',
        port('p2', 'c1', [
          [W, 2, 1.5],
          [F, 1, 11],
        ]),
      ],
      ['p3', port('p3', 'c2', [[W, 3, 20]])],
      ['p4', port('p4', 'c2', [[W, 4, 20]])],
    ]),
    messages: [
      message('m1', ['p2', F], ['p1', W], 12, 13, 0.4),
      message('m2', ['p1', W], ['p2', F], 13.2, 14, 0.2),
      message('m3', ['p3', W], ['p4', W], 20.2),
    ],
  };
}
