/**
 * The API base URL a worker's page code expects. An in-worker instrumented worker runs from a
 * bootstrap blob: URL, so the browser's own API base URL is the blob's; the runtime installed
 * there records the original script URL here, and everything the runtime resolves (nested
 * worker URLs in carriers.ts) and every relative-URL API it patches (worker-relative-urls.ts)
 * resolves against it instead. Unset in windows and in workers observed from outside.
 */
import { NativeURL, construct, urlHref } from './natives.ts';

let original: string | undefined;

export function setApiBase(url: string): void {
  original = url;
}

export function apiBaseOverride(): string | undefined {
  return original;
}

/**
 * `input` resolved against the original script URL when it is a string and a base is set,
 * else `input` untouched (a URL the native cannot parse keeps its native error).
 */
export function againstApiBase(input: unknown): unknown {
  if (original === undefined || typeof input !== 'string' || !NativeURL || !urlHref) return input;
  try {
    return urlHref(construct(NativeURL as never, [input, original]));
  } catch {
    return input;
  }
}

/** A copy of an arguments list without Array.prototype[@@iterator] (the page may have replaced it). */
export function copyArguments(args: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i++) out[i] = args[i];
  return out;
}
