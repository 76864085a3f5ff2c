/**
 * Data quality of the current data against the reference, per column:
 * missing shares, NaN and infinities, values of the wrong type, new
 * categories, values outside the reference range, and the shift of the mean
 * and standard deviation. Works on the same prepared columns as the drift tests.
 */
import type { PreparedPair } from "./engine";
import type { NumericalColumn } from "./columns";

export interface SideQuality {
  rows: number;
  missing: number;
  missingShare: number;
  nan: number;
  /** Numerical columns: ±Infinity values (left out of the statistics). */
  infinite: number;
  /** Numerical columns: values that are not numbers (left out of the statistics). */
  wrongType: number;
}

export interface NumericalQuality {
  reference: { min: number; max: number; mean: number; std: number } | null;
  current: { min: number; max: number; mean: number; std: number } | null;
  /** Current finite values below the reference minimum or above its maximum. */
  outOfRange: number;
  outOfRangeShare: number;
  /** (current mean − reference mean) / max(reference std, 0.001). */
  meanShift: number | null;
  /** current std / reference std (null when the reference is constant). */
  stdRatio: number | null;
}

export interface ColumnQuality {
  column: string;
  type: "numerical" | "categorical";
  reference: SideQuality;
  current: SideQuality;
  /** Categorical columns: categories seen now but never in the reference, and the share of current rows that carry one. */
  newCategories: string[];
  newCategoryShare: number;
  numerical?: NumericalQuality;
}

function side(c: PreparedPair["reference"]): SideQuality {
  return {
    rows: c.rows,
    missing: c.missing,
    missingShare: c.rows ? c.missing / c.rows : 0,
    nan: c.nan,
    infinite: c.type === "numerical" ? c.infinite : 0,
    wrongType: c.type === "numerical" ? c.wrongType : 0,
  };
}

function summary(c: NumericalColumn) {
  const a = c.sorted,
    n = a.length;
  if (n === 0) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (a[i]! - mean) ** 2;
  return { min: a[0]!, max: a[n - 1]!, mean, std: Math.sqrt(ss / n) };
}

/** Index of the first value > x in a sorted array. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function columnQuality(column: string, pair: PreparedPair): ColumnQuality {
  const { reference: ref, current: cur } = pair;
  const out: ColumnQuality = {
    column,
    type: pair.type,
    reference: side(ref),
    current: side(cur),
    newCategories: [],
    newCategoryShare: 0,
  };
  if (ref.type === "categorical" && cur.type === "categorical") {
    let rows = 0;
    for (const [category, count] of cur.counts) {
      if (!ref.counts.has(category)) {
        out.newCategories.push(category);
        rows += count;
      }
    }
    out.newCategories.sort();
    out.newCategoryShare = cur.rows ? rows / cur.rows : 0;
  } else if (ref.type === "numerical" && cur.type === "numerical") {
    const r = summary(ref),
      c = summary(cur);
    const outOfRange = r && c ? lowerBound(cur.sorted, r.min) + (cur.sorted.length - upperBound(cur.sorted, r.max)) : 0;
    out.numerical = {
      reference: r,
      current: c,
      outOfRange,
      outOfRangeShare: cur.rows ? outOfRange / cur.rows : 0,
      meanShift: r && c ? (c.mean - r.mean) / Math.max(r.std, 0.001) : null,
      stdRatio: r && c && r.std > 0 ? c.std / r.std : null,
    };
  }
  return out;
}
