/**
 * Who watches a tab decides whether its runtimes record every message or only count them:
 * subscribed panels, open DevTools windows (their devtools page's connection), or the
 * "Record while DevTools is closed" preference. Routing logic with stand-in ports; the
 * browser path is tested for real in tests/browser/watched.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DebugRouter } from '../../../extension/debug-hook.ts';
import { StandInPort } from './stand-in-port.ts';
import {
  ProtocolError,
  validateBackgroundToContent,
  validateDevtoolsToBackground,
} from '../../../protocol/validate.ts';

const ORIGIN = 'chrome-extension://abc/';

function setup(recordWhileClosed?: boolean) {
  const resyncs: number[] = [];
  const router = new DebugRouter({
    extensionOrigin: ORIGIN,
    statusIntervalMs: 0,
    resync: (t) => resyncs.push(t),
    persist: () => {},
    recordWhileClosed,
  });
  const relay = (tabId: number, relayId: string, frameId = 0, session: string | null = null) => {
    const port = new StandInPort('portscope-content', { tab: { id: tabId }, frameId, url: 'https://page.test/' });
    router.connectContent(port);
    port.receive({
      type: 'hello',
      relay: relayId,
      session,
      url: 'https://page.test/',
      top: frameId === 0,
      lastSeq: 0,
      firstRetained: 1,
    });
    return port;
  };
  const panel = (tabId: number) => {
    const port = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
    router.connectPanel(port);
    port.receive({ type: 'subscribe', tabId });
    return port;
  };
  const devtools = (tabId: number, url = `${ORIGIN}extension/devtools.html`) => {
    const port = new StandInPort('portscope-devtools', { url });
    router.connectDevtools(port);
    port.receive({ type: 'inspect', tabId });
    return port;
  };
  return { router, relay, panel, devtools, resyncs };
}

describe('who watches a tab', () => {
  it('an unwatched tab counts: its relays are welcomed with recordMessages false', () => {
    const { relay, router } = setup();
    expect(relay(1, 'ra').recordings()).toEqual([false]);
    expect(router.recordMessages(1)).toBe(false);
  });

  it('a subscribed panel makes the tab record, every frame of it, and only that tab; leaving makes it count again', () => {
    const { relay, panel } = setup();
    const top = relay(1, 'ra');
    const sub = relay(1, 'child', 4, 'ra');
    const other = relay(2, 'rb');
    const p = panel(1);
    expect(top.recordings()).toEqual([false, true]);
    expect(sub.recordings()).toEqual([false, true]);
    expect(other.recordings()).toEqual([false]);
    // Re-subscribing to the same tab changes nothing; to another tab moves the watch.
    p.receive({ type: 'subscribe', tabId: 1 });
    expect(top.recordings()).toEqual([false, true]);
    p.receive({ type: 'subscribe', tabId: 2 });
    expect(top.recordings()).toEqual([false, true, false]);
    expect(other.recordings()).toEqual([false, true]);
    p.close();
    expect(other.recordings()).toEqual([false, true, false]);
  });

  it('a tab stays watched until its last watcher leaves', () => {
    const { relay, panel, devtools } = setup();
    const a = relay(1, 'ra');
    const d1 = devtools(1);
    const d2 = devtools(1);
    const p = panel(1);
    expect(a.recordings()).toEqual([false, true]);
    d1.close();
    p.close();
    expect(a.recordings()).toEqual([false, true]);
    d2.close();
    expect(a.recordings()).toEqual([false, true, false]);
  });

  it('a relay that says hello while DevTools is open is welcomed recording', () => {
    const { relay, devtools } = setup();
    devtools(3);
    expect(relay(3, 'r3').recordings()).toEqual([true]);
  });

  it('the preference makes every tab record, including tabs not seen yet, and back', () => {
    const { relay, router } = setup(true);
    const a = relay(1, 'ra');
    expect(a.recordings()).toEqual([true]);
    router.setRecordWhileClosed(false);
    expect(a.recordings()).toEqual([true, false]);
    router.setRecordWhileClosed(true);
    expect(a.recordings()).toEqual([true, false, true]);
    // Turning it off leaves a watched tab recording.
    const { relay: relay2, router: router2, panel } = setup(true);
    const b = relay2(1, 'rb');
    panel(1);
    router2.setRecordWhileClosed(false);
    expect(b.recordings()).toEqual([true]);
  });

  it('asks idle relays (their port let go) to say hello when the watch changes, so the welcome carries it', () => {
    const { relay, devtools, resyncs } = setup();
    const a = relay(1, 'ra');
    a.close();
    const d = devtools(1);
    expect(resyncs).toEqual([1]);
    expect(a.recordings()).toEqual([false]);
    const again = relay(1, 'ra', 0, 'ra');
    expect(again.recordings()).toEqual([true]);
    // Every relay connected: the config itself carries the change, no resync.
    d.close();
    expect(again.recordings()).toEqual([true, false]);
    expect(resyncs).toEqual([1]);
  });

  it('a devtools page that switches tabs moves the watch; one from another origin is refused', () => {
    const { relay, devtools } = setup();
    const a = relay(1, 'ra');
    const b = relay(2, 'rb');
    const d = devtools(1);
    d.receive({ type: 'inspect', tabId: 2 });
    expect(a.recordings()).toEqual([false, true, false]);
    expect(b.recordings()).toEqual([false, true]);
    const stranger = devtools(2, 'https://evil.test/devtools.html');
    expect(stranger.disconnected).toBe(true);
    d.close();
    expect(b.recordings()).toEqual([false, true, false]);
  });

  it('a malformed devtools message is rejected with its field named and watches nothing', () => {
    const { relay, devtools, router } = setup();
    const a = relay(1, 'ra');
    const d = devtools(1);
    d.receive({ type: 'inspect', tabId: -1 });
    expect(router.recordMessages(1)).toBe(true);
    expect(router.tabStatus(1)).toMatchObject({ rejected: 1, lastError: expect.stringMatching(/^message\.tabId: /) });
    expect(a.recordings()).toEqual([false, true]);
    expect(() => validateDevtoolsToBackground({ type: 'watch', tabId: 1 })).toThrow(/^message\.type: /);
    expect(() => validateDevtoolsToBackground({ type: 'inspect' })).toThrow(ProtocolError);
  });

  it('recordMessages is required and boolean on welcome and config', () => {
    const config = { captureStacks: false, inWorker: false };
    expect(validateBackgroundToContent({ type: 'config', config, recordMessages: false })).toEqual({
      type: 'config',
      config,
      recordMessages: false,
    });
    expect(() => validateBackgroundToContent({ type: 'config', config })).toThrow(
      /^message\.recordMessages: expected a boolean, got undefined$/,
    );
    expect(() =>
      validateBackgroundToContent({ type: 'welcome', session: 's', resumeAfter: 0, config, recordMessages: 'yes' }),
    ).toThrow(/^message\.recordMessages: /);
  });
});
