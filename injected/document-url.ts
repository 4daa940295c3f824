/**
 * Firefox runs `document_start` scripts in an iframe before the document's URL is set
 * (`location.href` reads "" there, measured in Firefox ESR 153). The `context` fact waits in
 * the emitter's buffer until the first delivery, so the URL is read again just before it
 * leaves; should it still be unknown then, the context is announced once more, with its URL,
 * at the first delivery that knows it (the model takes a repeated `context` fact as an update).
 */
import type { Fact } from '../protocol/facts.ts';
import type { BatchSink } from './emitter.ts';

type ContextFact = Extract<Fact, { kind: 'context' }>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function documentUrl(global: any): string {
  try {
    return String(global.location?.href ?? '');
  } catch {
    return '';
  }
}

export interface PendingUrl {
  /** The buffered `context` fact whose url is still "" (cleared once completed). */
  fact?: ContextFact;
  /** Set when that fact left without its url: announce again once it is known. */
  reannounce?: (fact: ContextFact) => void;
}

/** A sink that completes the pending `context` fact's url, then forwards the batch to `sink`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function completingUrl(sink: BatchSink, global: any, pending: PendingUrl): BatchSink {
  let sentWithout: ContextFact | undefined;
  return {
    deliver(facts) {
      const fact = pending.fact;
      if (fact !== undefined || sentWithout !== undefined) {
        const url = documentUrl(global);
        if (url !== '') {
          pending.fact = undefined;
          if (fact !== undefined) fact.url = url;
          else if (sentWithout !== undefined && pending.reannounce) {
            const again = sentWithout;
            sentWithout = undefined;
            pending.reannounce({ ...again, url });
          }
        } else if (fact !== undefined) {
          pending.fact = undefined;
          sentWithout = fact;
        }
      }
      sink.deliver(facts);
    },
  };
}
