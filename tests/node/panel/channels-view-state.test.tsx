// The Channels view (panel/ui/ChannelsView.tsx) on real fact streams: a port that only sends
// is not a warning, a listener or a waiting message on a port never started is; contexts
// collapse; a context of another origin says so; jargon is explained where it is shown;
// muted channels are hidden and counted.
import { afterEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Fact } from '../../../protocol/facts.ts';
import { createModel } from '../../../panel/model/model.ts';
import type { MessageRecord } from '../../../panel/model/types.ts';
import { NO_MUTES } from '../../../panel/mutes.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { ChannelsView, PortItem } from '../../../panel/ui/ChannelsView.tsx';
import { PortBadges } from '../../../panel/ui/PortBadges.tsx';
import { JARGON } from '../../../panel/ui/jargon.ts';
import { foldBySite, SITE_FOLD_FROM } from '../../../panel/ui/SiteFold.tsx';
import { channelFigures } from '../../../panel/ui/channelFigures.ts';
import { figuresLine, SiteGroups } from '../../../panel/ui/SiteGroups.tsx';
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

  it('says a sandboxed document’s origin is opaque, even where its URL looks like the page’s', () => {
    const s = new Stream();
    s.context('top');
    const boxed = s.silentContext('boxed');
    boxed.emit('context', {
      contextKind: 'iframe',
      url: 'https://app.test/boxed.html',
      origin: 'null',
      framePath: 'top.frames[0]',
      observed: true,
      userAgent: 'test',
    });
    expect(contextName(storeOf(s.all).getState().model, 'boxed')).toBe('iframe /boxed.html (opaque origin)');
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
    expect(shown).toMatch(
      /noisy\.js:10 · tick<\/span><span class="badge">6 ports<\/span><span class="badge closed">muted/,
    );
  });
});

describe('channels grouped by creation site', () => {
  function sites() {
    const s = new Stream();
    const top = s.context('top');
    const made = (channel: number, line: string) => {
      const [port1, port2] = [top.newPortId(), top.newPortId()];
      top.emit('channel-created', { channel, port1, port2, site: { stack: [line] } });
      return [port1, port2] as const;
    };
    for (let i = 1; i <= 4; i++) {
      const [a, b] = made(i, '    at makeCall (http://app.test/rpc.js:12:19)');
      top.onmessage(b);
      top.post(a, 'call');
      top.dispatch(b, 'call');
    }
    made(9, '    at http://app.test/assets/react-dom-x1.js:148:17');
    return s.all;
  }
  const render = (facts: Fact[]) =>
    renderToStaticMarkup(
      <StoreContext.Provider value={storeOf(facts)}>
        <SiteGroups hide={() => false} muted={() => false} Port={PortItem} />
      </StoreContext.Provider>,
    );
  const plain = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

  it('gives each site one row with its channels, their messages, and a mute by site or by library', () => {
    const html = plain(render(sites()));
    expect(html).toContain('rpc.js:12 · makeCall ×4 4 messages mute');
    expect(html).toContain('React scheduler · react-dom-x1.js:148 ×1 0 messages mute React scheduler');
    // A group of four starts folded; one of one starts open, with its figures.
    expect(html).not.toContain('c1 ');
    expect(html).toContain('c5 0 messages · 0 B · 0 queued now');
  });

  it('shows per-channel figures: messages, bytes, rate, mean and max wait', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    top.post(a, 'abcd');
    s.tick(9);
    top.dispatch(b, 'abcd');
    top.post(a, 'ef');
    s.tick(1);
    top.dispatch(b, 'ef');
    const model = storeOf(s.all).getState().model;
    const f = channelFigures(model).get('c1')!;
    expect(f).toMatchObject({ messages: 2, bytes: 6, peakQueue: 1, queued: 0 });
    const [m1, m2] = model.messages as [MessageRecord, MessageRecord];
    const waits = [m1.dispatchedAt! - m1.postedAt, m2.dispatchedAt! - m2.postedAt];
    expect(waits[0]).toBeGreaterThan(waits[1]!);
    expect(f.rate).toBeCloseTo(2 / ((m2.postedAt - m1.postedAt) / 1000));
    expect(f.meanWait).toBeCloseTo((waits[0]! + waits[1]!) / 2);
    expect(f.maxWait).toBe(waits[0]);
    const line = /^2 messages · 6 B · \d+\/s · wait \d+\.\d ms mean, \d+\.0 ms max · 0 queued now · peak queue 1$/;
    expect(figuresLine(f)).toMatch(line);
  });
});

describe('folding one creation site’s quiet ports', () => {
  function manyFromOneSite(n: number) {
    const s = new Stream();
    const top = s.context('top');
    for (let i = 1; i <= n; i++) {
      const [port1, port2] = [top.newPortId(), top.newPortId()];
      top.emit('channel-created', {
        channel: i,
        port1,
        port2,
        site: { stack: ['    at call (http://app.test/rpc.js:1:1)'] },
      });
    }
    top.addListener(1); // p1: a problem
    top.post(4, 'waits'); // p3 has a message waiting
    return storeOf(s.all).getState().model;
  }
  const ports = (model: ReturnType<typeof manyFromOneSite>) => [...model.ports.values()];

  it(`folds from ${SITE_FOLD_FROM} quiet ports of one site, never a problem, a waiting or the selected port`, () => {
    const model = manyFromOneSite(5);
    const rows = foldBySite(model, ports(model), 'p7');
    const single = rows.filter((r) => 'port' in r).map((r) => ('port' in r ? r.port.id : ''));
    expect(single).toEqual(['p1', 'p3', 'p7']);
    const folds = rows.filter((r) => 'site' in r);
    expect(folds).toHaveLength(1);
    expect('ports' in folds[0]! ? folds[0].ports.length : 0).toBe(7);
    // The fold stands where its first port was.
    expect(rows.findIndex((r) => 'site' in r)).toBe(1);
  });

  it('leaves fewer than that as they are', () => {
    const model = manyFromOneSite(3); // 6 ports, 2 of them never fold: 4 quiet ones
    expect(foldBySite(model, ports(model), null).every((r) => 'port' in r)).toBe(true);
  });
});
