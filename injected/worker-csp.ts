/**
 * Whether this document may run blob: workers. A Content Security Policy can refuse them
 * (worker-src, else child-src, script-src, default-src), and Chromium 156 and Firefox ESR 153
 * refuse *after* construction — the Worker gets an `error` event, nothing is thrown — so a
 * refused bootstrap would be a broken worker. A header policy cannot be read by scripts, so the
 * runtime asks the browser once per document, when in-worker instrumentation is turned on: a
 * tiny blob: worker (built with the captured native constructor, no facts) either answers or
 * fails. Until the answer, and for good after a refusal, workers are built natively and observed
 * from outside; a refusal is told in a `runtime-note` (in-worker-refused). Where the policy is
 * known before the document runs (allowedBefore), the first script's workers need not wait.
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
/** Whether the probe was sent (once per document). */
let probed = false;
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
  probed = true;
}

export function blobWorkersAllowed(): boolean {
  return verdict === 'allowed';
}

/**
 * This document's policy is known to allow blob: workers before it runs (the recorder read it,
 * or the extension saw this URL's probe answer on an earlier load), so workers its first script
 * creates are built from the bootstrap instead of waiting for a probe that answers too late
 * (docs/in-worker.md). The probe is still sent (or answers if under way), and a refusal wins.
 */
export function allowedBefore(rt: Runtime): void {
  if (verdict !== 'unknown' && verdict !== 'probing') return;
  verdict = 'allowed';
  rt.emitter.emit({
    kind: 'runtime-note',
    ctx: rt.ctx,
    code: 'in-worker-ready',
    message:
      'in-worker instrumentation is on from the first script: this page was seen to allow blob: workers before it loaded',
  });
}

/** Asks the browser once (when the config turns in-worker instrumentation on). */
export function probeBlobWorkers(rt: Runtime): void {
  if (probed || !NativeWorker || !nativeWorkerTerminate) return;
  probed = true;
  // Known before (allowedBefore): still asked, so that a policy that changed since is told.
  if (verdict === 'unknown') verdict = 'probing';
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
        expected--;
        revokeObjectURL(url);
        apply(nativeWorkerTerminate!, probe, []);
        if (verdict !== 'probing') return;
        verdict = 'allowed';
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
  revokeObjectURL(url);
  if (probe) apply(nativeWorkerTerminate!, probe, []);
  // The browser's answer wins over what was known before the document ran (allowedBefore).
  if (verdict === 'refused') return;
  const assumed = verdict === 'allowed';
  verdict = 'refused';
  rt.emitter.emit({
    kind: 'runtime-note',
    ctx: rt.ctx,
    code: 'in-worker-refused',
    message: assumed
      ? "in-worker instrumentation refused: this document's policy does not allow blob: workers, unlike what was seen before it loaded; workers it created until now may have failed to start, later ones are observed from outside"
      : "in-worker instrumentation refused: this document's policy does not allow blob: workers; its workers are observed from outside",
  });
}
