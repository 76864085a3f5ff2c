/**
 * Tests on category counts (numerical columns with few values are counted
 * per value too), as Evidently runs them.
 */
import { chiSquareSf, normalTwoSidedP } from "../distributions";

export interface TestResult {
  statistic: number;
  pValue: number;
}

/**
 * `scipy.stats.chisquare(current, reference · n_cur / n_ref)` over the union
 * of categories. A category absent from the reference but present now has an
 * expected count of 0: the statistic is infinite and p = 0, as in SciPy.
 */
export function chiSquareGoodnessOfFit(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): TestResult {
  const k = referenceCounts.length;
  if (currentCounts.length !== k) throw new RangeError("chiSquareGoodnessOfFit: count vectors differ in length");
  let nRef = 0,
    nCur = 0;
  for (let i = 0; i < k; i++) {
    nRef += referenceCounts[i]!;
    nCur += currentCounts[i]!;
  }
  if (k < 2) return { statistic: 0, pValue: 1 }; // one category: nothing can differ
  const scale = nCur / nRef;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = referenceCounts[i]! * scale;
    const diff = currentCounts[i]! - expected;
    statistic += expected === 0 ? (diff === 0 ? 0 : Number.POSITIVE_INFINITY) : (diff * diff) / expected;
  }
  return { statistic, pValue: chiSquareSf(statistic, k - 1) };
}

/**
 * Two-proportion Z-test with pooled proportion, two-sided, on the share of
 * one category (`successesRef` of `nRef` against `successesCur` of `nCur`).
 * The statistic is |z|; p = 1 when the pooled share is 0 or 1 (nothing varies).
 */
export function twoProportionZTest(successesRef: number, nRef: number, successesCur: number, nCur: number): TestResult {
  const p1 = successesRef / nRef,
    p2 = successesCur / nCur;
  const pooled = (successesRef + successesCur) / (nRef + nCur);
  if (pooled <= 0 || pooled >= 1) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / nRef + 1 / nCur));
  return { statistic: Math.abs(z), pValue: normalTwoSidedP(z) };
}
