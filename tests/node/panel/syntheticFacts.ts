/**
 * A test-only, deterministic fact stream shaped like a real page: a top window that hands one
 * port of a channel to an iframe (window carrier), ping/pong traffic both ways, and a port
 * whose queue was never enabled. Used by the panel's Node tests, the benchmark and the
 * standalone-viewer fixtures; never by production code.
 */
import type { Fact, Preview } from '../../../protocol/facts.ts';

export const TOP = 'ctx-top';
export const FRAME = 'ctx-frame';

export interface SyntheticOptions {
  /** Messages posted on the main channel (half each way). */
  messages: number;
  /** Messages per yielded batch. */
  batch?: number;
  /** Messages left waiting on the never-started port. */
  stuck?: number;
  /** Start time (ms since epoch). */
  start?: number;
}

const str = (v: string): Preview => ({ t: 'string', v, len: v.length });

function payload(n: number, from: string): Preview {
  return {
    t: 'object',
    keys: 3,
    entries: [
      ['type', str(from === TOP ? 'ping' : 'pong')],
      ['n', { t: 'number', v: n }],
      ['note', str(n % 1000 === 0 ? `milestone ${n}` : `message ${n}`)],
    ],
  };
}

export function* syntheticFacts(opts: SyntheticOptions): Generator<Fact[]> {
  const batch = opts.batch ?? 1000;
  const seq: Record<string, number> = { [TOP]: 0, [FRAME]: 0 };
  let time = opts.start ?? 1_700_000_000_000;
  const at = (ctx: string) => ({ seq: ++seq[ctx]!, time: (time += 0.05) });
  const site = {
    stack: ['    at connect (http://127.0.0.1:8080/demo.js:6:17)', '    at http://127.0.0.1:8080/demo.js:30:1'],
  };

  yield [
    {
      ...at(TOP),
      kind: 'context',
      ctx: TOP,
      contextKind: 'window',
      url: 'http://127.0.0.1:8080/index.html',
      origin: 'http://127.0.0.1:8080',
      framePath: 'top',
      observed: true,
      userAgent: 'synthetic',
    },
    {
      ...at(FRAME),
      kind: 'context',
      ctx: FRAME,
      contextKind: 'iframe',
      url: 'http://127.0.0.1:8080/child.html',
      origin: 'http://127.0.0.1:8080',
      framePath: 'top.frames[0]',
      parent: TOP,
      observed: true,
      userAgent: 'synthetic',
    },
    // Channel 1: port 2 goes to the iframe.
    { ...at(TOP), kind: 'channel-created', ctx: TOP, channel: 1, port1: 1, port2: 2, site },
    { ...at(TOP), kind: 'port-enabled', ctx: TOP, port: 1, how: 'onmessage' },
    {
      ...at(TOP),
      kind: 'carrier-posted',
      ctx: TOP,
      carrierId: 1,
      carrier: 'window',
      target: 'top.frames[0]',
      targetOrigin: '*',
      fingerprint: 'connect',
      preview: { t: 'object', keys: 1, entries: [['type', str('connect')]] },
      bytes: 20,
      transfer: [{ t: 'port', port: 2 }],
    },
    { ...at(TOP), kind: 'port-shipped', ctx: TOP, port: 2, carrier: 'window', carrierId: 1, index: 0 },
    {
      ...at(FRAME),
      kind: 'carrier-received',
      ctx: FRAME,
      carrier: 'window',
      source: 'top',
      sourceOrigin: 'http://127.0.0.1:8080',
      fingerprint: 'connect',
      ports: [1],
    },
    {
      ...at(FRAME),
      kind: 'port-received',
      ctx: FRAME,
      port: 1,
      carrier: 'window',
      sourcePath: 'top',
      sourceOrigin: 'http://127.0.0.1:8080',
      fingerprint: 'connect',
      index: 0,
      count: 1,
    },
    { ...at(FRAME), kind: 'port-enabled', ctx: FRAME, port: 1, how: 'onmessage' },
    // Channel 2: the classic bug, a listener but no start().
    { ...at(TOP), kind: 'channel-created', ctx: TOP, channel: 2, port1: 3, port2: 4, site },
    { ...at(TOP), kind: 'listener-added', ctx: TOP, port: 3, type: 'message', via: 'addEventListener' },
  ];

  const stuck: Fact[] = [];
  for (let i = 1; i <= (opts.stuck ?? 3); i++) {
    stuck.push({
      ...at(TOP),
      kind: 'port-posted',
      ctx: TOP,
      port: 4,
      msg: i,
      preview: str(`stuck ${i}`),
      bytes: 10,
      fingerprint: `s${i}`,
      transfer: [],
      outcome: 'sent',
    });
  }
  yield stuck;

  let out: Fact[] = [];
  const posted = { [TOP]: 0, [FRAME]: 0 };
  for (let n = 1; n <= opts.messages; n++) {
    const from = n % 2 ? TOP : FRAME;
    const to = from === TOP ? FRAME : TOP;
    const preview = payload(n, from);
    const fingerprint = `f${n}`;
    out.push({
      ...at(from),
      kind: 'port-posted',
      ctx: from,
      port: 1,
      msg: ++posted[from]!,
      preview,
      bytes: 48,
      fingerprint,
      transfer: [],
      outcome: 'sent',
    });
    out.push({
      ...at(to),
      kind: 'message-dispatched',
      ctx: to,
      port: 1,
      fingerprint,
      preview,
      ports: [],
      handlers: 1,
      duration: 0.02,
    });
    if (n % batch === 0) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** The whole stream as one array (small streams only). */
export function allSyntheticFacts(opts: SyntheticOptions): Fact[] {
  return [...syntheticFacts(opts)].flat();
}
