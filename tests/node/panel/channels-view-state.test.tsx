// The Channels view (panel/ui/ChannelsView.tsx) on real fact streams: a port that only sends
// is not a warning, a listener or a waiting message on a port never started is; contexts
// collapse; a context of another origin says so; jargon is explained where it is shown;
// muted channels are hidden and counted.
import { afterEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Fact } from '../../../protocol/facts.ts';
import { createModel } from '../../../panel/model/model.ts';
import { NO_MUTES } from '../../../panel/mutes.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { ChannelsView, JARGON, PortBadges } from '../../../panel/ui/ChannelsView.tsx';
import { contextName } from '../../../panel/ui/labels.ts';
import { mutesStore } from '../../../panel/ui/mutesStore.ts';
import { StoreContext } from '../../../panel/ui/storeContext.ts';
import { Stream } from '../model/facts.ts';

function storeOf(facts: Fact[]) {
  const store = createPanelStore({ createModel, send: () => {}, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
  store.getState().ingest(facts);
  return store;
}

function badges(facts: Fact[], port: string): string {
  const store = storeOf(facts);
  const node = store.getState().model.ports.get(port)!;
  return renderToStaticMarkup(
    <StoreContext.Provider value={store}>
      <PortBadges port={node} />
    </StoreContext.Provider>,
  );
}

const view = (store: ReturnType<typeof storeOf>) =>
  renderToStaticMarkup(
    <StoreContext.Provider value={store}>
      <ChannelsView />
    </StoreContext.Provider>,
  );

afterEach(() => mutesStore.setState({ mutes: NO_MUTES, showMuted: false, error: null }));

describe('the not-started badge', () => {
  it('is no warning on a port that only sends', () => {
    const s = new Stream();
    const top = s.context('top');
    const [sender, receiver] = top.channel();
    top.onmessage(receiver);
    top.post(sender, 'hi');
    top.dispatch(receiver, 'hi');
    const html = badges(s.all, 'p1');
    expect(html).toContain('not started');
    expect(html).not.toContain('badge disabled');
    expect(html).toContain('class="badge idle"');
    expect(html).toContain('only sends never needs start()');
  });

  it('is a warning on a port with a message listener added by addEventListener and never started', () => {
    const s = new Stream();
    const top = s.context('top');
    const [listening] = top.channel();
    top.addListener(listening);
    expect(badges(s.all, 'p1')).toContain('class="badge disabled"');
  });

  it('is a warning on a port with messages waiting', () => {
    const s = new Stream();
    const top = s.context('top');
    const [, other] = top.channel();
    top.post(other, 'waits');
    const html = badges(s.all, 'p1');
    expect(html).toContain('class="badge disabled"');
    expect(html).toContain('1 queued');
  });
});

describe('the Channels view', () => {
  function crossOrigin() {
    const s = new Stream();
    const top = s.context('top');
    const widget = s.silentContext('widget');
    widget.emit('context', {
      contextKind: 'iframe',
      url: 'http://localhost:8102/widget.html',
      origin: 'http://localhost:8102',
      framePath: 'top.frames[0]',
      observed: true,
      userAgent: 'test',
    });
    const [a, b] = top.channel();
    top.onmessage(a);
    const there = top.handToFrame(widget, b);
    widget.post(there, 'hello');
    top.dispatch(a, 'hello');
    return s.all;
  }

  it('shows the origin of a context whose origin is not the page’s, and not of the page’s own', () => {
    const store = storeOf(crossOrigin());
    const model = store.getState().model;
    expect(contextName(model, 'widget')).toBe('iframe http://localhost:8102/widget.html');
    expect(contextName(model, 'top')).toBe('window /top.html');
    expect(view(store)).toContain('http://localhost:8102/widget.html');
  });

  it('explains shipped, disentangled and carrier where it shows them', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    top.handToFrame(child, b);
    top.close(a);
    const html = view(storeOf(s.all));
    expect(html).toContain(`title="${JARGON.shipped}"`);
    expect(html).toContain('(disentangled)');
    expect(html).toContain(JARGON.disentangled);
    expect(html).toContain(JARGON.carrier);
  });

  it('gives every context a collapse button, open to begin with', () => {
    const html = view(storeOf(crossOrigin()));
    expect(html.match(/class="tree-toggle"/g)).toHaveLength(2);
    expect(html.match(/aria-expanded="true"/g)!.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('aria-label="Collapse window /top.html"');
  });

  it('hides muted channels and says how many: “N channels muted — show”', () => {
    const s = new Stream();
    const top = s.context('top');
    for (let i = 1; i <= 3; i++) {
      const [p1, p2] = [top.newPortId(), top.newPortId()];
      top.emit('channel-created', {
        channel: i,
        port1: p1,
        port2: p2,
        site: { stack: ['    at tick (http://app.test/noisy.js?v=3:10:5)'] },
      });
    }
    top.channel();
    mutesStore.getState().mute('site', 'tick@http://app.test/noisy.js:10:5');
    const html = view(storeOf(s.all));
    expect(html).toContain('3 channels muted — ');
    expect(html).toContain('>show</button>');
    expect(html.match(/class="tree-port/g)).toHaveLength(2); // only the unmuted channel's ports
    mutesStore.getState().setShowMuted(true);
    const shown = view(storeOf(s.all));
    // Shown again, greyed: the six ports of one site fold into one row.
    expect(shown.match(/class="tree-port/g)).toHaveLength(2);
    expect(shown).toContain('class="tree-context site-fold muted-item"');
    expect(shown).toMatch(/noisy\.js:10 · tick<\/span><span class="badge">6 ports<\/span><span class="badge closed">muted/);
  });
});
