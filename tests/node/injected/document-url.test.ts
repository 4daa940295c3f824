import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { completingUrl, isPlaceholderUrl, type PendingUrl } from '../../../injected/document-url.ts';
import { Emitter } from '../../../injected/emitter.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;

/** An emitter over completingUrl, as install() builds it, with a window whose URL the test moves. */
function setUp(initialUrl: string) {
  const global = { location: { href: initialUrl } };
  const batches: Fact[][] = [];
  const pending: PendingUrl = {};
  // A long timer: the test flushes by hand.
  const emitter = new Emitter(
    'c1',
    completingUrl({ deliver: (facts) => batches.push(facts.map((f) => ({ ...f }))) }, global, pending),
    { flushMs: 60_000 },
  );
  const fact = emitter.emit<ContextFact>({
    kind: 'context',
    ctx: 'c1',
    contextKind: 'iframe',
    url: initialUrl,
    origin: '',
    framePath: 'top.frames[0]',
    observed: true,
    userAgent: '',
  })!;
  if (isPlaceholderUrl(initialUrl)) {
    pending.fact = fact;
    pending.reannounce = (f) => emitter.emit(f);
  }
  const contexts = () =>
    batches
      .flat()
      .filter((f) => f.kind === 'context')
      .map((f) => [f.seq, (f as ContextFact).url]);
  return { global, emitter, contexts };
}

describe('the context fact of a document whose URL is not known yet', () => {
  it('leaves with the URL the document has by its first delivery (Firefox iframes at document_start)', () => {
    const { global, emitter, contexts } = setUp('');
    global.location.href = 'http://a.test/frame.html';
    emitter.flush();
    expect(contexts()).toEqual([[1, 'http://a.test/frame.html']]);
  });

  it('is announced again, once, when the URL changes after it left (a reused initial about:blank)', () => {
    const { global, emitter, contexts } = setUp('');
    global.location.href = 'about:blank';
    emitter.flush();
    expect(contexts()).toEqual([[1, 'about:blank']]);
    emitter.emit({ kind: 'context-destroyed', ctx: 'c1', reason: 'unload' });
    emitter.flush();
    expect(contexts()).toEqual([[1, 'about:blank']]);
    global.location.href = 'http://a.test/child.html';
    emitter.emit({ kind: 'port-seen', ctx: 'c1', port: 1, how: 'other' });
    emitter.flush();
    emitter.flush();
    expect(contexts()).toEqual([
      [1, 'about:blank'],
      [4, 'http://a.test/child.html'],
    ]);
    global.location.href = 'http://a.test/elsewhere.html';
    emitter.emit({ kind: 'port-seen', ctx: 'c1', port: 2, how: 'other' });
    emitter.flush();
    expect(contexts()).toHaveLength(2);
  });

  it('stays as it is for a document that stays about:blank, and for one whose URL was known at once', () => {
    const blank = setUp('about:blank');
    blank.emitter.flush();
    blank.emitter.emit({ kind: 'port-seen', ctx: 'c1', port: 1, how: 'other' });
    blank.emitter.flush();
    expect(blank.contexts()).toEqual([[1, 'about:blank']]);

    const known = setUp('http://a.test/');
    known.global.location.href = 'http://a.test/#moved';
    known.emitter.flush();
    expect(known.contexts()).toEqual([[1, 'http://a.test/']]);
  });
});
