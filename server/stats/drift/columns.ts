/**
 * Turning a raw column into what the drift tests read.
 *
 * Missing = null, undefined, NaN or an empty string: left out of every
 * statistic and reported as a share. A column is numerical when every
 * non-missing reference value is a number (the reference is what a model's
 * feature declaration is proposed from); current values of another type in a
 * numerical column are counted as `wrongType` and left out. Infinite values
 * are left out of the statistics too (as Evidently does) and counted apart.
 */
import { radixSortFloat64 } from "./radix-sort";

/** A column as it arrives: typed numbers (NaN = missing) or a JSON/CSV-like array. */
export type ColumnValues = Float64Array | readonly (number | string | null | undefined)[];

export type ColumnType = "numerical" | "categorical";

export interface NumericalColumn {
  type: "numerical";
  rows: number;
  missing: number;
  nan: number;
  infinite: number;
  wrongType: number;
  /** Finite values, sorted ascending. */
  sorted: Float64Array;
}

export interface CategoricalColumn {
  type: "categorical";
  rows: number;
  missing: number;
  nan: number;
  /** Count per category (numbers are keyed by their string form). */
  counts: Map<string, number>;
  /** Non-missing values. */
  size: number;
}

export type PreparedColumn = NumericalColumn | CategoricalColumn;

const isMissing = (v: unknown) =>
  v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

/** Numerical when every non-missing value of `values` is a number; an all-missing column says nothing (null). */
export function detectColumnType(values: ColumnValues): ColumnType | null {
  if (values instanceof Float64Array) return "numerical";
  let seen = false;
  for (const v of values) {
    if (isMissing(v)) continue;
    if (typeof v !== "number") return "categorical";
    seen = true;
  }
  return seen ? "numerical" : null;
}

export function prepareNumerical(values: ColumnValues): NumericalColumn {
  const rows = values.length;
  const finite = new Float64Array(rows);
  let size = 0,
    missing = 0,
    nan = 0,
    infinite = 0,
    wrongType = 0;
  if (values instanceof Float64Array) {
    for (let i = 0; i < rows; i++) {
      const v = values[i]!;
      if (v - v === 0) finite[size++] = v;
      else if (Number.isNaN(v)) {
        missing++;
        nan++;
      } else infinite++;
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      if (typeof v === "number") {
        if (Number.isFinite(v)) finite[size++] = v;
        else if (Number.isNaN(v)) {
          missing++;
          nan++;
        } else infinite++;
      } else if (isMissing(v)) missing++;
      else wrongType++;
    }
  }
  const sorted = radixSortFloat64(finite.subarray(0, size));
  return { type: "numerical", rows, missing, nan, infinite, wrongType, sorted };
}

export function prepareCategorical(values: ColumnValues): CategoricalColumn {
  const counts = new Map<string, number>();
  let missing = 0,
    nan = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      missing++;
      if (typeof v === "number") nan++;
      continue;
    }
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { type: "categorical", rows: values.length, missing, nan, counts, size: values.length - missing };
}

export function prepareColumn(values: ColumnValues, type: ColumnType): PreparedColumn {
  return type === "numerical" ? prepareNumerical(values) : prepareCategorical(values);
}

/** Number of values a test runs on. */
export const sampleSize = (c: PreparedColumn) => (c.type === "numerical" ? c.sorted.length : c.size);

/** Distinct values of a sorted array. */
export function countUniqueSorted(a: Float64Array): number {
  let u = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) u++;
  return u;
}

/** Distinct values over two sorted arrays together, stopping once `limit` is passed. */
export function countUniqueUnion(a: Float64Array, b: Float64Array, limit = Number.POSITIVE_INFINITY): number {
  let i = 0,
    j = 0,
    u = 0;
  while ((i < a.length || j < b.length) && u <= limit) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    u++;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
  }
  return u;
}

/** Per-value counts of two sorted arrays over the union of their values (ascending). */
export function valueCounts(
  a: Float64Array,
  b: Float64Array,
): { values: number[]; reference: Float64Array; current: Float64Array } {
  const values: number[] = [],
    ra: number[] = [],
    rb: number[] = [];
  let i = 0,
    j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const i0 = i,
      j0 = j;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    values.push(v);
    ra.push(i - i0);
    rb.push(j - j0);
  }
  return { values, reference: Float64Array.from(ra), current: Float64Array.from(rb) };
}

/** Category counts over the union of both columns' categories (sorted by name). */
export function categoryCounts(
  a: CategoricalColumn,
  b: CategoricalColumn,
): { categories: string[]; reference: Float64Array; current: Float64Array } {
  const categories = [...new Set([...a.counts.keys(), ...b.counts.keys()])].sort();
  return {
    categories,
    reference: Float64Array.from(categories, (c) => a.counts.get(c) ?? 0),
    current: Float64Array.from(categories, (c) => b.counts.get(c) ?? 0),
  };
}
