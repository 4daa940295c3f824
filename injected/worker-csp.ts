/**
 * Whether this document may run blob: workers. A Content Security Policy can refuse them
 * (worker-src, else child-src, script-src, default-src), and Chromium 156 refuses *after*
 * construction — the Worker gets an `error` event, nothing is thrown — so a refused bootstrap
 * would be a broken worker. A header policy cannot be read by scripts, so the runtime asks the
 * browser once per document, when in-worker instrumentation is turned on: a tiny blob: worker
 * (built with the captured native constructor, no facts) either answers or fails. Until the
 * answer, and for good after a refusal, workers are built natively and observed from outside;
 * a refusal is told in a `runtime-note` (in-worker-refused).
 *
 * A refusal fires a `securitypolicyviolation` event: the runtime's capture listener on the
 * global, added at install before any page listener, stops exactly the one it caused. What it
 * cannot hide: the report sent to the policy's report-uri / report-to endpoint, a
 * ReportingObserver's `csp-violation` report, and the DevTools console message.
 */
import { apply, construct, eventIsTrusted, nativeAddEventListener, stringSlice } from './natives.ts';
import type { Runtime } from './runtime.ts';
import {
  NativeWorker,
  createObjectURL,
  nativeWorkerTerminate,
  revokeObjectURL,
  stopImmediatePropagation,
  textBlob,
  violationBlockedURI,
} from './worker-natives.ts';
import { guarded } from './guard.ts';

type Verdict = 'unknown' | 'probing' | 'allowed' | 'refused';
let verdict: Verdict = 'unknown';
/** Violations of ours still to be hidden from the page. */
let expected = 0;

export function watchViolations(g: any): void {
  apply(nativeAddEventListener, g, [
    'securitypolicyviolation',
    (event: Event) => {
      if (expected === 0 || !eventIsTrusted(event)) return;
      const blocked = violationBlockedURI(event);
      if (blocked !== 'blob' && stringSlice(blocked, 0, 5) !== 'blob:') return;
      expected--;
      stopImmediatePropagation(event);
    },
    true,
  ]);
}

/** Inside an instrumented worker: it runs from a blob: URL, and its workers inherit the document's policy. */
export function knownAllowed(): void {
  verdict = 'allowed';
}

export function blobWorkersAllowed(): boolean {
  return verdict === 'allowed';
}

/** Asks the browser once (when the config turns in-worker instrumentation on). */
export function probeBlobWorkers(rt: Runtime): void {
  if (verdict !== 'unknown' || !NativeWorker || !nativeWorkerTerminate) return;
  verdict = 'probing';
  guarded(rt, 'in-worker-probe', () => {
    const url = createObjectURL(textBlob('postMessage(0)'));
    expected++;
    let probe: object;
    try {
      probe = construct(NativeWorker as never, [url]) as object;
    } catch {
      refuse(rt, url, undefined);
      return;
    }
    apply(nativeAddEventListener, probe, [
      'message',
      () => {
        if (verdict !== 'probing') return;
        verdict = 'allowed';
        expected--;
        revokeObjectURL(url);
        apply(nativeWorkerTerminate!, probe, []);
        rt.emitter.emit({
          kind: 'runtime-note',
          ctx: rt.ctx,
          code: 'in-worker-ready',
          message: 'in-worker instrumentation is on: workers created from now on are observed from inside',
        });
      },
    ]);
    apply(nativeAddEventListener, probe, ['error', () => refuse(rt, url, probe)]);
  });
}

function refuse(rt: Runtime, url: string, probe: object | undefined): void {
  if (verdict !== 'probing') return;
  verdict = 'refused';
  revokeObjectURL(url);
  if (probe) apply(nativeWorkerTerminate!, probe, []);
  rt.emitter.emit({
    kind: 'runtime-note',
    ctx: rt.ctx,
    code: 'in-worker-refused',
    message:
      "in-worker instrumentation refused: this document's policy does not allow blob: workers; its workers are observed from outside",
  });
}
