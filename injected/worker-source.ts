/**
 * The text of the in-worker runtime: one function expression, `function portscopeWorkerRuntime
 * (__portscopeWorkerParams) {…}`, built from injected/worker-entry.ts (vite.config.ts). The
 * extension's page-side runtime learns it from the config message while the in-worker setting
 * is on (main.iife.ts; the background holds the text); the standalone runtime embeds it; a
 * worker's runtime learns it from its own function's source, so nested workers are instrumented too.
 * Unset (undefined) means in-worker instrumentation is unavailable: workers are then observed
 * from outside only, whatever the config says.
 */
let source: string | undefined;

export const WORKER_RUNTIME_NAME = 'portscopeWorkerRuntime';
export const WORKER_PARAMS_NAME = '__portscopeWorkerParams';

export function setWorkerRuntimeSource(text: string): void {
  source = text;
}

export function workerRuntimeSource(): string | undefined {
  return source;
}

/** Wraps the built IIFE text of worker-entry.ts into the named function expression. */
export function asWorkerRuntimeFunction(iifeText: string): string {
  return 'function ' + WORKER_RUNTIME_NAME + '(' + WORKER_PARAMS_NAME + ') {\n' + iifeText + '\n}';
}
