// The status bar rendered with react-dom/server over the real store and model: counts keyed by
// names that come from the wire (facts-dropped kinds, relay status) are plain counts.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createModel } from '../../../panel/model/model.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { StatusBar } from '../../../panel/ui/StatusBar.tsx';
import { StoreContext } from '../../../panel/ui/storeContext.ts';
import { lossParts } from '../../../panel/ui/losses.ts';
import { validateBackgroundToPanel } from '../../../protocol/validate.ts';
import { addCounts, emptyCounts } from '../../../protocol/messages.ts';
import { Stream } from '../model/facts.ts';

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

function render() {
  const store = createPanelStore({ createModel, send: () => {}, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
  return {
    store,
    html: () =>
      renderToStaticMarkup(
        <StoreContext.Provider value={store}>
          <StatusBar />
        </StoreContext.Provider>,
      ),
  };
}

describe('status bar counts keyed by wire-supplied names', () => {
  it('sums facts-dropped kinds named like Object.prototype members', () => {
    const s = new Stream();
    const top = s.context('top');
    top.emit('facts-dropped', {
      counts: JSON.parse('{"constructor": 3, "toString": 4, "valueOf": 5, "__proto__": 6, "port-posted": 1}'),
    });
    const { store, html } = render();
    store.getState().ingest(s.all);
    expect(store.getState().model.stats.droppedFacts).toEqual(
      Object.assign(
        emptyCounts(),
        JSON.parse('{"constructor": 3, "toString": 4, "valueOf": 5, "__proto__": 6, "port-posted": 1}'),
      ),
    );
    expect(html()).toContain('19 facts dropped');
  });

  it('sums relay status counts with such names, through the validator the panel uses', () => {
    const counts = JSON.parse('{"constructor": 2, "valueOf": 3, "__proto__": 4}');
    const status = validateBackgroundToPanel({
      type: 'status',
      tabId: 1,
      dropped: counts,
      evicted: counts,
      buffered: 0,
      rejected: 0,
    });
    if (status.type !== 'status') throw new Error('expected a status');
    // (Static rendering reads the store's initial state, so the status bar's words are checked directly.)
    const losses = lossParts(createModel(), status, false);
    expect(losses).toContain('9 facts dropped');
    expect(losses.some((l) => l.startsWith('9 facts evicted from the background'))).toBe(true);
  });

  it('addCounts adds such names as counts, into plain and null-prototype objects', () => {
    for (const into of [emptyCounts(), {} as Record<string, number>]) {
      addCounts(into, Object.fromEntries(NAMES.filter((n) => n !== '__proto__').map((n) => [n, 2])));
      addCounts(into, { toString: 1 });
      expect(into.toString).toBe(3);
      expect(into.constructor).toBe(2);
    }
  });
});
