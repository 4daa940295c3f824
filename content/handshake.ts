/**
 * The isolated-world side of the private handshake (protocol/handshake.ts, BROWSERS.md): take
 * the port the MAIN-world runtime offers on `document`, once.
 *
 * The relay is listed first, so it runs first; the runtime runs next, before any page script
 * of its document, and offers at once: the first offer is the runtime's. Where no runtime runs
 * (a frame sandboxed without `allow-scripts`), any offer is page code's (a same-origin parent
 * dispatching into the frame): there the relay takes none and says the document is not
 * observable. (No time limit closes the handshake: Firefox sometimes runs the runtime of an
 * iframe's initial about:blank document a task later than its relay.) The offer never
 * propagates further, so no page listener sees it.
 */
import { HANDSHAKE_OFFER } from '../protocol/handshake.ts';

/**
 * Whether a `sandbox` attribute without `allow-scripts` applies to this frame or one of its
 * ancestors, as far as they are same-origin (a cross-origin embedder cannot reach the document
 * to forge an offer anyway). A sandbox set by a CSP header is not visible here (README,
 * "Permissions and security").
 */
export function sandboxedWithoutScripts(win: Window): boolean {
  let w: Window | null = win;
  for (let depth = 0; w && depth < 64; depth++) {
    let element: Element | null;
    try {
      element = w.frameElement;
    } catch {
      return false;
    }
    if (!element) return false;
    const sandbox = element.getAttribute('sandbox');
    if (sandbox !== null && !/(^|\s)allow-scripts(\s|$)/i.test(sandbox)) return true;
    w = w.parent === w ? null : w.parent;
  }
  return false;
}

export function acceptRuntimePort(doc: Document, win: Window, onPort: (port: MessagePort) => void, onNoRuntime: () => void): void {
  const open = !sandboxedWithoutScripts(win);
  let taken = false;
  doc.addEventListener(
    HANDSHAKE_OFFER,
    (event) => {
      event.stopImmediatePropagation();
      if (!open || taken) return;
      const port = (event as MessageEvent).ports?.[0];
      if (!port) return;
      taken = true;
      onPort(port);
    },
    true,
  );
  if (!open) onNoRuntime();
}
