/**
 * Well-known library channels named by their creation site, and only by it; a port first seen
 * when used; a document's ServiceWorker#postMessage ships to a service-worker context.
 */
import { describe, expect, it } from 'vitest';
import { libraryOf } from '../../../panel/model/libraries.ts';
import { createModel } from '../../../panel/model/model.ts';
import { Stream } from './facts.ts';

describe('libraryOf', () => {
  const cases: [string, string[], string | undefined][] = [
    [
      'React scheduler, Vite build chunk (Chromium)',
      ['    at http://app.test/assets/react-dom-BDgwXSlO.js:148:17'],
      'React scheduler',
    ],
    [
      'React scheduler, Firefox',
      ['require_scheduler_production<@http://app.test/assets/react-dom-BDgwXSlO.js:148:17'],
      'React scheduler',
    ],
    [
      'React scheduler, Vite dev deps',
      ['    at http://localhost:5173/node_modules/.vite/deps/react-dom_client.js?v=1:12:3'],
      'React scheduler',
    ],
    [
      'scheduler package file',
      ['    at http://app.test/node_modules/scheduler/cjs/scheduler.development.js:4:1'],
      'React scheduler',
    ],
    [
      'comlink',
      ['    at Object.serialize (http://app.test/node_modules/comlink/dist/esm/comlink.mjs:18:34)'],
      'comlink',
    ],
    ['penpal', ['connect@http://app.test/vendor/penpal.min.js:1:900'], 'penpal'],
    [
      'workbox-window',
      ['messageSW@http://app.test/node_modules/workbox-window/build/workbox-window.prod.mjs:1:2914'],
      'workbox-window',
    ],
    // The innermost frame decides: a page function that calls into nothing known is the page's.
    [
      'page code called from a library callback',
      [
        '    at makeChannel (http://app.test/app.js:3:9)',
        '    at http://app.test/node_modules/comlink/dist/esm/comlink.mjs:99:1',
      ],
      undefined,
    ],
    [
      'scheduler package, production build',
      ['    at http://cdn.test/scheduler.production.min.js:10:4'],
      'React scheduler',
    ],
    // A page's own scheduler built on MessageChannel is not React's (tests/fixtures/busy/scheduler.js).
    ["the page's own scheduler.js", ['    at schedule (http://app.test/busy/scheduler.js:12:20)'], undefined],
    ['a one-file bundle names nothing', ['    at http://app.test/assets/index-abc.js:1:2'], undefined],
    ['no stack', [], undefined],
  ];
  for (const [name, stack, library] of cases) it(name, () => expect(libraryOf({ stack })).toBe(library));
  it('no site', () => expect(libraryOf(undefined)).toBeUndefined());
});

describe('channels in the model and the summary', () => {
  it("a channel made by React's scheduler says so in the model and the summary", () => {
    const s = new Stream();
    const top = s.context('top');
    top.emit('channel-created', {
      channel: 1,
      port1: 1,
      port2: 2,
      site: { stack: ['    at http://app.test/assets/react-dom-x1.js:148:17'] },
    });
    top.emit('channel-created', { channel: 2, port1: 3, port2: 4 });
    const model = createModel();
    model.apply(s.all);
    expect([...model.channels.values()].map((c) => c.library)).toEqual(['React scheduler', undefined]);
    expect(model.summary().ports.map((p) => p.library)).toEqual([
      'React scheduler',
      'React scheduler',
      undefined,
      undefined,
    ]);
  });
});

describe('a port first seen when used', () => {
  it('is a port of its own, marked seen late, its other end unknown, its traffic recorded', () => {
    const s = new Stream();
    const top = s.context('top');
    top.emit('port-seen', { port: 7, how: 'late' });
    top.onmessage(7);
    top.post(7, 'hello');
    top.dispatch(7, 'echo: hello');
    const model = createModel();
    model.apply(s.all);
    const summary = model.summary();
    expect(summary.ports).toEqual([
      expect.objectContaining({
        context: 'top',
        enabled: true,
        shipped: true,
        posted: 1,
        delivered: 1,
        seenLate: true,
      }),
      expect.objectContaining({ context: 'unobserved', posted: 1, delivered: 0 }),
    ]);
    expect(summary.ports[1].seenLate).toBeUndefined();
    expect(summary.messages).toEqual({ posted: 2, delivered: 1, queued: 0, dropped: 0 });
    expect(summary.diagnostics).toEqual([]);
    expect(model.ports.get(summary.ports[0].id)!.partiallyObserved).toBe(true);
  });
});

describe('ServiceWorker#postMessage from a document', () => {
  it("ships its ports to a service-worker context of the document's origin, never observed", () => {
    const s = new Stream();
    const top = s.context('top');
    const [reply, shipped] = top.channel();
    top.onmessage(reply);
    top.carrierPost('serviceworker', 'ServiceWorker', 'ADD', [shipped]);
    top.dispatch(reply, '3');
    const model = createModel();
    model.apply(s.all);
    model.settle();
    const summary = model.summary();
    const sw = summary.contexts.find((c) => c.kind === 'serviceworker')!;
    expect(sw).toEqual({ id: 'serviceworker:https://app.test', kind: 'serviceworker', url: '', observed: false });
    expect(summary.transfers).toEqual([{ port: 'p2', from: 'top', to: sw.id }]);
    expect(summary.messages).toEqual({ posted: 1, delivered: 1, queued: 0, dropped: 0 });
    expect(summary.diagnostics).toEqual([]);
  });
});

describe('ServiceWorker#postMessage to a service worker seen from inside (portscope record in Chromium)', () => {
  /** workbox-window's messageSW: a channel, port2 shipped to the service worker, the reply on it. */
  function messageSW(order: 'worker first' | 'page first') {
    const s = new Stream();
    const sw = s.context('sw', 'serviceworker', { url: 'https://app.test/sw.js' });
    const top = s.context('top');
    const [reply, shipped] = top.channel();
    top.onmessage(reply);
    top.carrierPost('serviceworker', 'ServiceWorker', 'GET_VERSION', [shipped]);
    const [arrived] = sw.carrierReceive('serviceworker', 'client', 'GET_VERSION', 1);
    sw.post(arrived, '1.0.0');
    top.dispatch(reply, '1.0.0');
    // The recorder gets each context's batches on its own session: either may come first (page
    // first: its post is applied before the worker announced itself, so it goes to the stand-in).
    const facts =
      order === 'worker first'
        ? [...sw.facts, ...top.facts]
        : [...top.facts.slice(0, 6), ...sw.facts, ...top.facts.slice(6)];
    const model = createModel();
    model.apply(facts);
    model.settle();
    return model.summary();
  }

  for (const order of ['worker first', 'page first'] as const) {
    it(`the port arrives in that worker, whichever context's facts come first (${order})`, () => {
      const summary = messageSW(order);
      expect(summary.contexts.map((c) => `${c.id} ${c.kind} observed=${c.observed}`).sort()).toEqual([
        'sw serviceworker observed=true',
        'top window observed=true',
      ]);
      expect(summary.channels).toBe(1);
      expect(summary.transfers).toEqual([{ port: 'p2', from: 'top', to: 'sw' }]);
      expect(summary.ports.map((p) => `${p.context} posted=${p.posted} delivered=${p.delivered}`).sort()).toEqual([
        'sw posted=1 delivered=0',
        'top posted=0 delivered=1',
      ]);
      expect(summary.messages).toEqual({ posted: 1, delivered: 1, queued: 0, dropped: 0 });
      expect(summary.diagnostics).toEqual([]);
    });
  }
});
