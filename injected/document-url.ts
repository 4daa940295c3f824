/**
 * The URL in a window's `context` fact. A frame's first document can be a placeholder whose
 * URL is not the one it will show: Firefox runs the add-on's `document_start` scripts in an
 * iframe before the document's URL is set (`location.href` reads "", measured in Firefox ESR
 * 153), and a WebDriver BiDi preload script runs in the initial `about:blank` whose Window the
 * real document then reuses (the HTML Standard keeps the global for that first navigation).
 * The `context` fact waits in the emitter's buffer until the first delivery, so the URL is
 * read again just before it leaves; should it still be the placeholder then, the context is
 * announced once more, with its new URL, at the first delivery that sees one (the model takes
 * a repeated `context` fact as an update).
 */
import type { Fact } from '../protocol/facts.ts';
import type { BatchSink } from './emitter.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;

export function documentUrl(global: any): string {
  try {
    return String(global.location?.href ?? '');
  } catch {
    return '';
  }
}

/** A URL that may still change to the document's real one. */
export const isPlaceholderUrl = (url: string): boolean => url === '' || url === 'about:blank';

export interface PendingUrl {
  /** The buffered `context` fact whose url is a placeholder (cleared once completed). */
  fact?: ContextFact;
  /** Set when that fact left without its url: announce again once it is known. */
  reannounce?: (fact: ContextFact) => void;
}

/** A sink that completes the pending `context` fact's url, then forwards the batch to `sink`. */
export function completingUrl(sink: BatchSink, global: any, pending: PendingUrl): BatchSink {
  let sentWithout: ContextFact | undefined;
  return {
    deliver(facts) {
      const fact = pending.fact;
      if (fact !== undefined) {
        pending.fact = undefined;
        const url = documentUrl(global);
        if (url !== '') fact.url = url;
        if (isPlaceholderUrl(url)) sentWithout = fact;
      } else if (sentWithout !== undefined) {
        const url = documentUrl(global);
        if (!isPlaceholderUrl(url) && pending.reannounce) {
          const again = sentWithout;
          sentWithout = undefined;
          pending.reannounce({ ...again, url });
        }
      }
      sink.deliver(facts);
    },
  };
}
