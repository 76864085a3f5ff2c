/**
 * Confidence interval for a binomial proportion.
 *
 * Wilson's score interval is what statsmodels computes for
 * `proportion_confint(count, nobs, alpha, method="wilson")`; unlike the
 * normal ("Wald") interval it behaves well near 0 and 1 and for small n,
 * which is where dashboard shares (error rates, drift shares) usually live.
 */
import { normalQuantile } from "./distributions";

/**
 * Wilson score interval for `count` successes in `nobs` trials at level
 * 1 − alpha. Same formula as statsmodels; bounds are clamped to [0, 1]
 * only to remove floating-point dust (e.g. −1e-18 when count = 0).
 */
export function wilsonInterval(count: number, nobs: number, alpha = 0.05): [number, number] {
  if (!(nobs > 0)) throw new RangeError(`wilsonInterval: nobs must be > 0, got ${nobs}`);
  if (!(count >= 0 && count <= nobs)) throw new RangeError(`wilsonInterval: count must be in [0, nobs], got ${count}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`wilsonInterval: alpha must be in (0, 1), got ${alpha}`);
  const q = count / nobs;
  const crit = normalQuantile(1 - alpha / 2);
  const crit2 = crit * crit;
  const denom = 1 + crit2 / nobs;
  const center = (q + crit2 / (2 * nobs)) / denom;
  const dist = (crit * Math.sqrt((q * (1 - q)) / nobs + crit2 / (4 * nobs * nobs))) / denom;
  return [Math.max(0, center - dist), Math.min(1, center + dist)];
}
