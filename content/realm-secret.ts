/**
 * The realm bridge's secret (injected/realm.ts). Same-origin documents of one agent call each
 * other's functions, and their runtimes find each other by it; a page that knew it could find
 * them too. So it is random, made by the first relay of the same-origin documents of a frame
 * tree and its opener's, and found by the others among those relatives' relays, in a way no page
 * script sees. The runtime gets it through the private channel (content/handshake.ts), and it
 * never appears in a page-readable text.
 *
 * How a relay finds it differs by browser, because their script worlds differ:
 * - Chromium: each script world has its own view of a window, shared by that world in every
 *   same-origin frame, and no page script sees it (measured in Chromium 156): the secret is a
 *   property of the relay's view of its window.
 * - Firefox: each frame's content scripts have their own view even of the other frames' windows
 *   (a property set there is seen by no other frame's relay), so a relay asks: it dispatches an
 *   event on each relative's window naming an EventTarget of its own, and a relative's relay
 *   answers by dispatching there an object of its own script world holding the secret. Firefox
 *   denies page scripts every property of a content script's object, and lets another frame's
 *   content script read it (measured in ESR 153: reading, enumerating, JSON, structured clone and
 *   string conversion all throw in the page). So a relay answers anyone, with no check a page could
 *   defeat: a page that forges an ask gets an object it cannot read.
 */

/** The build's browser and nonce (vite.config.ts). */
declare const __PORTSCOPE_BROWSER__: string;
declare const __PORTSCOPE_NONCE__: string;

const nonce = typeof __PORTSCOPE_NONCE__ === 'string' ? __PORTSCOPE_NONCE__ : 'dev';
const PROPERTY = 'portscopeRealmSecret';
/** Dispatched on a relative's window; its `detail` is `{ answerTo: EventTarget }`, an object of the asking relay's world. */
const ASK = `portscope-realm-ask-${nonce}`;
/** Dispatched by the answering relay on `answerTo`; its `detail` is `{ secret }`, an object of the answering relay's world. */
const ANSWER = `portscope-realm-answer-${nonce}`;
/** Windows visited when looking for a relay that already has the secret. */
const MAX_WINDOWS = 1_000;

type Holder = Window & { [PROPERTY]?: unknown };

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The windows of `win`'s frame tree, then of its opener's (breadth first, at most MAX_WINDOWS):
 * every document whose runtime may share an agent with `win`'s.
 */
function* relatives(win: Window): Generator<Window> {
  let opener: Window | null = null;
  try {
    opener = win.opener?.top ?? null;
  } catch {
    opener = null;
  }
  let visited = 0;
  for (const root of [win.top, opener]) {
    if (!root) continue;
    const queue: Window[] = [root];
    for (let i = 0; i < queue.length && visited < MAX_WINDOWS; i++, visited++) {
      const w = queue[i];
      yield w;
      try {
        for (let k = 0; k < w.frames.length && queue.length < MAX_WINDOWS; k++) queue.push(w.frames[k]);
      } catch {
        // Gone meanwhile.
      }
    }
  }
}

/** Chromium: the secret a relative's relay keeps on its view of its window, if any can be read here. */
function keptByRelatives(win: Window): string | undefined {
  for (const w of relatives(win)) {
    try {
      const secret = (w as Holder)[PROPERTY];
      if (typeof secret === 'string') return secret;
    } catch {
      // A cross-origin window: its relay's secret is of no use here. Its frames may be.
    }
  }
  return undefined;
}

/** Firefox: the secret of the first relative's relay that answers this relay's ask. */
function askRelatives(win: Window): string | undefined {
  let answer: string | undefined;
  const answerTo = new EventTarget();
  answerTo.addEventListener(ANSWER, (event) => {
    let secret: unknown;
    try {
      secret = ((event as CustomEvent).detail as { secret?: unknown } | null)?.secret;
    } catch {
      return;
    }
    if (answer === undefined && typeof secret === 'string') answer = secret;
  });
  const detail = { answerTo };
  for (const w of relatives(win)) {
    if (w === win) continue;
    try {
      w.dispatchEvent(new CustomEvent(ASK, { detail }));
    } catch {
      // A cross-origin window: dispatching there is refused.
    }
    if (answer !== undefined) return answer;
  }
  return undefined;
}

/**
 * Firefox: answers the asks of relatives' relays with `secret`, in an object of this world that
 * no page script can read. The listener is the first on the window (document_start) and stops
 * the ask there, so no page listener sees it.
 */
function answerAsks(win: Window, secret: string): void {
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  win.addEventListener(
    ASK,
    (event) => {
      event.stopImmediatePropagation();
      let answerTo: unknown;
      try {
        // Firefox's view of a page object runs no page getter or proxy trap.
        answerTo = ((event as CustomEvent).detail as { answerTo?: unknown } | null)?.answerTo;
      } catch {
        return;
      }
      if (typeof answerTo !== 'object' || answerTo === null) return;
      try {
        // Not `answerTo.dispatchEvent`: a page's EventTarget may carry its own. Throws for a non-EventTarget.
        dispatchEvent.call(answerTo, new CustomEvent(ANSWER, { detail: { secret } }));
      } catch {
        // Not an EventTarget, or the asking document went away meanwhile.
      }
    },
    true,
  );
}

/** This document's secret: the one its same-origin relatives' relays keep, or a new one. */
export function realmSecret(win: Window): string {
  if (__PORTSCOPE_BROWSER__ === 'firefox') {
    const secret = askRelatives(win) ?? randomSecret();
    answerAsks(win, secret);
    return secret;
  }
  const secret = keptByRelatives(win) ?? randomSecret();
  (win as Holder)[PROPERTY] = secret;
  return secret;
}
