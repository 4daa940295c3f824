/**
 * Where a channel was made, from its creation site's innermost page frame: a short name to
 * show (`rpc.js:12 · makeCall`) and a key that stays the same across reloads (global ids
 * like `c4` do not), by which a muted channel is remembered.
 */
import type { CallSite } from '../protocol/facts.ts';
import { parseFrame, shortUrl } from './stackFrames.ts';

export interface CreationSite {
  /** `file:line`, or the raw stack line when it does not parse. */
  where: string;
  /** The calling function, when the stack names one. */
  fn: string | null;
  /** The script's URL (empty when the line does not parse). */
  url: string;
  /** Function, script URL without query or fragment, line and column: stable across reloads. */
  key: string;
}

/** Keys are stored; a page could make a stack line of any length. */
export const SITE_KEY_MAX = 600;

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

const parsed = new WeakMap<CallSite, CreationSite | null>();

export function creationSite(site: CallSite | undefined): CreationSite | null {
  if (!site) return null;
  let known = parsed.get(site);
  if (known === undefined) {
    known = parse(site);
    parsed.set(site, known);
  }
  return known;
}

function parse(site: CallSite): CreationSite | null {
  const line = site.stack.find((l) => l.trim() !== '');
  if (line === undefined) return null;
  const frame = parseFrame(line);
  if (!frame) {
    const raw = line.trim();
    return { where: raw, fn: null, url: '', key: raw.slice(0, SITE_KEY_MAX) };
  }
  const fn = frame.fn === '(anonymous)' ? null : frame.fn;
  const key = `${fn ?? ''}@${withoutQuery(frame.url)}:${frame.line}:${frame.column}`.slice(0, SITE_KEY_MAX);
  return { where: `${shortUrl(frame.url)}:${frame.line}`, fn, url: frame.url, key };
}
