/**
 * Change in the correlation matrix of the numerical features: Pearson
 * correlations on the rows where both values are finite, in the reference and
 * in the current data, and the largest absolute change.
 */

export interface CorrelationChange {
  columns: string[];
  /** Row-major matrices; null where a column is constant or has < 2 paired rows. */
  reference: (number | null)[][];
  current: (number | null)[][];
  maxAbsChange: number | null;
  /** The pair with the largest change. */
  pair: [string, string] | null;
}

/** Pearson correlation over the rows where both are finite (pairwise complete). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = Math.min(x.length, y.length);
  let k = 0, mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
  // Welford-style co-moments: one pass, no catastrophic cancellation for large means.
  for (let i = 0; i < n; i++) {
    const a = x[i]!, b = y[i]!;
    if (a - a !== 0 || b - b !== 0) continue;
    k++;
    const dx = a - mx;
    mx += dx / k;
    const dy = b - my;
    my += dy / k;
    sxx += dx * (a - mx);
    syy += dy * (b - my);
    sxy += dx * (b - my);
  }
  if (k < 2 || sxx <= 0 || syy <= 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function matrix(columns: ArrayLike<number>[]): (number | null)[][] {
  const k = columns.length;
  const m: (number | null)[][] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  for (let i = 0; i < k; i++) {
    m[i]![i] = pearson(columns[i]!, columns[i]!) === null ? null : 1;
    for (let j = i + 1; j < k; j++) m[i]![j] = m[j]![i] = pearson(columns[i]!, columns[j]!);
  }
  return m;
}

/** Numerical columns as NaN-for-missing arrays, the same names on both sides. */
export function correlationChange(names: string[], reference: ArrayLike<number>[], current: ArrayLike<number>[]): CorrelationChange {
  const ref = matrix(reference), cur = matrix(current);
  let best: number | null = null, pair: [string, string] | null = null;
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = ref[i]![j], b = cur[i]![j];
      if (a === null || a === undefined || b === null || b === undefined) continue;
      const d = Math.abs(a - b);
      if (best === null || d > best) {
        best = d;
        pair = [names[i]!, names[j]!];
      }
    }
  }
  return { columns: names, reference: ref, current: cur, maxAbsChange: best, pair };
}
