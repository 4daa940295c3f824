/** Which contexts a source of facts may speak for (extension/fact-sender.ts), alone and in the router. */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { FactSenders, MAX_CONTEXTS, originOfUrl, type SenderFrame } from '../../../extension/fact-sender.ts';
import { DebugRouter } from '../../../extension/debug-hook.ts';
import { StandInPort } from '../relay/stand-in-port.ts';

const PAGE = 'https://ad.example';
const frame: SenderFrame = { url: `${PAGE}/child.html`, origin: PAGE };

const context = (ctx: string, url: string, origin: string, extra: Partial<Fact> = {}): Fact =>
  ({
    kind: 'context',
    ctx,
    contextKind: 'iframe',
    url,
    origin,
    framePath: '',
    observed: true,
    userAgent: 'test',
    seq: 1,
    time: 0,
    ...extra,
  }) as Fact;
const note = (ctx: string): Fact => ({ kind: 'runtime-note', ctx, code: 'n', message: 'm', seq: 2, time: 0 });

/** One tab's rule: `send` returns what was kept and what was refused. */
function tab(session = 's1') {
  const senders = new FactSenders();
  const record = {};
  const refused: string[] = [];
  const send = (source: string, sender: SenderFrame | null, facts: Fact[], s = session) => {
    const m = { facts, chars: 10 };
    senders.admit(record, s, source, sender, m, (n, e) => {
      for (let i = 0; i < n; i++) refused.push(e);
    });
    return m;
  };
  return { send, refused, senders };
}

describe('originOfUrl (HTML Standard, origin of a URL)', () => {
  it('tuple origins for http(s), ws(s), ftp and a blob: of one; nothing for URLs that do not determine it', () => {
    expect(originOfUrl('https://bank.example/transfer?x=1')).toBe('https://bank.example');
    expect(originOfUrl('http://127.0.0.1:8080/a')).toBe('http://127.0.0.1:8080');
    expect(originOfUrl('wss://a.example/s')).toBe('wss://a.example');
    expect(originOfUrl('blob:https://a.example/4f1c')).toBe('https://a.example');
    for (const u of ['about:blank', 'about:srcdoc', 'data:text/javascript,1', 'blob:null/4f1c', 'file:///x', '', 'x'])
      expect(originOfUrl(u), u).toBeUndefined();
  });
});

describe("a relay's contexts", () => {
  it("keeps contexts of the frame's origin: its document, about:blank and about:srcdoc ones, its workers", () => {
    const { send, refused } = tab();
    const m = send('r', frame, [
      context('a', `${PAGE}/child.html`, PAGE),
      context('b', 'about:srcdoc', PAGE),
      context('c', 'about:blank', PAGE),
      context('d', `blob:${PAGE}/4f1c`, PAGE, { contextKind: 'worker' } as Partial<Fact>),
      context('e', `${PAGE}/w.js`, PAGE, { contextKind: 'sharedworker' } as Partial<Fact>),
    ]);
    expect(m.facts).toHaveLength(5);
    expect(m.chars).toBe(10);
    expect(refused).toEqual([]);
  });

  it('keeps opaque ones: a data: worker, and a sandboxed document at the frame URL', () => {
    const { send, refused } = tab();
    send('r', frame, [context('a', 'data:text/javascript,1', 'null', { contextKind: 'worker' } as Partial<Fact>)]);
    send('s', { url: `${PAGE}/sandboxed.html`, origin: 'null' }, [context('b', `${PAGE}/sandboxed.html`, 'null')]);
    expect(refused).toEqual([]);
  });

  it('refuses a context of another origin, a URL of another origin under its own, and a sandboxed one elsewhere', () => {
    const { send, refused } = tab();
    const m = send('r', frame, [
      context('a', 'https://bank.example/transfer', 'https://bank.example'),
      context('b', 'https://bank.example/transfer', PAGE),
      context('c', 'https://bank.example/transfer', 'null'),
      context('d', `${PAGE}/child.html`, PAGE),
    ]);
    expect(m.facts.map((f) => f.ctx)).toEqual(['d']);
    expect(m.chars).toBeUndefined();
    expect(refused).toEqual([
      'context "a": origin "https://bank.example" is not this frame\'s ("https://ad.example")',
      'context "b": url "https://bank.example/transfer" is not of origin "https://ad.example"',
      'context "c": url "https://bank.example/transfer" is not of origin "null"',
    ]);
  });

  it("an opaque frame speaks for no context of a tuple origin, its creator's included", () => {
    const { send, refused } = tab();
    send('r', { url: `${PAGE}/sandboxed.html`, origin: 'null' }, [context('a', 'about:srcdoc', PAGE)]);
    expect(refused).toHaveLength(1);
  });

  it("takes the origin of the frame's URL when the browser gives none", () => {
    const { send, refused } = tab();
    send('r', { url: `${PAGE}/child.html` }, [context('a', 'about:blank', 'https://bank.example')]);
    expect(refused).toHaveLength(1);
  });

  it('bounds page text in its errors', () => {
    const { send, refused } = tab();
    send('r', frame, [context('a', `https://bank.example/${'x'.repeat(5_000)}`, PAGE)]);
    expect(refused[0].length).toBeLessThan(400);
  });
});

describe('whose context a fact is of', () => {
  it("refuses another source's facts of a claimed context, and its context fact; keeps references to it", () => {
    const { send, refused } = tab();
    send('top', { url: 'https://news.example/', origin: 'https://news.example' }, [
      context('top', 'https://news.example/', 'https://news.example'),
    ]);
    const m = send('ad', frame, [
      note('top'),
      context('top', `${PAGE}/child.html`, PAGE),
      context('child', `${PAGE}/child.html`, PAGE, { parent: 'top' } as Partial<Fact>),
      note('child'),
    ]);
    expect(m.facts.map((f) => `${f.kind} ${f.ctx}`)).toEqual(['context child', 'runtime-note child']);
    expect(refused).toEqual([
      'runtime-note fact of context "top": that context is another frame\'s or worker\'s',
      'context fact of context "top": that context is another frame\'s or worker\'s',
    ]);
    // The owner itself still speaks for it.
    expect(send('top', null, [note('top')]).facts).toHaveLength(1);
  });

  it("a new top document starts over: the previous one's contexts no longer belong to anyone", () => {
    const { send, refused } = tab();
    send('a', frame, [context('x', `${PAGE}/a`, PAGE)]);
    expect(send('b', frame, [note('x')], 's2').facts).toHaveLength(1);
    expect(refused).toEqual([]);
  });

  it("a worker session's contexts are of its first context's origin", () => {
    const { send, refused } = tab();
    send('worker:1', null, [context('w', `${PAGE}/w.js`, PAGE, { contextKind: 'worker' } as Partial<Fact>)]);
    send('worker:1', null, [context('v', 'https://bank.example/w.js', 'https://bank.example')]);
    send('worker:1', null, [context('u', 'data:text/javascript,1', 'null')]);
    expect(refused).toEqual(['context "v": origin "https://bank.example" is not this frame\'s ("https://ad.example")']);
  });

  it(`claims at most ${MAX_CONTEXTS} contexts per tab document, refusing (and counting) the rest`, () => {
    const { send, refused } = tab();
    const many = Array.from({ length: MAX_CONTEXTS + 2 }, (_, i) => note(`c${i}`));
    expect(send('r', frame, many).facts).toHaveLength(MAX_CONTEXTS);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(/more than 65536 live contexts/);
  });

  it('holds only live contexts: a destroyed one is released, and the bound counts the live ones', () => {
    const { send, refused } = tab();
    const destroyed = (ctx: string): Fact => ({ kind: 'context-destroyed', ctx, reason: 'close', seq: 3, time: 0 });
    for (let round = 0; round < 3; round++) {
      const ids = Array.from({ length: MAX_CONTEXTS }, (_, i) => `r${round}c${i}`);
      send('r', frame, ids.map(note));
      send('r', frame, ids.map(destroyed));
    }
    expect(refused).toEqual([]);
  });
});

describe('in the router', () => {
  const setup = () => {
    const router = new DebugRouter({
      extensionOrigin: 'chrome-extension://abc/',
      statusIntervalMs: 0,
      resync: () => {},
      persist: () => {},
    });
    const relay = (id: string, frameId: number, sender: SenderFrame, lastSeq = 0, firstRetained = lastSeq + 1) => {
      const port = new StandInPort('portscope-content', { tab: { id: 1 }, frameId, ...sender });
      router.connectContent(port);
      port.receive({
        type: 'hello',
        relay: id,
        session: null,
        url: sender.url,
        top: frameId === 0,
        lastSeq,
        firstRetained,
      });
      return port;
    };
    return { router, relay };
  };
  const NEWS = { url: 'https://news.example/', origin: 'https://news.example' };

  it("counts what it refuses in the tab's status, with the error, and keeps the rest in order", () => {
    const { router, relay } = setup();
    relay('top', 0, NEWS).receive({ type: 'batch', seq: 1, facts: [context('t', NEWS.url, NEWS.origin)] });
    const ad = relay('ad', 3, frame);
    ad.receive({
      type: 'batch',
      seq: 1,
      facts: [
        context('a', frame.url!, PAGE),
        context('f', 'https://bank.example/transfer', 'https://bank.example'),
        note('t'),
        note('a'),
      ],
    });
    expect(router.facts(1).map((f) => `${f.kind} ${f.ctx}`)).toEqual(['context t', 'context a', 'runtime-note a']);
    expect(router.tabStatus(1)).toMatchObject({
      rejected: 2,
      lastError: 'runtime-note fact of context "t": that context is another frame\'s or worker\'s',
    });
    expect(ad.of('ack').map((m) => m.seq)).toEqual([1]);
  });

  it("a worker session of the debugger speaks for its own contexts only, of its first context's origin", () => {
    const { router, relay } = setup();
    relay('top', 0, NEWS).receive({ type: 'batch', seq: 1, facts: [context('t', NEWS.url, NEWS.origin)] });
    const worker = (session: string, facts: Fact[]) =>
      router.workerBatch(1, `worker:${session}`, JSON.stringify({ type: 'batch', seq: 1, facts }));
    worker('s1', [
      context('w', `${NEWS.origin}/w.js`, NEWS.origin, { contextKind: 'worker' } as Partial<Fact>),
      note('w'),
      note('t'),
      context('v', 'https://bank.example/w.js', 'https://bank.example'),
    ]);
    worker('s2', [note('w')]);
    expect(router.facts(1).map((f) => `${f.kind} ${f.ctx}`)).toEqual(['context t', 'context w', 'runtime-note w']);
    expect(router.tabStatus(1)).toMatchObject({ rejected: 3 });
  });

  it('a relay replaying to a restarted background keeps its facts, even with its first batches evicted', () => {
    const { router, relay } = setup();
    // A fresh router: the relay's batches 1–4 (its context fact among them) were evicted from its log.
    const port = relay('top', 0, NEWS, 9, 5);
    port.receive({ type: 'batch', seq: 5, facts: [note('t')] });
    expect(router.facts(1)).toHaveLength(1);
    expect(router.tabStatus(1)).toMatchObject({ rejected: 0 });
  });
});
