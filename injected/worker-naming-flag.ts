/**
 * The extension's "See inside workers" (chrome.debugger, extension/worker-targets.ts) adds a
 * script to every new document of the tab that sets one global before any other script runs;
 * the MAIN-world runtime takes it off at once, before any page script, and from then names the
 * dedicated workers the document makes, so their runtime (evaluated by the debugger before
 * their first line) announces the ctx the document named.
 */
import { getOwnPropertyDescriptor } from './natives.ts';
import { nameWorkersForProtocol } from './worker-protocol.ts';

/** Must equal extension/worker-targets.ts NAME_WORKERS_GLOBAL (injected/ imports nothing from extension/). */
const FLAG = '__portscopeNameWorkers';

export function takeWorkerNaming(g: any): void {
  try {
    const d = getOwnPropertyDescriptor(g, FLAG);
    if (!d) return;
    delete g[FLAG];
    if (d.value === 'dedicated') nameWorkersForProtocol('dedicated');
  } catch {
    // A document where the flag cannot be read or removed runs without naming: its workers stay outside.
  }
}
