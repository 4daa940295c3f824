// The port's detail and badges show the queue state the model decided (model/queueState.ts):
// they hold no rule of their own.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createModel } from '../../../panel/model/index.ts';
import type { ChannelModel, QueueState } from '../../../panel/model/index.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { PortDetail } from '../../../panel/ui/PortDetail.tsx';
import { StoreContext } from '../../../panel/ui/storeContext.ts';
import { Stream } from '../model/facts.ts';

function page() {
  const s = new Stream();
  const top = s.context('top');
  const [a, b] = top.channel();
  const [c, d] = top.channel();
  top.start(a);
  top.post(a, 'waits');
  top.close(c);
  const worker = top.worker('https://app.test/w.js');
  top.carrierPost('worker', String(worker), 'port for you', [d]);
  void b;
  return s.all;
}

function detailOf(port: string, queueState?: (model: ChannelModel) => (id: string) => QueueState | undefined) {
  const store = createPanelStore({
    createModel: (options) => {
      const model = createModel(options);
      if (queueState) model.queueState = queueState(model);
      return model;
    },
    send: () => {},
    flushEvery: 0,
    settleAfter: 0,
    filterDelay: 0,
  });
  store.getState().ingest(page());
  store.getState().selectPort(port);
  // Static rendering reads the store's initial state: let it read the state as it is now.
  store.getInitialState = store.getState;
  return renderToStaticMarkup(
    <StoreContext.Provider value={store}>
      <PortDetail />
    </StoreContext.Provider>,
  );
}

describe('port detail', () => {
  it('says each queue state in words, with its badge', () => {
    expect(detailOf('p1')).toContain('enabled by start()');
    expect(detailOf('p2')).toContain('disabled: never started, and something waits on it');
    expect(detailOf('p2')).toContain('>not started<');
    expect(detailOf('p3')).toContain('closed: close() was called, nothing more is dispatched');
    expect(detailOf('p3')).toContain('>closed<');
    expect(detailOf('p4')).toContain('unknown: held by a context Portscope does not run in');
    expect(detailOf('p4')).toContain('>state unknown<');
  });

  it('shows what the model answers, not a rule of its own', () => {
    const html = detailOf('p2', () => () => 'unknown');
    expect(html).toContain('unknown: held by a context Portscope does not run in');
    expect(html).toContain('>state unknown<');
  });
});
