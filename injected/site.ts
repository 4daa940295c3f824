/**
 * Call sites: a bounded `Error().stack` with the runtime's own frames removed. Capturing a
 * stack is the expensive part of a fact, so it is taken only where asked (channel creation,
 * close, and every post when `captureStacks` is on).
 */
import type { CallSite } from '../protocol/facts.ts';
import { BOUNDARY, recaptureFromTrap } from './disguise.ts';
import {
  NativeError,
  apply,
  errorStackGetter,
  getOwnPropertyDescriptor,
  hasOwn,
  stringIndexOf,
  stringSlice,
  stringSplit,
} from './natives.ts';

const MAX_FRAMES = 12;
const MAX_LINE = 300;

/**
 * The script URL of the runtime itself, learnt from the first stack it takes (its top frame is
 * always ours), not while installing: formatting a stack makes V8 collect source positions for
 * every function on it, and at install that is the whole bundle (milliseconds at page start).
 */
let ownScript: string | undefined;

function stackText(): string | undefined {
  // A page-installed Error.prepareStackTrace would run (and see our error): skip the stack then.
  const prepare = getOwnPropertyDescriptor(NativeError, 'prepareStackTrace');
  if (prepare !== undefined) return undefined;
  const error = new NativeError();
  const d = getOwnPropertyDescriptor(error, 'stack');
  const text = !d
    ? errorStackGetter
      ? errorStackGetter(error)
      : undefined
    : hasOwn(d, 'value')
      ? d.value
      : hasOwn(d, 'get') && d.get
        ? apply(d.get, error, [])
        : undefined;
  return typeof text === 'string' ? text : undefined;
}

/** The script of the top frame of a stack taken by `stackText` (so a frame of ours); undefined when it has none. */
function scriptOfTopFrame(lines: string[]): string | undefined {
  // V8 starts with an "Error" line; Firefox starts with the top frame. Either way, find our frame.
  const line = lines.length > 1 && stringIndexOf(lines[0], '@') < 0 ? lines[1] : lines[0];
  if (line === undefined || line === '' || (lines.length === 1 && stringIndexOf(line, '@') < 0)) return undefined;
  // V8 "    at fn (url:line:col)" / "    at url:line:col"; Firefox "fn@url:line:col": keep the url part.
  const open = stringIndexOf(line, '(');
  let at = -1;
  for (let i = 0; i < line.length; i++) if (line[i] === '@') at = i;
  let url =
    open >= 0
      ? stringSlice(line, open + 1)
      : at >= 0
        ? stringSlice(line, at + 1)
        : stringSlice(line, stringIndexOf(line, 'at ') + 3);
  if (url[url.length - 1] === ')') url = stringSlice(url, 0, url.length - 1);
  // Strip ":line:col)" from the end.
  for (let cut = 0; cut < 2; cut++) {
    let i = url.length - 1;
    while (i >= 0 && url[i] !== ':') i--;
    if (i > 0) url = stringSlice(url, 0, i);
  }
  // Only a real location identifies our frames; an anonymous script shares "<anonymous>" with page code.
  return url === '' || url[0] === '<' ? '' : url;
}

export function callSite(): CallSite | undefined {
  const text = stackText();
  if (!text) return undefined;
  const lines = stringSplit(text, '\n');
  if (ownScript === undefined) ownScript = scriptOfTopFrame(lines);
  // Page frames start below the last boundary frame (disguise.ts) and the Proxy trap that called it.
  let first = 1;
  for (let i = 0; i < lines.length; i++) if (stringIndexOf(lines[i], BOUNDARY) >= 0) first = i + 2;
  // The kept frames are moved down within `lines` itself, an array the engine just made: every
  // index below its length is its own data property, so writing over one (always below the
  // line being read) and then shortening it run no page setter, where appending to a new array
  // needs one definition per frame (own-index.ts; a fifth of a call site's time in the fan-out
  // profile, issue 16 step 3).
  let kept = 0;
  for (let i = first; i < lines.length && kept < MAX_FRAMES; i++) {
    const line = lines[i];
    if (line === '') continue;
    if (ownScript && stringIndexOf(line, ownScript) >= 0) continue;
    lines[kept++] = line.length > MAX_LINE ? stringSlice(line, 0, MAX_LINE) : line;
  }
  lines.length = kept;
  return { stack: lines };
}

/**
 * A DataCloneError raised by the native inside a replacement would carry the runtime's frames
 * in its stack, and the engine would report it (window.onerror) at the runtime's location.
 * Re-capturing its stack from the replacement's trap down makes it carry the page's frames
 * only, as natively. Only for the native's own DataCloneError: an error the page's code threw
 * (a getter during serialization) keeps its stack untouched.
 */
export function hideRuntimeFrames(e: unknown, name: string): void {
  if (name === 'DataCloneError') recaptureFromTrap(e);
}
