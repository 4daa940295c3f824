/**
 * Inside an in-worker instrumented worker: the bootstrap fetches the original script itself
 * (`importScripts`, or a static `import` of the module), and that fetch leaves a resource
 * timing entry a native worker does not have — its own script is not a resource of the worker
 * (measured in Firefox ESR 153 and Chromium 156). The first `resource` entry named with the
 * original URL is that one: it is taken out of what every timeline reader returns
 * (`performance.getEntries*`, and the lists a `PerformanceObserver` hands its callback), by
 * identity, so an entry of a later fetch of the same URL by the page's code stays.
 *
 * What stays observable (docs/in-worker.md): it still counts toward the resource timing
 * buffer's size, and a buffered `resource` observer whose only entry it is still gets a call.
 */
import { replaceValue } from './disguise.ts';
import { apply, isArray } from './natives.ts';

const arraySplice = Array.prototype.splice;
const READERS = ['getEntries', 'getEntriesByType', 'getEntriesByName'] as const;

export function hideBootstrapEntry(g: any, original: string): void {
  const performance = g.performance as object | undefined;
  const perfProto = g.Performance?.prototype as object | undefined;
  const listProto = g.PerformanceObserverEntryList?.prototype as object | undefined;
  const byName = perfProto ? (g.Performance.prototype.getEntriesByName as (...a: unknown[]) => unknown) : undefined;
  if (!performance || !perfProto || typeof byName !== 'function') return;
  let hidden: object | undefined;
  const without = (entries: unknown): unknown => {
    if (hidden === undefined) {
      const found = apply(byName, performance, [original, 'resource']) as object[];
      if (found.length) hidden = found[0];
    }
    if (hidden === undefined || !isArray(entries)) return entries;
    for (let i = 0; i < entries.length; i++)
      if (entries[i] === hidden) {
        apply(arraySplice, entries, [i, 1]);
        break;
      }
    return entries;
  };
  // The page's code could clear the buffer before it ever read it: the entry is found first.
  replaceValue(perfProto, 'clearResourceTimings', (native) => (self, args) => {
    without(undefined);
    return apply(native, self, args);
  });
  for (const proto of [perfProto, listProto])
    if (proto)
      for (const key of READERS)
        replaceValue(proto, key, (native) => (self, args) => without(apply(native, self, args)));
}
