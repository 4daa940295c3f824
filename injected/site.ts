/**
 * Call sites: a bounded `Error().stack` with the runtime's own frames removed. Capturing a
 * stack is the expensive part of a fact, so it is taken only where asked (channel creation,
 * close, and every post when `captureStacks` is on).
 */
import type { CallSite } from '../protocol/facts.ts';
import { NativeError, apply, getOwnPropertyDescriptor, stringIndexOf, stringSlice, stringSplit } from './natives.ts';

const MAX_FRAMES = 12;
const MAX_LINE = 300;

/** The script URL of the runtime itself, learnt from a stack taken while it installs. */
let ownScript = '';

function stackText(): string | undefined {
  // A page-installed Error.prepareStackTrace would run (and see our error): skip the stack then.
  const prepare = getOwnPropertyDescriptor(NativeError, 'prepareStackTrace');
  if (prepare !== undefined) return undefined;
  const error = new NativeError();
  const d = getOwnPropertyDescriptor(error, 'stack');
  const text = !d ? undefined : 'value' in d ? d.value : d.get ? apply(d.get, error, []) : undefined;
  return typeof text === 'string' ? text : undefined;
}

/** Learns which frames are ours; call once while installing (no page frames on the stack). */
export function learnOwnScript(): void {
  const text = stackText();
  if (!text) return;
  const lines = stringSplit(text, '\n');
  const line = lines.length > 1 ? lines[1] : '';
  // "    at fn (url:line:col)" or "    at url:line:col": keep the url part.
  const open = stringIndexOf(line, '(');
  let url = open >= 0 ? stringSlice(line, open + 1) : stringSlice(line, stringIndexOf(line, 'at ') + 3);
  // Strip ":line:col)" from the end.
  for (let cut = 0; cut < 2; cut++) {
    let i = url.length - 1;
    while (i >= 0 && url[i] !== ':') i--;
    if (i > 0) url = stringSlice(url, 0, i);
  }
  ownScript = url;
}

export function callSite(): CallSite | undefined {
  const text = stackText();
  if (!text) return undefined;
  const lines = stringSplit(text, '\n');
  const stack: string[] = [];
  for (let i = 1; i < lines.length && stack.length < MAX_FRAMES; i++) {
    const line = lines[i];
    if (ownScript !== '' && stringIndexOf(line, ownScript) >= 0) continue;
    stack[stack.length] = line.length > MAX_LINE ? stringSlice(line, 0, MAX_LINE) : line;
  }
  return { stack };
}
