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
  const n1 = a.length,
    n2 = b.length;
  let i = 0,
    j = 0,
    best = 0;
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
  if (sortedA.length === 0 || sortedB.length === 0)
    throw new RangeError("ksTwoSample: both samples need at least one value");
  return ks2SampPValue(sortedA.length, sortedB.length, ksScaledDifference(sortedA, sortedB));
}

/**
 * `scipy.stats.wasserstein_distance(a, b)` on two sorted samples:
 * Σ |F_a − F_b| · Δ over consecutive values of the merged sample. Ties need no
 * grouping here: the gap between equal values is 0, so only the last copy's
 * term counts, and by then every copy has been consumed. Terms are kept as
 * integers |i·n2 − j·n1| times the gap and divided by n1·n2 once; the sum is
 * Kahan-compensated (all terms are ≥ 0) so a million terms stay within ~1e-15.
 */
export function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length,
    n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("wassersteinSorted: both samples need at least one value");
  let i = 0,
    j = 0,
    sum = 0,
    comp = 0;
  let cur = a[0]! <= b[0]! ? a[0]! : b[0]!;
  const add = (term: number) => {
    const y = term - comp;
    const t = sum + y;
    comp = t - sum - y;
    sum = t;
  };
  while (i < n1 && j < n2) {
    const ai = a[i]!,
      bj = b[j]!;
    const d = Math.abs(i * n2 - j * n1);
    let x: number;
    if (ai <= bj) {
      x = ai;
      i++;
    } else {
      x = bj;
      j++;
    }
    if (x !== cur) {
      add(d * (x - cur));
      cur = x;
    }
  }
  // One sample is used up: the other's remaining values walk F towards 1.
  for (; i < n1; i++) {
    const x = a[i]!;
    if (x !== cur) {
      add(Math.abs(i * n2 - j * n1) * (x - cur));
      cur = x;
    }
  }
  for (; j < n2; j++) {
    const x = b[j]!;
    if (x !== cur) {
      add(Math.abs(i * n2 - j * n1) * (x - cur));
      cur = x;
    }
  }
  return sum / n1 / n2;
}
