// The targets of issue 16, in one place (BENCHMARKS.md, "How it is measured"): cost ratios
// (instrumented / native, one run) and absolute bounds. Each case puts them on its rows; the
// report prints met or missed beside every value.

/** Nobody watching the tab: every case's idle ratio. */
export const IDLE = 1.05;

export const TARGETS = {
  tiny: { idle: IDLE, recording: 1.15 },
  oneKb: { idle: IDLE, recording: 1.25 },
  workerP50: { idle: IDLE, recording: 1.1 },
  transfer16Mb: { idle: IDLE, recording: 1.05 },
  fanOut: { idle: IDLE, recording: 1.25 },
  /** Cases with no recording target of their own (page load, the burst page's achieved rate). */
  idleOnly: { idle: IDLE },
};

/** The MAIN-world script's parse + compile + evaluate, cold, in ms. */
export const EVALUATION_MAX_MS = 2;
/** Facts per second into a panel connection, and their lag emit → panel connection at p95 (ms). */
export const RELAY_MIN_FACTS_PER_SECOND = 100_000;
export const RELAY_MAX_LAG_P95_MS = 100;
