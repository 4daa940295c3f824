/**
 * The recorder's workers from their first line: the core is shared with the extension's
 * "See inside workers" (extension/worker-targets.ts); here it drives the CLI's own Chromium.
 */
export { BINDING, ProtocolTargets, type TargetOptions, type WorkerAccount } from '../extension/worker-targets.ts';
