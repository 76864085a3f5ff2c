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
  let k = 0,
    mx = 0,
    my = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  // Welford-style co-moments: one pass, no catastrophic cancellation for large means.
  for (let i = 0; i < n; i++) {
    const a = x[i]!,
      b = y[i]!;
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

/** Mean of the finite values (0 when there are none): columns are centred on it so the sums below do not cancel. */
function finiteMean(x: ArrayLike<number>): number {
  let s = 0,
    k = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v === 0) {
      s += v;
      k++;
    }
  }
  return k ? s / k : 0;
}

const BLOCK = 2048;

/**
 * All pairwise Pearson correlations in one sweep over row blocks: each block of every column stays
 * in cache while all pairs use it, so the table is read once rather than once per pair. Sums are of
 * values centred on their column mean, which keeps the one-pass formula accurate.
 */
function matrix(columns: ArrayLike<number>[]): (number | null)[][] {
  const k = columns.length;
  const rows = Math.min(...columns.map((c) => c.length));
  const means = columns.map(finiteMean);
  const pairs = (k * (k + 1)) / 2;
  // Per pair (i ≤ j): count, Σx, Σy, Σxx, Σyy, Σxy over rows where both are finite.
  const acc = new Float64Array(pairs * 6);
  const block = columns.map(() => new Float64Array(BLOCK));
  for (let start = 0; start < rows; start += BLOCK) {
    const len = Math.min(BLOCK, rows - start);
    for (let c = 0; c < k; c++) {
      const src = columns[c]!,
        dst = block[c]!,
        m = means[c]!;
      for (let r = 0; r < len; r++) dst[r] = src[start + r]! - m; // NaN and ±Infinity stay non-finite
    }
    let p = 0;
    for (let i = 0; i < k; i++) {
      const x = block[i]!;
      for (let j = i; j < k; j++, p++) {
        const y = block[j]!;
        let n = 0,
          sx = 0,
          sy = 0,
          sxx = 0,
          syy = 0,
          sxy = 0;
        for (let r = 0; r < len; r++) {
          const a = x[r]!,
            b = y[r]!;
          if (a - a !== 0 || b - b !== 0) continue;
          n++;
          sx += a;
          sy += b;
          sxx += a * a;
          syy += b * b;
          sxy += a * b;
        }
        const o = p * 6;
        acc[o]! += n;
        acc[o + 1]! += sx;
        acc[o + 2]! += sy;
        acc[o + 3]! += sxx;
        acc[o + 4]! += syy;
        acc[o + 5]! += sxy;
      }
    }
  }
  const m: (number | null)[][] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  let p = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++, p++) {
      const o = p * 6;
      const n = acc[o]!;
      const vx = acc[o + 3]! - (acc[o + 1]! * acc[o + 1]!) / n;
      const vy = acc[o + 4]! - (acc[o + 2]! * acc[o + 2]!) / n;
      const cov = acc[o + 5]! - (acc[o + 1]! * acc[o + 2]!) / n;
      // A (near-)constant column has no correlation: relative variance below rounding noise counts as zero.
      const flat = (v: number, ss: number) => !(v > 1e-12 * ss);
      const r =
        n < 2 || flat(vx, acc[o + 3]!) || flat(vy, acc[o + 4]!)
          ? null
          : Math.max(-1, Math.min(1, cov / Math.sqrt(vx * vy)));
      m[i]![j] = m[j]![i] = i === j ? (r === null ? null : 1) : r;
    }
  }
  return m;
}

/** Numerical columns as NaN-for-missing arrays, the same names on both sides. */
export function correlationChange(
  names: string[],
  reference: ArrayLike<number>[],
  current: ArrayLike<number>[],
): CorrelationChange {
  const ref = matrix(reference),
    cur = matrix(current);
  let best: number | null = null,
    pair: [string, string] | null = null;
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = ref[i]![j],
        b = cur[i]![j];
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
