/** The channel model: public API for the panel, the CLI, the trace viewer and tests. */
export { createModel } from './model.ts';
export { ModelOptionError } from './state.ts';
export { neverStartedProblem, queueStateOf } from './queueState.ts';
export type * from './types.ts';
