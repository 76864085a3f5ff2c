/**
 * Benjamini–Hochberg false-discovery-rate control, as statsmodels'
 * `multipletests(pvals, alpha, method="fdr_bh")`.
 *
 * Drift monitoring tests many columns at once; without an FDR correction a
 * 50-column table flags ~2.5 columns per run by chance alone.
 */

export interface BenjaminiHochbergResult {
  /** Adjusted p-values, in the input order (monotone in the raw p-values, capped at 1). */
  adjusted: number[];
  /** Whether each hypothesis is rejected at the given FDR level. */
  rejected: boolean[];
}

export function benjaminiHochberg(pValues: readonly number[], alpha = 0.05): BenjaminiHochbergResult {
  const m = pValues.length;
  for (const [i, p] of pValues.entries()) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`benjaminiHochberg: p-value at index ${i} is ${p}; expected [0, 1]`);
  }
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  // Largest rank k with p_(k) ≤ k·α/m: it and every smaller p-value are rejected.
  let maxRejected = -1;
  for (let k = 0; k < m; k++) {
    if (pValues[order[k]!]! <= ((k + 1) / m) * alpha) maxRejected = k;
  }
  // Adjusted p_(k) = min over j ≥ k of p_(j)·m/j, capped at 1.
  const adjusted = new Array<number>(m);
  const rejected = new Array<boolean>(m);
  let running = Number.POSITIVE_INFINITY;
  for (let k = m - 1; k >= 0; k--) {
    const i = order[k]!;
    running = Math.min(running, (pValues[i]! * m) / (k + 1));
    adjusted[i] = Math.min(1, running);
    rejected[i] = k <= maxRejected;
  }
  return { adjusted, rejected };
}
