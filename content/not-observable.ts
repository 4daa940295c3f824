/**
 * What the relay reports for a document in which no runtime runs (scripts are disabled there,
 * e.g. `sandbox` without `allow-scripts`): a context that is not observed, and a note saying
 * why. Nothing of its channels can be seen, and the panel must not read silence as "none".
 */
import type { Fact } from '../protocol/facts.ts';

export const NO_RUNTIME_NOTE = 'no-runtime';

export function notObservable(ctx: string, url: string, origin: string, top: boolean): Fact[] {
  const time = performance.timeOrigin + performance.now();
  return [
    {
      kind: 'context',
      ctx,
      contextKind: top ? 'window' : 'iframe',
      url,
      origin,
      framePath: '',
      observed: false,
      userAgent: navigator.userAgent,
      seq: 1,
      time,
    },
    {
      kind: 'runtime-note',
      ctx,
      code: NO_RUNTIME_NOTE,
      message:
        'scripts do not run in this document (sandboxed without allow-scripts?), so no Portscope runtime runs here: its channels and messages are not observed',
      seq: 2,
      time,
    },
  ];
}
