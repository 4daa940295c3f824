/**
 * The in-worker runtime's text travels from the background to the relays with the config, and
 * only while the in-worker setting is on: the MAIN-world script no longer carries it.
 */
import { describe, expect, it } from 'vitest';
import { Router } from '../../../extension/router.ts';
import { StandInPort } from './stand-in-port.ts';
import { ProtocolError, validateBackgroundToContent } from '../../../protocol/validate.ts';

const ORIGIN = 'chrome-extension://abc/';
const TEXT = '(function(){/* the in-worker runtime */})();';

function setup(workerRuntime: string | undefined) {
  const router = new Router({
    extensionOrigin: ORIGIN,
    statusIntervalMs: 0,
    resync: () => {},
    persist: () => {},
    workerRuntime,
  });
  const relay = (relayId: string) => {
    const port = new StandInPort('portscope-content', { tab: { id: 1 }, frameId: 0, url: 'https://page.test/' });
    router.connectContent(port);
    port.receive({
      type: 'hello',
      relay: relayId,
      session: null,
      url: 'https://page.test/',
      top: true,
      lastSeq: 0,
      firstRetained: 1,
    });
    return port;
  };
  const panel = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
  router.connectPanel(panel);
  panel.receive({ type: 'subscribe', tabId: 1 });
  return { router, relay, panel };
}

describe('the in-worker runtime text', () => {
  it('is sent with the config only while in-worker is on, and in the welcome after that', () => {
    const { relay, panel } = setup(TEXT);
    const a = relay('ra');
    expect(a.sent.find((m) => m.type === 'welcome')).not.toHaveProperty('workerRuntime');
    panel.receive({ type: 'config', config: { captureStacks: false, inWorker: true } });
    expect(a.sent.filter((m) => m.type === 'config')).toEqual([
      { type: 'config', config: { captureStacks: false, inWorker: true }, workerRuntime: TEXT, recordMessages: true },
    ]);
    // A relay that connects while the setting is on (here a new top document) gets it in its welcome.
    const b = relay('rb');
    expect(b.sent.find((m) => m.type === 'welcome')).toMatchObject({ config: { inWorker: true }, workerRuntime: TEXT });
    panel.receive({ type: 'config', config: { captureStacks: true, inWorker: false } });
    expect(b.sent.filter((m) => m.type === 'config')).toEqual([
      { type: 'config', config: { captureStacks: true, inWorker: false }, recordMessages: true },
    ]);
  });

  it('is absent when the build has none (Node), whatever the setting', () => {
    const { relay, panel } = setup(undefined);
    const a = relay('ra');
    panel.receive({ type: 'config', config: { captureStacks: false, inWorker: true } });
    expect(a.sent.filter((m) => m.type === 'config')).toEqual([
      { type: 'config', config: { captureStacks: false, inWorker: true }, recordMessages: true },
    ]);
  });

  it('is validated on receipt: a string or absent, with the failing field named', () => {
    const config = { captureStacks: false, inWorker: true };
    const recordMessages = false;
    expect(validateBackgroundToContent({ type: 'config', config, workerRuntime: TEXT, recordMessages })).toEqual({
      type: 'config',
      config,
      workerRuntime: TEXT,
      recordMessages,
    });
    expect(validateBackgroundToContent({ type: 'config', config, recordMessages })).toEqual({
      type: 'config',
      config,
      recordMessages,
    });
    expect(
      validateBackgroundToContent({
        type: 'welcome',
        session: 's',
        resumeAfter: 0,
        config,
        workerRuntime: TEXT,
        recordMessages,
      }),
    ).toMatchObject({ workerRuntime: TEXT });
    expect(() => validateBackgroundToContent({ type: 'config', config, workerRuntime: 42, recordMessages })).toThrow(
      ProtocolError,
    );
    expect(() =>
      validateBackgroundToContent({
        type: 'welcome',
        session: 's',
        resumeAfter: 0,
        config,
        workerRuntime: null,
        recordMessages,
      }),
    ).toThrow(/message\.workerRuntime/);
    expect(() =>
      validateBackgroundToContent({ type: 'config', config, workerRuntime: 'x'.repeat(1_048_577), recordMessages }),
    ).toThrow(/message\.workerRuntime/);
  });
});
