// The waits the panel shows are the model's (model.wait): across two contexts whose clocks
// disagree, never negative and marked ≈; a wait the model cannot know is said to be unknown.
// Rendered to static markup from a real fact stream.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Fact } from '../../../protocol/facts.ts';
import { createModel } from '../../../panel/model/model.ts';
import { createPanelStore, type PanelStore } from '../../../panel/store.ts';
import { Cell } from '../../../panel/ui/MessageCells.tsx';
import { MessageDetail } from '../../../panel/ui/MessageDetail.tsx';
import { StoreContext } from '../../../panel/ui/storeContext.ts';
import { pairingOf } from '../../../panel/pairing.ts';
import { classOf } from '../../../panel/timeline/drawPlan.ts';
import { timelineData } from '../../../panel/timeline/timelineData.ts';
import { WAIT_LEGEND } from '../../../panel/timeline/waitClass.ts';
import { Stream } from '../model/facts.ts';

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** A ping from the top window to its iframe, dispatched 0.5 ms after its post by a clock 2 ms behind. */
function skewedPing(): Fact[] {
  const s = new Stream();
  const top = s.context('top');
  const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
  const [a, b] = top.channel();
  const cb = top.handToFrame(child, b);
  top.onmessage(a);
  child.onmessage(cb);
  s.time = 2000;
  top.post(a, 'ping');
  s.time = 2001.5 - 2 - 1;
  child.dispatch(cb, 'ping');
  return s.all;
}

/** Static rendering reads a store's initial state: render the state as it is now. */
const asRendered = (store: PanelStore): PanelStore => ({ ...store, getInitialState: () => store.getState() });

function storeOf(facts: Fact[]) {
  const store = createPanelStore({ createModel, send: () => {}, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
  store.getState().ingest(facts);
  store.getState().model.settle();
  return store;
}

describe('waits shown across two clocks', () => {
  it('the detail pane and the wait column show no negative wait, and say ≈', () => {
    const store = storeOf(skewedPing());
    const model = store.getState().model;
    const [m] = model.messages;
    expect(m!.dispatchedAt! - m!.postedAt).toBeLessThan(0); // what the panel used to show
    store.getState().selectMessage(m!.id);
    const detail = text(
      renderToStaticMarkup(
        <StoreContext.Provider value={asRendered(store)}>
          <MessageDetail />
        </StoreContext.Provider>,
      ),
    );
    expect(detail).toMatch(/delivered at .* \(waited ≈\d+\.\d+ ms\)/);
    expect(detail).not.toMatch(/-\d/);

    const cell = text(
      renderToStaticMarkup(<Cell column="wait" m={m!} model={model} origin={0} pairing={pairingOf(model)} />),
    );
    expect(cell).toMatch(/^≈\d+\.\d+ ms$/);

    // The timeline colours it by the same wait: never the "< 1 ms" a negative reading would give
    // when the aligned wait is longer, and not "wait unknown" either.
    const data = timelineData(model, model.messages);
    expect(data.wait[0]).toBe(model.wait(m!)!.ms);
    expect(WAIT_LEGEND[classOf(data, 0)]!.cls).not.toBe('unobserved');
  });

  it('says "wait unknown" where the model cannot know it: a post inferred at its dispatch', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]', observed: false });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    top.onmessage(a);
    s.tick(5);
    top.dispatch(a, 'from a context not observed');
    void cb;
    const store = storeOf(s.all);
    const model = store.getState().model;
    const m = model.messages.find((x) => x.state === 'delivered');
    expect(m).toBeDefined();
    expect(model.wait(m!)).toBeUndefined();
    store.getState().selectMessage(m!.id);
    const detail = text(
      renderToStaticMarkup(
        <StoreContext.Provider value={asRendered(store)}>
          <MessageDetail />
        </StoreContext.Provider>,
      ),
    );
    expect(detail).toContain('(wait unknown)');
    const cell = text(
      renderToStaticMarkup(<Cell column="wait" m={m!} model={model} origin={0} pairing={pairingOf(model)} />),
    );
    expect(cell).toBe('unknown'); // under the Wait header
    expect(
      renderToStaticMarkup(<Cell column="wait" m={m!} model={model} origin={0} pairing={pairingOf(model)} />),
    ).toContain('title="wait unknown');
  });
});
