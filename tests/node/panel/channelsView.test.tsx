// The Channels view draws a bounded number of ports per context, the ones with messages
// waiting first, and says how many it leaves out.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createModel } from '../../../panel/model/model.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { ChannelsView, PORTS_SHOWN } from '../../../panel/ui/ChannelsView.tsx';
import { StoreContext } from '../../../panel/ui/storeContext.ts';
import { Stream } from '../model/facts.ts';

describe('Channels view with many live ports', () => {
  it(`draws at most ${PORTS_SHOWN} ports per context, waiting queues first, and counts the rest`, () => {
    const s = new Stream();
    const top = s.context('top');
    const [first] = top.channel();
    top.post(first, 'waits'); // p2 never started: it must stay in view
    for (let i = 0; i < 5_000; i++) top.channel(); // live channels: nothing to evict
    const store = createPanelStore({ createModel, send: () => {}, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
    store.getState().ingest(s.all);
    const html = renderToStaticMarkup(
      <StoreContext.Provider value={store}>
        <ChannelsView />
      </StoreContext.Provider>,
    );
    const items = html.match(/class="tree-port/g) ?? [];
    // Before: all 10,002 ports were drawn on every update.
    expect(items).toHaveLength(PORTS_SHOWN);
    expect(html).toContain(`… and ${(10_002 - PORTS_SHOWN).toLocaleString('en-US')} more ports here`);
    expect(html).toContain('>p2<');
    expect(html).toContain('1 queued');
    expect(html).toContain('>p10002<'); // the newest
    expect(html).not.toContain('>p3<');
  });
});
