/**
 * The isolated-world side of the private handshake (protocol/handshake.ts): take
 * the port the MAIN-world runtime offers on `document`, once.
 *
 * The relay is listed first, so it runs first; the runtime runs next, before any page script
 * of its document, and offers at once: the first offer is the runtime's. Where no runtime runs
 * (scripting is disabled: a document sandboxed without `allow-scripts`, by its frame's attribute
 * or by its own CSP header), any offer is page code's (a same-origin parent dispatching into the
 * frame): there the relay takes none and says the document is not observable. In Chromium the
 * handshake closes when the relay's task ends (acceptRuntimePort); in Firefox no time limit
 * closes it. The offer never propagates further, so no page listener sees it.
 */
import { HANDSHAKE_OFFER } from '../protocol/handshake.ts';

/**
 * Whether a `sandbox` attribute without `allow-scripts` applies to this frame or one of its
 * ancestors, as far as they are same-origin (a cross-origin embedder cannot reach the document
 * to forge an offer anyway).
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

/**
 * `sameTask`: the browser runs the runtime in the same task as the relay, right after it (Chromium
 * 156, every document): an offer that has not come when that task ends never will, so the
 * handshake closes then and the document is reported as having no runtime. This is what tells a
 * document sandboxed by its own CSP header (`sandbox` without `allow-scripts`), which the relay
 * cannot see: Chromium runs no MAIN-world script there. (Firefox does run the runtime in such a
 * document, measured in ESR 153, and was once seen running an about:blank document's runtime a
 * task later than its relay, so there the handshake stays open.)
 *
 * `onPort`'s `inRelayTask` says whether the offer came in the relay's own task, where no page
 * script runs between the relay and the runtime's offer; only such an offer is handed the realm
 * secret (content/realm-secret.ts): a later one may be a page's, in Firefox.
 */
export function acceptRuntimePort(
  doc: Document,
  win: Window,
  sameTask: boolean,
  onPort: (port: MessagePort, inRelayTask: boolean) => void,
  onNoRuntime: () => void,
): void {
  let taken = false;
  let closed = false;
  let inRelayTask = true;
  doc.addEventListener(
    HANDSHAKE_OFFER,
    (event) => {
      event.stopImmediatePropagation();
      if (taken || closed) return;
      const port = (event as MessageEvent).ports?.[0];
      if (!port) return;
      taken = true;
      onPort(port, inRelayTask);
    },
    true,
  );
  const close = () => {
    if (taken || closed) return;
    closed = true;
    onNoRuntime();
  };
  if (sandboxedWithoutScripts(win)) close();
  else
    setTimeout(() => {
      inRelayTask = false;
      if (sameTask) close();
    }, 0);
}
