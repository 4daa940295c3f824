// The panel shows what the model knows: the library that made a channel (and the library:
// filter), a port seen late, a transfer two readings fit and the diagnostics withheld on it,
// a document no runtime can run in. Rendered to static markup from real fact streams.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Fact } from '../../../protocol/facts.ts';
import { createModel } from '../../../panel/model/model.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { messageRows } from '../../../panel/messageRows.ts';
import { parseQuery } from '../../../panel/query.ts';
import { ChannelsView } from '../../../panel/ui/ChannelsView.tsx';
import { DiagnosticsView } from '../../../panel/ui/DiagnosticsView.tsx';
import { MessagesView } from '../../../panel/ui/MessagesView.tsx';
import { StoreContext } from '../../../panel/ui/storeContext.ts';
import { Stream } from '../model/facts.ts';

function storeOf(facts: Fact[]) {
  const store = createPanelStore({ createModel, send: () => {}, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
  store.getState().ingest(facts);
  store.getState().model.settle();
  return store;
}

function render(facts: Fact[], view: () => React.JSX.Element) {
  const store = storeOf(facts);
  const View = view;
  return renderToStaticMarkup(
    <StoreContext.Provider value={store}>
      <View />
    </StoreContext.Provider>,
  );
}

const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

function reactAndPage() {
  const s = new Stream();
  const top = s.context('top');
  const [port1, port2] = [top.newPortId(), top.newPortId()];
  top.emit('channel-created', {
    channel: 99,
    port1,
    port2,
    site: { stack: ['    at http://app.test/assets/react-dom-x1.js:148:17'] },
  });
  top.onmessage(port1);
  top.post(port2, 'tick');
  top.dispatch(port1, 'tick');
  const [mine, other] = top.channel();
  top.start(mine);
  top.post(other, 'own');
  top.dispatch(mine, 'own');
  return s.all;
}

describe('library channels in the panel', () => {
  it('the Channels tree names the library that made a channel, and only that one', () => {
    const html = render(reactAndPage(), ChannelsView);
    expect(html.match(/class="badge library"/g)).toHaveLength(2); // both ports of React's channel
    expect(text(html)).toContain('React scheduler');
  });

  it('the Messages table says which library made the channel a message went through', () => {
    const html = render(reactAndPage(), MessagesView);
    expect(html).toContain('title="window /top.html · channel c1 (made by React scheduler)"');
    expect(html.match(/ · React scheduler/g)).toHaveLength(1);
  });

  it("library:react keeps the messages of that library's channels; -library:react the others", () => {
    const model = storeOf(reactAndPage()).getState().model;
    const sort = { key: 'time', dir: 'asc' } as const;
    expect(messageRows(model, parseQuery('library:react'), sort).map((m) => m.from.port)).toEqual(['p2']);
    expect(messageRows(model, parseQuery('-library:react'), sort).map((m) => m.from.port)).toEqual(['p4']);
    expect(messageRows(model, parseQuery('library:comlink'), sort)).toEqual([]);
  });
});

describe('what is not known, said so', () => {
  it('a port first seen when used has a "seen late" badge that explains it', () => {
    const s = new Stream();
    const top = s.context('top');
    top.emit('port-seen', { port: 7, how: 'late' });
    top.onmessage(7);
    top.post(7, 'hello');
    const html = render(s.all, ChannelsView);
    expect(html).toMatch(
      /<span class="badge partial" title="First seen when page code used it[^"]*">\s*seen late\s*<\/span>/,
    );
  });

  it('a transfer two readings fit says "unknown — two readings fit", and the withheld diagnostic is counted', () => {
    // The model's own case (tests/node/model/inference.test.ts): a cross-origin sender ships without a fact.
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]', parent: 'top' });
    top.channel();
    const [c] = top.channel();
    const [received] = child.carrierReceive('window', 'top', 'connect', 1, { sourcePath: 'top' });
    top.close(c);
    child.post(received, 'hello');
    const facts = [...top.facts, ...child.facts];
    expect(text(render(facts, ChannelsView))).toContain('unknown — two readings fit');
    const diagnostics = text(render(facts, DiagnosticsView));
    expect(diagnostics).toContain('No problems found');
    expect(diagnostics).toContain(
      '1 possible problem was not reported: each rests on a port transfer that is unknown — two readings fit',
    );
  });

  it('a document no runtime can run in is shown as not observable, not as empty', () => {
    const s = new Stream();
    s.context('top');
    const sandboxed = s.context('sandboxed', 'iframe', { framePath: '', observed: false });
    sandboxed.emit('runtime-note', { code: 'no-runtime', message: 'scripts do not run in this document' });
    const html = text(render(s.all, ChannelsView));
    expect(html).toContain('not observable (no scripts)');
  });
});
