/**
 * The isolated-world side of the private handshake (protocol/handshake.ts, BROWSERS.md): take
 * the first port the MAIN-world runtime offers on `document`, and announce ourselves in case
 * the runtime ran first. The offer never propagates further, so no page listener sees it.
 */
import { HANDSHAKE_ANNOUNCE, HANDSHAKE_OFFER } from '../protocol/handshake.ts';

export function acceptRuntimePort(doc: Document, onPort: (port: MessagePort) => void): void {
  let taken = false;
  doc.addEventListener(
    HANDSHAKE_OFFER,
    (event) => {
      event.stopImmediatePropagation();
      if (taken) return;
      const port = (event as MessageEvent).ports?.[0];
      if (!port) return;
      taken = true;
      onPort(port);
    },
    true,
  );
  doc.dispatchEvent(new Event(HANDSHAKE_ANNOUNCE));
}
