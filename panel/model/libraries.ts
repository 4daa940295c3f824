/**
 * Well-known libraries that make channels, named by the channel's creation site (its call
 * stack's script URLs and function names). Only a site that names the library's own file or
 * function counts: a bundle that hides them leaves the channel unnamed, never misnamed.
 */
import type { CallSite } from '../../protocol/facts.ts';

interface KnownLibrary {
  name: string;
  /** Tested against each stack line, which holds the function name and the script URL. */
  line: RegExp;
}

const KNOWN: readonly KnownLibrary[] = [
  // React's scheduler makes one channel at load to yield to the browser between work slices. Its
  // own files are `scheduler.development.js` / `scheduler.production(.min).js`; a page's own
  // `scheduler.js` is not React's.
  {
    name: 'React scheduler',
    line: /\/scheduler\.(development|production)[^/]*\.(m?js|cjs)\b|\/react-dom([._-][^/]*)?\.(m?js|cjs)\b|[/_]react-dom_client\.js\b|\/node_modules\/(scheduler|react-dom)\//,
  },
  // comlink: a channel per proxied value (proxy(), createEndpoint, a returned proxy).
  { name: 'comlink', line: /\/comlink(\.min)?\.(m?js|cjs)\b|\/node_modules\/comlink\// },
  // penpal: the channel of a connection, made by the side that completes the handshake.
  { name: 'penpal', line: /\/penpal(\.min)?\.(m?js|cjs)\b|\/node_modules\/penpal\// },
  // workbox-window: a channel per messageSW() call, its port2 shipped to the service worker.
  {
    name: 'workbox-window',
    line: /\/workbox-window[^/]*\.(m?js|cjs)\b|\/node_modules\/workbox-window\/|\bmessageSW\b/,
  },
];

/** The library that created a channel, as its creation site tells; undefined when it does not. */
export function libraryOf(site: CallSite | undefined): string | undefined {
  if (!site) return undefined;
  // The innermost page frame is the library's own call to `new MessageChannel()`.
  const line = site.stack.find((l) => l.trim() !== '');
  if (line === undefined) return undefined;
  return KNOWN.find((known) => known.line.test(line))?.name;
}
