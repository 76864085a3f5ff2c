/**
 * Percentiles with linear interpolation between order statistics — numpy's
 * default (`np.percentile(x, q, method="linear")`, formerly
 * `interpolation="linear"`). Using the same rule as numpy keeps our
 * bootstrap intervals comparable with what data scientists compute by hand.
 */

/**
 * Quantile of an already ascending-sorted array, q in [0, 1].
 * Position h = (n − 1)·q; result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // numpy's _lerp form: exact at the endpoints and monotone in q.
  const t = h - lo;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Percentile interval [lo, hi] holding `confidence` mass in the middle,
 * e.g. confidence 0.95 → the 2.5th and 97.5th percentiles.
 * NaN values are ignored (they come from resamples where a metric is
 * undefined, e.g. ROC AUC with one class) and their count is returned.
 */
export function percentileInterval(
  values: ArrayLike<number>,
  confidence: number,
): { lo: number; hi: number; dropped: number } {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  const finite = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) finite[m++] = v;
  }
  const kept = finite.subarray(0, m).sort();
  const alpha = 1 - confidence;
  return {
    lo: quantileSorted(kept, alpha / 2),
    hi: quantileSorted(kept, 1 - alpha / 2),
    dropped: values.length - m,
  };
}
