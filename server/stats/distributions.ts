/**
 * Thin, typed wrappers around jstat's distributions and special functions.
 *
 * Every CDF / quantile in the engine goes through this file so that the
 * numerical choices (which jstat routine, which identity) are made once and
 * documented once. We deliberately avoid a few jstat routines whose
 * tolerances are too loose for p-values we want to match SciPy to ~1e-9:
 *  - `jStat.binomial.cdf` rounds its result to 1e-10 and `jStat.ibeta`
 *    stops its continued fraction at a 3e-7 relative tolerance, so the exact
 *    binomial tail is summed from log-pmf terms (jstat's `combinationln`).
 *  - jstat has no survival functions; upper tails are 1 − CDF (or Φ(−|z|),
 *    which jstat also forms as 1 + (erf − 1)). They are accurate to ~1e-16
 *    absolute, so p-values below ~1e-16 come out as 0 — fine for decisions,
 *    but not the 1e-30 SciPy would print.
 */
import jStat from "jstat";

/** Standard normal quantile (inverse CDF), e.g. 0.975 → 1.959963984540054. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  return jStat.normal.inv(p, 0, 1);
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return jStat.normal.cdf(z, 0, 1);
}

/**
 * Two-sided p-value of a standard normal statistic: 2·Φ(−|z|).
 * Computed on the lower tail so that small p-values are not lost to 1 − x.
 */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (!Number.isFinite(z)) return 0;
  return Math.min(1, 2 * jStat.normal.cdf(-Math.abs(z), 0, 1));
}

/** Upper tail of the chi-square distribution, P(X ≥ x), like `scipy.stats.chi2.sf`. */
export function chiSquareSf(x: number, dof: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return Math.max(0, 1 - jStat.chisquare.cdf(x, dof));
}

/** Natural log of the binomial pmf, via jstat's log-binomial-coefficient. */
export function binomialLogPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  if (p === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (p === 1) return k === n ? 0 : Number.NEGATIVE_INFINITY;
  return jStat.combinationln(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * Binomial CDF P(X ≤ k) for X ~ Bin(n, p), like `scipy.stats.binom.cdf`.
 *
 * Sums pmf terms from the mode-side inwards: for k below the mean we sum the
 * lower tail directly (small terms first, so no cancellation); above the mean
 * we compute 1 − upper tail. Cost is O(min(k, n − k)), which is fine for
 * McNemar where n is the number of discordant pairs.
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomialCdf: n must be a non-negative integer, got ${n}`);
  k = Math.floor(k);
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (k <= n * p) return sumPmf(0, k, n, p);
  return Math.max(0, 1 - sumPmf(k + 1, n, n, p));
}

/** Σ pmf(i) for i in [from, to], adding the smaller terms first. */
function sumPmf(from: number, to: number, n: number, p: number): number {
  let total = 0;
  // Terms grow towards the mean; start at the end farther from it.
  const mean = n * p;
  if (Math.abs(from - mean) >= Math.abs(to - mean)) {
    for (let i = from; i <= to; i++) total += Math.exp(binomialLogPmf(i, n, p));
  } else {
    for (let i = to; i >= from; i--) total += Math.exp(binomialLogPmf(i, n, p));
  }
  return total;
}
