/**
 * The realm bridge's secret (injected/realm.ts). Same-origin documents of one agent call each
 * other's functions, and their runtimes find each other by it; a page that knew it could find
 * them too. So it is random, made by the first relay of the same-origin documents of a frame
 * tree and its opener's, and found by the others as a property of that relay's own view of its
 * window: each script world has its own view of a window, and no page script sees the relay's
 * (measured in Chromium 156: a property a world sets on its window is visible to that world in
 * the other same-origin frames, and not to the page). The runtime gets it through the private
 * channel (content/handshake.ts), and it never appears in a page-readable text. Chromium only:
 * Firefox's content scripts of two frames do not share their views (content/relay.iife.ts).
 */
const PROPERTY = 'portscopeRealmSecret';
/** Windows visited when looking for a relay that already has the secret. */
const MAX_WINDOWS = 1_000;

type Holder = Window & { [PROPERTY]?: unknown };

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The secret a relay in `root`'s frame tree already keeps (breadth first), if any can be read here. */
function foundIn(root: Window | null): string | undefined {
  if (!root) return undefined;
  const queue: Window[] = [root];
  for (let i = 0; i < queue.length && i < MAX_WINDOWS; i++) {
    const w = queue[i];
    try {
      const secret = (w as Holder)[PROPERTY];
      if (typeof secret === 'string') return secret;
    } catch {
      // A cross-origin window: its relay's secret is of no use here. Its frames may be.
    }
    try {
      for (let k = 0; k < w.frames.length && queue.length < MAX_WINDOWS; k++) queue.push(w.frames[k]);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/** This document's secret: the one its same-origin relatives' relays keep, or a new one. */
export function realmSecret(win: Window): string {
  let opener: Window | null = null;
  try {
    opener = win.opener?.top ?? null;
  } catch {
    opener = null;
  }
  const secret = foundIn(win.top) ?? foundIn(opener) ?? randomSecret();
  (win as Holder)[PROPERTY] = secret;
  return secret;
}
