// The Diagnostics view shows a never-started client message queue with the spec's word explained
// where it is shown (a title), rendered to static markup from a fact stream.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createModel } from '../../../panel/model/model.ts';
import { createPanelStore } from '../../../panel/store.ts';
import { DiagnosticsView } from '../../../panel/ui/DiagnosticsView.tsx';
import { GLOSSARY } from '../../../panel/ui/glossary.ts';
import { StoreContext } from '../../../panel/ui/storeContext.ts';
import { Stream, fingerprint, preview } from '../model/facts.ts';

describe('Diagnostics view: client-message-queue-never-started', () => {
  it('the message, its hint, and what a client message queue is', () => {
    const s = new Stream();
    s.context('page', 'window', { url: 'https://app.test/page.html' });
    const sw = s.context('sw', 'serviceworker', { url: 'https://app.test/sw.js' });
    sw.emit('carrier-posted', {
      carrierId: 1,
      carrier: 'serviceworker',
      target: 'Client',
      clientUrl: 'https://app.test/page.html',
      clientType: 'window',
      fingerprint: fingerprint('hi'),
      preview: preview('hi'),
      bytes: 2,
      transfer: [],
    });
    const store = createPanelStore({ createModel, send: () => {}, flushEvery: 0, settleAfter: 0, filterDelay: 0 });
    store.getState().ingest(s.all);
    store.getState().model.settle();
    const html = renderToStaticMarkup(
      <StoreContext.Provider value={store}>
        <DiagnosticsView />
      </StoreContext.Provider>,
    );
    expect(html).toContain('client-message-queue-never-started');
    expect(html).toContain('its client message queue (ServiceWorkerContainer) was never started');
    const title = GLOSSARY.clientMessageQueue.replace(/'/g, '&#x27;');
    expect(html).toContain(`title="${title}"`);
  });
});
