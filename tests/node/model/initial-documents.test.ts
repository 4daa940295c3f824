/**
 * A frame's initial about:blank and the real document that reuses its Window (the HTML
 * Standard keeps the global for that first navigation): one context, never destroyed by the
 * placeholder's unload, in whatever order the facts arrive. A frame whose Window really is
 * replaced (another context at its frame path) ends at the placeholder's unload.
 */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { createModel } from '../../../panel/model/model.ts';
import { byContext, type Ctx, Stream } from './facts.ts';

const CHILD_URL = 'https://app.test/child.html';

/** The runtime's sequence in a frame: announced on its placeholder, unloaded, announced again with its real URL. */
function placeholderThenReal(s: Stream, id = 'child', url = 'about:blank'): Ctx {
  const child = s.context(id, 'iframe', { url, framePath: 'top.frames[0]', parent: 'top' });
  child.destroyed('unload');
  child.emit('context', {
    contextKind: 'iframe',
    url: CHILD_URL,
    origin: 'https://app.test',
    framePath: 'top.frames[0]',
    parent: 'top',
    observed: true,
    userAgent: 'test',
  });
  return child;
}

/** penpal's shape: the child makes the channel and hands port2 to its parent; six calls each way. */
function penpalShape(placeholderUrl: string) {
  const s = new Stream();
  const top = s.context('top');
  const child = placeholderThenReal(s, 'child', placeholderUrl);
  const [mine, theirs] = child.channel();
  child.addListener(mine);
  child.start(mine);
  child.carrierPost('window', 'top', 'ack', [theirs]);
  const [received] = top.carrierReceive('window', 'top.frames[0]', 'ack', 1, { sourcePath: 'top.frames[0]' });
  top.addListener(received);
  top.start(received);
  for (let i = 0; i < 6; i++) {
    top.post(received, `call ${i}`);
    child.dispatch(mine, `call ${i}`);
    child.post(mine, `reply ${i}`);
    top.dispatch(received, `reply ${i}`);
  }
  return { s, top, child };
}

function summaryOf(facts: Fact[]) {
  const model = createModel();
  model.apply(facts);
  model.settle();
  return { model, summary: model.summary() };
}

describe('initial documents', () => {
  for (const placeholder of ['about:blank', '']) {
    for (const order of ['as emitted', 'parent first', 'child first'] as const) {
      it(`one context, nothing dropped, no diagnostic (placeholder ${JSON.stringify(placeholder)}, ${order})`, () => {
        const { s, top, child } = penpalShape(placeholder);
        const facts =
          order === 'as emitted' ? s.all : order === 'parent first' ? byContext(top, child) : byContext(child, top);
        const { model, summary } = summaryOf(facts);
        expect(summary.contexts.map((c) => [c.id, c.kind, c.url])).toEqual([
          ['top', 'window', 'https://app.test/top.html'],
          ['child', 'iframe', CHILD_URL],
        ]);
        expect(model.contexts.get('child')!.destroyed).toBeUndefined();
        expect(summary.messages).toEqual({ posted: 12, delivered: 12, queued: 0, dropped: 0 });
        expect(summary.diagnostics).toEqual([]);
      });
    }
  }

  it("the real document's own unload still ends the context", () => {
    const s = new Stream();
    s.context('top');
    const child = placeholderThenReal(s);
    child.destroyed('unload');
    const { model } = summaryOf(s.all);
    expect(model.contexts.get('child')!.destroyed?.reason).toBe('unload');
  });

  it('a placeholder whose frame then holds another Window ended at its unload', () => {
    const s = new Stream();
    const top = s.context('top');
    const blank = s.context('blank', 'iframe', { url: 'about:blank', framePath: 'top.frames[0]', parent: 'top' });
    const [a, b] = top.channel();
    top.handToFrame(blank, b);
    blank.destroyed('unload');
    const unloadedAt = s.time;
    s.context('other', 'iframe', { url: 'https://other.test/page.html', framePath: 'top.frames[0]', parent: 'top' });
    top.post(a, 'too late');
    const { model, summary } = summaryOf(s.all);
    expect(model.contexts.get('blank')!.destroyed).toEqual({ time: unloadedAt, reason: 'unload' });
    expect(summary.messages.dropped).toBe(1);
    expect(summary.diagnostics.map((d) => d.code)).toEqual(['message-to-destroyed-context']);
  });

  it('a placeholder that only unloaded is not called destroyed: nothing proves its Window ended', () => {
    const s = new Stream();
    const top = s.context('top');
    const blank = s.context('blank', 'iframe', { url: 'about:blank', framePath: 'top.frames[0]', parent: 'top' });
    const [a, b] = top.channel();
    top.handToFrame(blank, b);
    blank.destroyed('unload');
    top.post(a, 'maybe');
    const { model, summary } = summaryOf(s.all);
    expect(model.contexts.get('blank')!.destroyed).toBeUndefined();
    expect(summary.diagnostics).toEqual([]);
    expect(summary.messages).toEqual({ posted: 1, delivered: 0, queued: 1, dropped: 0 });
  });
});

describe('a frame navigated in place', () => {
  for (const skew of [0, 50])
    it(`a port sent to the frame is received by the document that was there, even when the next one announced first (frames' clock ${skew} ms ahead)`, () => {
      const s = new Stream();
      const top = s.context('top');
      const first = s.context('first', 'iframe', { url: CHILD_URL, framePath: 'top.frames[0]', parent: 'top' });
      const [a, b] = top.channel();
      top.carrierPost('window', 'top.frames[0]', 'port', [b]);
      const [got] = first.carrierReceive('window', 'top', 'port', 1, { sourcePath: 'top' });
      first.onmessage(got);
      top.post(a, 'before');
      first.dispatch(got, 'before');
      first.destroyed('unload');
      const next = s.context('next', 'iframe', {
        url: 'https://app.test/other.html',
        framePath: 'top.frames[0]',
        parent: 'top',
      });
      top.post(a, 'after');
      for (const fact of [...first.facts, ...next.facts]) (fact as { time: number }).time += skew;
      // The parent's facts come last: the frame path already names the next document.
      const { model, summary } = summaryOf([...byContext(first, next), ...top.facts]);
      expect(summary.transfers).toEqual([{ port: 'p2', from: 'top', to: 'first' }]);
      expect(summary.messages).toEqual({ posted: 2, delivered: 1, queued: 0, dropped: 1 });
      expect(summary.diagnostics.map((d) => [d.code, d.context])).toEqual([['message-to-destroyed-context', 'first']]);
      expect(model.contexts.get('next')!.destroyed).toBeUndefined();
    });
});

describe('a port from a frame that has navigated since', () => {
  it('comes from the document that was there when it was sent', () => {
    const s = new Stream();
    const top = s.context('top');
    const first = s.context('first', 'iframe', { url: CHILD_URL, framePath: 'top.frames[0]', parent: 'top' });
    const [kept] = first.channel();
    first.onmessage(kept);
    // Shipped with the options form of window.postMessage: no fact on the sender's side.
    const [got] = top.carrierReceive('window', 'top.frames[0]', 'connect', 1, { sourcePath: 'top.frames[0]' });
    first.destroyed('unload');
    s.context('next', 'iframe', { url: 'https://app.test/other.html', framePath: 'top.frames[0]', parent: 'top' });
    top.onmessage(got);
    top.post(got, 'hello');
    const { summary } = summaryOf(s.all);
    expect(summary.channels).toBe(1);
    expect(summary.transfers).toEqual([{ port: 'p2', from: 'first', to: 'top' }]);
  });
});
