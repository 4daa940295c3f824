import { describe, expect, it } from 'vitest';
import { FACT_KINDS, type Fact } from '../../../protocol/facts.ts';
import {
  LIMITS,
  ProtocolError,
  partitionFacts,
  receiveBackgroundToPanel,
  validateBackgroundToPanel,
  validateContentToBackground,
  validateFact,
  validateFacts,
  validatePanelToBackground,
  validateRuntimeToRelay,
} from '../../../protocol/validate.ts';

const base = { seq: 1, time: 1_700_000_000_000.5, ctx: 'c-1' };
const preview = {
  t: 'object',
  keys: 2,
  entries: [
    ['a', { t: 'number', v: 'NaN' }],
    [
      'b',
      {
        t: 'array',
        len: 3,
        items: [
          { t: 'string', v: 'x', len: 1 },
          { t: 'ref', path: '$' },
        ],
        truncated: true,
      },
    ],
  ],
};

/** One well-formed fact of every kind. */
const samples: Fact[] = [
  {
    ...base,
    kind: 'context',
    contextKind: 'iframe',
    url: 'https://a.test/',
    origin: 'https://a.test',
    framePath: 'top.frames[0]',
    parent: 'c-0',
    observed: true,
    userAgent: 'UA',
  },
  { ...base, kind: 'context-destroyed', reason: 'removed' },
  { ...base, kind: 'channel-created', channel: 1, port1: 1, port2: 2, site: { stack: ['at f (a.js:1:2)'] } },
  { ...base, kind: 'port-seen', port: 3, how: 'sharedworker' },
  {
    ...base,
    kind: 'port-posted',
    port: 1,
    msg: 1,
    preview: preview as never,
    bytes: 12,
    fingerprint: 'o2',
    transfer: [
      { t: 'port', port: 4 },
      { t: 'arraybuffer', byteLength: 8 },
      { t: 'other', tag: 'ImageBitmap' },
    ],
    outcome: 'sent',
  },
  { ...base, kind: 'clone-error', port: 0, carrier: 'window', name: 'DataCloneError', message: 'no' },
  { ...base, kind: 'port-enabled', port: 2, how: 'onmessage' },
  { ...base, kind: 'listener-added', port: 2, type: 'message', via: 'addEventListener' },
  { ...base, kind: 'listener-removed', port: 2, type: 'close', via: 'onclose' },
  {
    ...base,
    kind: 'message-dispatched',
    port: 2,
    fingerprint: 'o2',
    preview: { t: 'date', v: 5 },
    ports: [5],
    handlers: 1,
    duration: 0.2,
    threw: { name: 'Error', message: 'x' },
  },
  { ...base, kind: 'messageerror', port: 2 },
  { ...base, kind: 'port-shipped', port: 4, carrier: 'port', carrierId: 1, index: 0 },
  {
    ...base,
    kind: 'port-received',
    port: 5,
    carrier: 'window',
    sourcePath: 'top',
    sourceOrigin: 'https://a.test',
    fingerprint: 'u',
    index: 0,
    count: 1,
  },
  { ...base, kind: 'port-closed', port: 1 },
  { ...base, kind: 'close-event', port: 2 },
  { ...base, kind: 'port-collected', port: 2 },
  {
    ...base,
    kind: 'carrier-posted',
    carrierId: 1,
    carrier: 'window',
    target: 'top.frames[0]',
    targetOrigin: '*',
    fingerprint: 'u',
    preview: { t: 'map', size: 1, entries: [[{ t: 'null' }, { t: 'boxed', inner: { t: 'bigint', v: '1' } }]] },
    bytes: 3,
    transfer: [],
  },
  { ...base, kind: 'carrier-received', carrier: 'worker', source: 'worker[1]', fingerprint: 'u', ports: [] },
  { ...base, kind: 'worker-created', worker: 1, workerKind: 'worker', url: 'w.js', module: false, childCtx: 'c-9' },
  { ...base, kind: 'worker-terminated', worker: 1 },
  { ...base, kind: 'facts-dropped', counts: { 'port-posted': 3 } },
  { ...base, kind: 'runtime-note', code: 'csp', message: 'refused' },
  { ...base, kind: 'client-message-queue-enabled', how: 'startMessages' },
  // Last, so the indexes above stay as the tests below use them.
  { ...base, kind: 'messages-counted', port: 2, posted: 3, dispatched: 0 },
  { ...base, kind: 'carriers-counted', carrier: 'worker', posted: 4, received: 2 },
];

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    return (e as Error).message;
  }
  throw new Error('expected a ProtocolError');
}

describe('validateFact', () => {
  it('accepts one fact of every kind unchanged', () => {
    expect(new Set(samples.map((s) => s.kind))).toEqual(new Set(FACT_KINDS));
    for (const s of samples) expect(validateFact(JSON.parse(JSON.stringify(s)), 'fact')).toEqual(s);
  });

  it('returns a fresh copy without unknown fields', () => {
    const f = { ...samples[13], extra: 'x'.repeat(10) };
    const out = validateFact(f, 'f');
    expect(out).not.toBe(f);
    expect('extra' in out).toBe(false);
  });

  it('names the exact path of the first problem', () => {
    const bad = structuredClone(samples);
    (bad[4] as { transfer: unknown[] }).transfer[0] = { t: 'port', port: 'x' };
    expect(errorOf(() => validateFacts(bad, 'facts'))).toBe(
      'facts[4].transfer[0].port: expected a positive integer, got "x"',
    );
    expect(errorOf(() => validateFact({ ...samples[0], kind: 'nope' }, 'f'))).toMatch(
      /^f\.kind: expected one of context\|/,
    );
    expect(errorOf(() => validateFact({ ...samples[13], port: 0 }, 'f'))).toBe(
      'f.port: expected a positive integer, got 0',
    );
    expect(errorOf(() => validateFact({ ...samples[13], seq: 1.5 }, 'f'))).toBe(
      'f.seq: expected a positive integer, got 1.5',
    );
    expect(errorOf(() => validateFact({ ...samples[13], time: Infinity }, 'f'))).toBe(
      'f.time: expected a finite number, got Infinity',
    );
    expect(errorOf(() => validateFact({ ...samples[13], ctx: '' }, 'f'))).toBe(
      'f.ctx: expected a non-empty id, got ""',
    );
    expect(errorOf(() => validateFact(null, 'f'))).toBe('f: expected an object, got null');
    expect(errorOf(() => validateFact([], 'f'))).toBe('f: expected an object, got an array');
    const nested = {
      ...samples[4],
      preview: { t: 'object', keys: 1, entries: [['k', { t: 'array', len: 1, items: [{ t: 'wat' }] }]] },
    };
    expect(errorOf(() => validateFact(nested, 'f'))).toBe(
      'f.preview.entries[0][1].items[0].t: expected a preview type, got "wat"',
    );
  });

  it('bounds strings, lists, preview size and depth', () => {
    expect(errorOf(() => validateFact({ ...samples[0], url: 'x'.repeat(LIMITS.string + 1) }, 'f'))).toBe(
      `f.url: expected a string of at most ${LIMITS.string} characters, got ${LIMITS.string + 1}`,
    );
    const wide = { ...samples[9], ports: new Array(LIMITS.list + 1).fill(1) };
    expect(errorOf(() => validateFact(wide, 'f'))).toMatch(/^f\.ports: expected at most/);
    let deep: unknown = { t: 'null' };
    for (let i = 0; i < LIMITS.previewDepth + 2; i++) deep = { t: 'boxed', inner: deep };
    expect(errorOf(() => validateFact({ ...samples[9], preview: deep }, 'f'))).toMatch(/preview deeper than/);
    const row = { t: 'array', len: LIMITS.previewList, items: new Array(LIMITS.previewList).fill({ t: 'null' }) };
    const rows = Math.ceil(LIMITS.previewNodes / LIMITS.previewList);
    const many = { t: 'array', len: rows, items: new Array(rows).fill(row) };
    expect(errorOf(() => validateFact({ ...samples[9], preview: many }, 'f'))).toMatch(/preview has more than/);
    expect(errorOf(() => validateFacts(new Array(LIMITS.batch + 1).fill(samples[13]), 'facts'))).toMatch(
      /^facts: expected at most/,
    );
  });

  it('accepts an invalid Date that JSON turned into null', () => {
    const f = validateFact({ ...samples[9], preview: { t: 'date', v: null } }, 'f') as Extract<
      Fact,
      { kind: 'message-dispatched' }
    >;
    expect(f.preview).toEqual({ t: 'date', v: NaN });
  });

  it('never throws anything but ProtocolError on junk', () => {
    const junk: unknown[] = [
      undefined,
      0,
      'x',
      [],
      {},
      { kind: 'port-posted' },
      { ...samples[4], preview: { t: 'object', entries: [[1]] } },
      { ...samples[4], transfer: [null] },
      { ...samples[20], counts: { a: -1 } },
      Object.create(null),
    ];
    for (const j of junk) errorOf(() => validateFact(j, 'j'));
  });
});

describe('partitionFacts', () => {
  it('keeps the good facts and counts the bad ones with the first error', () => {
    const r = partitionFacts([samples[13], { ...samples[13], port: -1 }, samples[14], 'junk'], 'batch');
    expect(r.facts).toEqual([samples[13], samples[14]]);
    expect(r.rejected).toBe(2);
    expect(r.firstError?.message).toBe('batch[1].port: expected a positive integer, got -1');
  });
});

describe('message validators', () => {
  it('runtime → relay: objects and JSON strings', () => {
    expect(validateRuntimeToRelay({ type: 'batch', seq: 3, facts: [] })).toEqual({ type: 'batch', seq: 3, facts: [] });
    expect(validateRuntimeToRelay('{"type":"batch","seq":1,"facts":[1]}')).toEqual({
      type: 'batch',
      seq: 1,
      facts: [1],
    });
    expect(errorOf(() => validateRuntimeToRelay('{'))).toBe('message: expected JSON, got unparsable text');
    expect(errorOf(() => validateRuntimeToRelay({ type: 'batch', seq: 0, facts: [] }))).toBe(
      'message.seq: expected a positive integer, got 0',
    );
  });

  it('runtime → relay: a JSON-text batch is checked by its envelope only', () => {
    const ok = {
      type: 'batch',
      seq: 2,
      count: 3,
      kinds: { 'port-posted': 2, 'port-closed': 1 },
      json: 'not even looked at',
    };
    expect(validateRuntimeToRelay(ok)).toEqual(ok);
    const bad: [unknown, string][] = [
      [{ ...ok, count: -1 }, 'message.count: expected a non-negative integer, got -1'],
      [
        { ...ok, count: 10_001, kinds: { 'port-posted': 10_001 } },
        'message.count: expected at most 10000 facts, got 10001',
      ],
      [{ ...ok, kinds: { 'port-posted': 2 } }, 'message.kinds: expected counts summing to 3, got 2'],
      [{ ...ok, kinds: { 'port-posted': 2, bogus: 1 } }, 'message.kinds key: expected one of'],
      [
        { ...ok, kinds: { 'port-posted': 2.5, 'port-closed': 0.5 } },
        'message.kinds.port-posted: expected a non-negative integer, got 2.5',
      ],
      [{ ...ok, kinds: [] }, 'message.kinds: expected an object, got an array'],
      [{ ...ok, json: 7 }, 'message.json: expected a string, got 7'],
      [
        { ...ok, json: 'x'.repeat(16 * 1024 * 1024 + 1) },
        `message.json: expected a string of at most ${16 * 1024 * 1024} characters, got ${16 * 1024 * 1024 + 1}`,
      ],
    ];
    for (const [x, message] of bad) expect(errorOf(() => validateRuntimeToRelay(x))).toContain(message);
  });

  it('content → background re-checks facts one by one', () => {
    const m = validateContentToBackground({
      type: 'batch',
      seq: 1,
      facts: [samples[13], { kind: 'x' }],
      dropped: { 'port-posted': 2 },
    });
    expect(m).toMatchObject({
      type: 'batch',
      seq: 1,
      facts: [samples[13]],
      dropped: { 'port-posted': 2 },
      rejectedFacts: 1,
    });
    expect(
      errorOf(() =>
        validateContentToBackground({
          type: 'hello',
          relay: 'r',
          session: null,
          url: 'u',
          top: 'yes',
          lastSeq: 0,
          firstRetained: 1,
        }),
      ),
    ).toBe('message.top: expected a boolean, got "yes"');
  });

  it('panel ↔ background', () => {
    expect(validatePanelToBackground({ type: 'subscribe', tabId: 4, cursor: { r: 2 } })).toEqual({
      type: 'subscribe',
      tabId: 4,
      cursor: { r: 2 },
    });
    expect(errorOf(() => validatePanelToBackground({ type: 'subscribe', tabId: -1 }))).toBe(
      'message.tabId: expected a non-negative integer, got -1',
    );
    expect(errorOf(() => validatePanelToBackground({ type: 'config', config: { captureStacks: true } }))).toBe(
      'message.config.inWorker: expected a boolean, got undefined',
    );
    expect(
      errorOf(() =>
        receiveBackgroundToPanel({
          type: 'facts-text',
          tabId: 1,
          session: 's',
          source: 'r',
          seq: 1,
          json: [{ json: JSON.stringify([{ ...samples[13], port: 'p' }]), count: 1 }],
        }),
      ),
    ).toBe('message.json[0][0].port: expected a positive integer, got "p"');
    expect(
      validateBackgroundToPanel({ type: 'status', tabId: 1, dropped: {}, evicted: { a: 1 }, buffered: 3, rejected: 0 }),
    ).toEqual({ type: 'status', tabId: 1, dropped: {}, evicted: { a: 1 }, buffered: 3, rejected: 0 });
  });
});
