/**
 * A stand-in for `runtime.Port` in the router's routing-logic tests. Messages are copied
 * through JSON both ways, as extension messaging does, so a test can never share an object
 * with the router by accident; a panel's port reads what it is sent as the panel does.
 */
import { DebugRouter } from '../../../extension/debug-hook.ts';
import type { PortLike } from '../../../extension/router.ts';
import { PANEL_PORT_NAME } from '../../../protocol/messages.ts';
import { receiveBackgroundToPanel } from '../../../protocol/validate.ts';

export class StandInPort implements PortLike {
  /** What was posted; to a panel's port, as the panel takes it (a text chunk decoded: receiveBackgroundToPanel). */
  sent: any[] = [];
  /** What was posted, as it was (a panel's text chunks undecoded). */
  raw: any[] = [];
  private onMsg: ((m: unknown) => void)[] = [];
  private onDis: (() => void)[] = [];
  disconnected = false;
  constructor(
    public name: string,
    public sender: PortLike['sender'],
  ) {}
  postMessage(m: unknown) {
    const copy = JSON.parse(JSON.stringify(m));
    this.raw.push(copy);
    this.sent.push(
      this.name === PANEL_PORT_NAME ? receiveBackgroundToPanel(structuredClone(copy), 'background message') : copy,
    );
  }
  disconnect() {
    this.disconnected = true;
  }
  onMessage = { addListener: (l: (m: unknown) => void) => void this.onMsg.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.onDis.push(l) };
  /** The other side sends `m`. */
  receive(m: unknown) {
    for (const l of this.onMsg) l(JSON.parse(JSON.stringify(m)));
  }
  /** The other side disconnects. */
  close() {
    for (const l of this.onDis) l();
  }
  of(type: string) {
    return this.sent.filter((m) => m.type === type);
  }
  /** The recordMessages of every welcome and config, in order. */
  recordings(): boolean[] {
    return this.sent.filter((m) => m.type === 'welcome' || m.type === 'config').map((m) => m.recordMessages);
  }
}

/** A relay connected to `router` for tab 1's top document (https://page.test/), which said hello as relay "r". */
export function topRelay(router: Pick<DebugRouter, 'connectContent'>): StandInPort {
  const relay = new StandInPort('portscope-content', { tab: { id: 1 }, frameId: 0, url: 'https://page.test/' });
  router.connectContent(relay);
  relay.receive({
    type: 'hello',
    relay: 'r',
    session: null,
    url: 'https://page.test/',
    top: true,
    lastSeq: 0,
    firstRetained: 1,
  });
  return relay;
}

/** A router (the test build's) whose tab 1 has a relay that said hello for its top document and a panel subscribed to it. */
export function relayAndPanel(extensionOrigin: string): {
  router: DebugRouter;
  relay: StandInPort;
  panel: StandInPort;
} {
  const router = new DebugRouter({ extensionOrigin, statusIntervalMs: 0, resync: () => {}, persist: () => {} });
  const relay = topRelay(router);
  const panel = new StandInPort('portscope-panel', { url: `${extensionOrigin}panel/index.html` });
  router.connectPanel(panel);
  panel.receive({ type: 'subscribe', tabId: 1 });
  return { router, relay, panel };
}
