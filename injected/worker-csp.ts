/**
 * A page whose Content Security Policy does not allow blob: workers (worker-src, else
 * child-src, script-src, default-src) makes Chromium's `new Worker(blob:…)` throw a
 * SecurityError synchronously; the runtime then builds the worker natively from its original
 * URL (outside observation) and says so in a `runtime-note`. There is no way to read the
 * effective policy beforehand (a header policy is not exposed to scripts), so the one refused
 * attempt per global is what reveals it. The browser also fires a `securitypolicyviolation`
 * event for it: the runtime's capture listener on the global, added at document_start before
 * any page listener, stops exactly as many blob: violations as it caused. What it cannot
 * hide: a report sent to the policy's report-uri / report-to endpoint, a ReportingObserver's
 * `csp-violation` report, and the DevTools console message.
 */
import { apply, eventIsTrusted, nativeAddEventListener, stringSlice } from './natives.ts';
import type { Runtime } from './runtime.ts';
import { stopImmediatePropagation, violationBlockedURI } from './worker-natives.ts';
import { describeThrown } from './errors.ts';

let expected = 0;
let refused = false;

/** At install: the listener must come before any listener of the page. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
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

export function blobWorkersRefused(): boolean {
  return refused;
}

/** Whether `e`, thrown by the native constructor given a blob: URL, is a policy refusal. Records it. */
export function noteRefusal(rt: Runtime, e: unknown): boolean {
  const { name, message } = describeThrown(e);
  if (name !== 'SecurityError') return false;
  refused = true;
  expected++;
  rt.emitter.emit({
    kind: 'runtime-note',
    ctx: rt.ctx,
    code: 'in-worker-refused',
    message: 'in-worker instrumentation refused by the page (' + name + ': ' + message + '); workers of this context are observed from outside',
  });
  return true;
}
