/**
 * Ruler ticks at round values (1, 2 or 5 × 10^n ms), at least `minPx` apart, labelled with
 * as many decimals as the step needs and no more.
 */

/** The smallest round step (1, 2, 5 × 10^n ms) that keeps ticks `minPx` apart over `widthPx`. */
export function tickStep(spanMs: number, widthPx: number, minPx = 90): number {
  if (!(spanMs > 0) || !(widthPx > 0)) return 1;
  const raw = (spanMs * minPx) / widthPx;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** Tick times (absolute) in [start, end], each a whole multiple of `step` after `origin`. */
export function tickTimes(start: number, end: number, step: number, origin: number): number[] {
  const first = Math.ceil((start - origin) / step);
  const last = Math.floor((end - origin) / step);
  const out: number[] = [];
  // A bound on the count guards against a degenerate step.
  for (let k = first; k <= last && out.length < 1000; k++) out.push(origin + k * step);
  return out;
}

/** "0", "250 ms", "1.5 s", "0.02 ms": the unit and the decimals follow the step. */
export function formatTick(relMs: number, step: number): string {
  if (Math.abs(relMs) < step / 2) return '0';
  if (step >= 1000) {
    const decimals = Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9));
    return `${(relMs / 1000).toFixed(decimals)} s`;
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return `${relMs.toFixed(decimals)} ms`;
}
