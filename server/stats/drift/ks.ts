/**
 * Two-sample statistics on sorted samples, O(n + m) after the O(n log n)
 * sorts: the Kolmogorov–Smirnov statistic (with SciPy's p-value) and the
 * first Wasserstein distance. Both walk the merged order once, consuming all
 * copies of a value in both samples before looking at the ECDFs, so ties are
 * handled as `np.searchsorted(..., side="right")` does.
 */
import { ks2SampPValue, type KsMode } from "./kolmogorov";

export interface KsResult {
  statistic: number;
  pValue: number;
  /** "exact" when both samples have at most 10,000 values, as `ks_2samp(method="auto")`. */
  mode: KsMode;
}

/** max |i·n2 − j·n1| over the merged steps: the KS statistic times n1·n2, as an exact integer. */
export function ksScaledDifference(a: Float64Array, b: Float64Array): number {
  const n1 = a.length, n2 = b.length;
  let i = 0, j = 0, best = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    const diff = Math.abs(i * n2 - j * n1);
    if (diff > best) best = diff;
  }
  return best;
}

/** `scipy.stats.ks_2samp(a, b)` on two sorted, non-empty samples without NaN. */
export function ksTwoSample(sortedA: Float64Array, sortedB: Float64Array): KsResult {
  if (sortedA.length === 0 || sortedB.length === 0) throw new RangeError("ksTwoSample: both samples need at least one value");
  return ks2SampPValue(sortedA.length, sortedB.length, ksScaledDifference(sortedA, sortedB));
}

/**
 * `scipy.stats.wasserstein_distance(a, b)` on two sorted samples:
 * Σ |F_a − F_b| · Δ over consecutive distinct values of the merged sample.
 * Neumaier-compensated so a million terms do not drift from NumPy's pairwise sum.
 */
export function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length, n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("wassersteinSorted: both samples need at least one value");
  let i = 0, j = 0, sum = 0, comp = 0;
  let v = Math.min(a[0]!, b[0]!);
  for (;;) {
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    if (i >= n1 && j >= n2) break;
    const next = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const term = Math.abs(i / n1 - j / n2) * (next - v);
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    v = next;
  }
  return sum + comp;
}
