/**
 * Exact binomial and multinomial random variates.
 *
 * Used by the count-based bootstrap: when a metric depends on the data only
 * through counts of a few cells (accuracy: right/wrong per model; F1: the
 * label × prediction table), resampling n rows with replacement is *exactly*
 * a Multinomial(n, observed cell shares) draw of those counts. Sampling the
 * counts directly makes each resample O(cells · √n) instead of O(n).
 *
 * jstat has no binomial sampler, so we use inversion: the pmf at the start
 * point comes from jstat (log-space), neighbours from the pmf ratio
 * P(k+1)/P(k) = (n−k)p / ((k+1)q). Inversion is exact up to floating point.
 */
import type { Rng } from "./rng";

/** ln k! for k < 256 by summation (exact to rounding). */
const LOG_FACTORIAL = (() => {
  const t = new Float64Array(256);
  for (let k = 2; k < 256; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln k! — a table below 256, Stirling's series above (next term < 1e-20 there). The blocked
 * bootstrap draws a thousand binomials per resample, and jstat's gammaln was most of their cost.
 */
function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL[k]!;
  const x = k + 1,
    inv = 1 / x,
    inv2 = inv * inv;
  return (
    (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  );
}

/** ln P(X = k) for X ~ Bin(n, p), 0 < p < 1. */
function binomialLogPmf(k: number, n: number, p: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** Below this mean, sequential search from k = 0 is cheapest. */
const SMALL_MEAN = 30;

/** Draw X ~ Binomial(n, p). */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  // Work with p ≤ 1/2 so that the searched tail is the short one.
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  const q = 1 - p;
  if (n * p < SMALL_MEAN) return invertFromZero(rng, n, p, q);
  return invertFromMode(rng, n, p, q);
}

function invertFromZero(rng: Rng, n: number, p: number, q: number): number {
  const ratio = p / q;
  let f = Math.exp(n * Math.log1p(-p)); // P(X = 0) = q^n ≥ e^(−2np) > e^−60: no underflow
  let u = rng.nextDouble();
  let k = 0;
  while (u >= f && k < n) {
    u -= f;
    f *= (ratio * (n - k)) / (k + 1);
    k++;
  }
  return k;
}

/**
 * "Chop-down" search outward from the mode, alternating sides: the expected
 * number of steps is O(√(npq)), a few hundred even for n = 10^6.
 */
function invertFromMode(rng: Rng, n: number, p: number, q: number): number {
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const fMode = Math.exp(binomialLogPmf(mode, n, p));
  let u = rng.nextDouble();
  if (u < fMode) return mode;
  u -= fMode;
  let lo = mode,
    fLo = fMode;
  let hi = mode,
    fHi = fMode;
  while (lo > 0 || hi < n) {
    if (lo > 0) {
      fLo *= (lo * q) / ((n - lo + 1) * p); // P(lo−1) from P(lo)
      lo--;
      if (u < fLo) return lo;
      u -= fLo;
    }
    if (hi < n) {
      fHi *= ((n - hi) * p) / ((hi + 1) * q); // P(hi+1) from P(hi)
      hi++;
      if (u < fHi) return hi;
      u -= fHi;
    }
  }
  // Only reachable through rounding when u is within ~1e-12 of 1.
  return mode;
}

/**
 * Draw Multinomial(n, probs) into `out` by conditional binomials:
 * c_k ~ Bin(n − Σ_{j<k} c_j, p_k / (1 − Σ_{j<k} p_j)).
 * `probs` must be non-negative and sum to 1 (up to rounding).
 */
export function sampleMultinomial(rng: Rng, n: number, probs: ArrayLike<number>, out: Int32Array | Float64Array): void {
  let remainingN = n;
  let remainingP = 1;
  const last = probs.length - 1;
  for (let k = 0; k < last; k++) {
    const pk = probs[k]!;
    if (remainingN === 0 || pk <= 0) {
      out[k] = 0;
    } else {
      const c = sampleBinomial(rng, remainingN, remainingP > 0 ? Math.min(1, pk / remainingP) : 1);
      out[k] = c;
      remainingN -= c;
    }
    remainingP -= pk;
  }
  if (last >= 0) out[last] = remainingN;
}
