// The panel's "is Portscope in this page?" probe: the background's routing answer (with
// stand-in ports: routing logic only; the real browser path is in tests/browser/panel.test.ts)
// and the validation of both messages.
import { describe, expect, it } from 'vitest';
import { Router, type PortLike } from '../../../extension/router.ts';
import { validateBackgroundToPanel, validatePanelToBackground } from '../../../protocol/validate.ts';

const ORIGIN = 'chrome-extension://abc/';

class StandInPort implements PortLike {
  sent: unknown[] = [];
  private listeners: ((m: unknown) => void)[] = [];
  private closers: (() => void)[] = [];
  constructor(
    public name: string,
    public sender: PortLike['sender'],
  ) {}
  postMessage(m: unknown) {
    this.sent.push(structuredClone(m));
  }
  disconnect() {}
  onMessage = { addListener: (l: (m: unknown) => void) => void this.listeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.closers.push(l) };
  receive(m: unknown) {
    for (const l of this.listeners) l(structuredClone(m));
  }
  close() {
    for (const l of this.closers) l();
  }
}

function setup(reachable: Set<number>) {
  const router = new Router({
    extensionOrigin: ORIGIN,
    statusIntervalMs: 0,
    resync: () => {},
    persist: () => {},
    reach: async (tabId) => reachable.has(tabId),
  });
  const panel = new StandInPort('portscope-panel', { url: `${ORIGIN}panel/index.html` });
  router.connectPanel(panel);
  const presence = async (tabId: number) => {
    panel.sent = [];
    panel.receive({ type: 'probe', tabId });
    await new Promise((ok) => setTimeout(ok, 0));
    return panel.sent.filter((m) => (m as { type: string }).type === 'presence');
  };
  const relay = (tabId: number, id: string) => {
    const port = new StandInPort('portscope-content', { tab: { id: tabId }, frameId: 0, url: 'https://page.test/' });
    router.connectContent(port);
    port.receive({
      type: 'hello',
      relay: id,
      session: null,
      url: 'https://page.test/',
      top: true,
      lastSeq: 0,
      firstRetained: 1,
    });
    return port;
  };
  return { presence, relay };
}

describe('presence probe', () => {
  it('a tab without content script and without relays is not instrumented', async () => {
    const { presence } = setup(new Set());
    expect(await presence(7)).toEqual([{ type: 'presence', tabId: 7, relays: 0, contentScript: false }]);
  });

  it('counts connected relays and reports a content script that answers', async () => {
    const { presence, relay } = setup(new Set([7]));
    relay(7, 'r1');
    expect(await presence(7)).toEqual([{ type: 'presence', tabId: 7, relays: 1, contentScript: true }]);
  });

  it('a relay that disconnected is not counted', async () => {
    const { presence, relay } = setup(new Set());
    const top = relay(3, 'r1');
    expect((await presence(3))[0]).toMatchObject({ relays: 1 });
    top.close();
    expect((await presence(3))[0]).toMatchObject({ relays: 0, contentScript: false });
  });

  it('validates both messages field by field', () => {
    expect(validatePanelToBackground({ type: 'probe', tabId: 4 })).toEqual({ type: 'probe', tabId: 4 });
    expect(() => validatePanelToBackground({ type: 'probe', tabId: 'x' })).toThrow('message.tabId');
    expect(validateBackgroundToPanel({ type: 'presence', tabId: 4, relays: 2, contentScript: true })).toEqual({
      type: 'presence',
      tabId: 4,
      relays: 2,
      contentScript: true,
    });
    expect(() => validateBackgroundToPanel({ type: 'presence', tabId: 4, relays: -1, contentScript: true })).toThrow(
      'message.relays',
    );
    expect(() => validateBackgroundToPanel({ type: 'presence', tabId: 4, relays: 0, contentScript: 'yes' })).toThrow(
      'message.contentScript',
    );
  });
});
