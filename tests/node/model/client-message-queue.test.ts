/**
 * client-message-queue-never-started (panel/model/clientMessageQueue.ts): raised only when the
 * facts prove it — a service worker seen from inside posted to a window client that is exactly
 * one document seen from inside, which never enabled its client message queue and had nothing
 * dispatched from it; otherwise nothing is said.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { CLIENT_URLS_PER_WORKER } from '../../../panel/model/clientMessageQueue.ts';
import { type Ctx, Stream, fingerprint, preview } from './facts.ts';

const PAGE_URL = 'https://app.test/page.html';
const CODE = 'client-message-queue-never-started';

function clientPost(sw: Ctx, data: string, client: { clientUrl?: string; clientType?: 'window' | 'worker' } = {}) {
  const body = {
    carrierId: 1,
    carrier: 'serviceworker' as const,
    target: 'Client',
    fingerprint: fingerprint(data),
    preview: preview(data),
    bytes: data.length,
    transfer: [],
  };
  sw.emit('carrier-posted', { ...body, clientUrl: PAGE_URL, clientType: 'window', ...client });
}

function scene() {
  const s = new Stream();
  const page = s.context('page', 'window', { url: PAGE_URL });
  const sw = s.context('sw', 'serviceworker', { url: 'https://app.test/sw.js' });
  return { s, page, sw };
}

const found = (s: Stream) => {
  const model = createModel();
  model.apply(s.all);
  return model.diagnostics().filter((d) => d.code === CODE);
};

describe('client-message-queue-never-started', () => {
  it('fires when a service worker posted to the one document with that URL, which never enabled its queue', () => {
    const { s, sw } = scene();
    for (let i = 0; i < 3; i++) clientPost(sw, `m${i}`);
    const [d, ...more] = found(s);
    expect(more).toEqual([]);
    expect(d).toMatchObject({ code: CODE, port: null, context: 'page', severity: 'warning', count: 1 });
    expect(d.message).toBe(
      'window /page.html has 3 messages from serviceworker /sw.js waiting: its client message queue (ServiceWorkerContainer) was never started',
    );
    expect(d.hint).toMatch(/startMessages\(\).*onmessage.*DOMContentLoaded/);
  });

  for (const how of ['startMessages', 'onmessage', 'document'] as const) {
    it(`no alarm once the queue was enabled (${how}), before or after the posts`, () => {
      const before = scene();
      before.page.emit('client-message-queue-enabled', { how });
      clientPost(before.sw, 'm');
      expect(found(before.s)).toEqual([]);

      const after = scene();
      clientPost(after.sw, 'm');
      const model = createModel();
      model.apply(after.s.all);
      expect(model.diagnostics().map((d) => d.code)).toEqual([CODE]);
      model.apply([after.page.emit('client-message-queue-enabled', { how })]);
      expect(model.diagnostics().filter((d) => d.code === CODE)).toEqual([]);
    });
  }

  it('no alarm when a message from a service worker was dispatched at the container (the queue was enabled)', () => {
    const { s, page, sw } = scene();
    clientPost(sw, 'm');
    page.emit('carrier-received', {
      carrier: 'serviceworker',
      source: 'ServiceWorker',
      fingerprint: fingerprint('m'),
      ports: [],
    });
    expect(found(s)).toEqual([]);
  });

  it('unknown when two documents have the client URL: either could be the client', () => {
    const { s, sw } = scene();
    s.context('frame', 'iframe', { url: PAGE_URL, framePath: 'top.frames[0]', parent: 'page' });
    clientPost(sw, 'm');
    expect(found(s)).toEqual([]);
  });

  it('unknown when no document of the recording has the URL, or the post names no client (an older trace)', () => {
    const elsewhere = scene();
    clientPost(elsewhere.sw, 'm', { clientUrl: 'https://app.test/other.html' });
    expect(found(elsewhere.s)).toEqual([]);
    const older = scene();
    older.sw.emit('carrier-posted', {
      carrierId: 1,
      carrier: 'serviceworker',
      target: 'Client',
      fingerprint: fingerprint('m'),
      preview: preview('m'),
      bytes: 1,
      transfer: [],
    });
    expect(found(older.s)).toEqual([]);
  });

  it('unknown for a worker client, and for a client that is not a web URL (about:blank)', () => {
    const worker = scene();
    clientPost(worker.sw, 'm', { clientType: 'worker' });
    expect(found(worker.s)).toEqual([]);
    const blank = new Stream();
    blank.context('page', 'window', { url: 'about:blank' });
    clientPost(blank.context('sw', 'serviceworker'), 'm', { clientUrl: 'about:blank' });
    expect(found(blank)).toEqual([]);
  });

  it('unknown when the document is not seen from inside, or has ended', () => {
    const outside = new Stream();
    outside.context('page', 'window', { url: PAGE_URL, observed: false });
    clientPost(outside.context('sw', 'serviceworker'), 'm');
    expect(found(outside)).toEqual([]);
    const ended = scene();
    clientPost(ended.sw, 'm');
    ended.page.destroyed('unload');
    expect(found(ended.s)).toEqual([]);
  });

  it('unknown when the service worker is not seen from inside', () => {
    const s = new Stream();
    s.context('page', 'window', { url: PAGE_URL });
    clientPost(s.context('sw', 'serviceworker', { observed: false }), 'm');
    expect(found(s)).toEqual([]);
  });

  it('unknown when facts that could have enabled the queue were dropped', () => {
    const { s, page, sw } = scene();
    clientPost(sw, 'm');
    page.emit('facts-dropped', { counts: { 'client-message-queue-enabled': 1 } });
    expect(found(s)).toEqual([]);
  });

  it('bounded: past the limit of client URLs per service worker, posts are counted, not tracked', () => {
    const { s, sw } = scene();
    for (let i = 0; i < CLIENT_URLS_PER_WORKER; i++) clientPost(sw, 'm', { clientUrl: `https://app.test/u${i}` });
    clientPost(sw, 'm');
    const model = createModel();
    model.apply(s.all);
    expect(model.stats.unmatched['client-url-untracked']).toBe(1);
    expect(model.diagnostics().filter((d) => d.code === CODE)).toEqual([]);
  });
});
