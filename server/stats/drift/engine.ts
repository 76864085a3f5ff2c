/**
 * The drift engine: one column or a whole table, Evidently's defaults.
 *
 * Method by reference size (non-missing reference values, as Evidently counts
 * after dropping missing ones) and unique values over reference and current:
 *   ≤ 1,000: numerical with > 5 unique → KS (p ≤ 0.05); ≤ 2 unique → Z-test
 *            (p ≤ 0.05); otherwise chi-square (p ≤ 0.05)
 *   > 1,000: numerical with > 5 unique → Wasserstein / max(std_ref, 0.001)
 *            (≥ 0.1); otherwise Jensen–Shannon distance (≥ 0.1)
 * PSI (≥ 0.1) on request. The dataset drifts when at least half of the
 * measured columns drift.
 */
import { benjaminiHochberg } from "../multiple";
import {
  categoryCounts,
  countUniqueSorted,
  countUniqueUnion,
  detectColumnType,
  prepareColumn,
  sampleSize,
  valueCounts,
  type ColumnType,
  type ColumnValues,
  type PreparedColumn,
} from "./columns";
import { chiSquareGoodnessOfFit, twoProportionZTest } from "./categorical-tests";
import type { KsMode } from "./kolmogorov";
import { ksTwoSample, wassersteinSorted } from "./ks";
import {
  BINNING_MIN_UNIQUE,
  histogramCounts,
  jensenShannonDistance,
  populationStabilityIndex,
  sturgesEdges,
  toShares,
} from "./shares";

export const DRIFT_METHODS = ["ks", "ztest", "chisquare", "wasserstein", "jensenshannon", "psi"] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];
export type MethodChoice = DriftMethod | "auto";

export const isDriftMethod = (s: string): s is DriftMethod => (DRIFT_METHODS as readonly string[]).includes(s);

/** Methods whose result is a p-value (drift when p ≤ threshold); the others are distances (drift when ≥ threshold). */
export const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set(["ks", "ztest", "chisquare"]);

export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = {
  ks: 0.05,
  ztest: 0.05,
  chisquare: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
  psi: 0.1,
};

/** Reference sizes up to this use statistical tests; above it, distances (tests flag trivial shifts on big samples). */
export const SMALL_REFERENCE_MAX = 1000;
/** Wasserstein is divided by max(population std of the reference, this). */
export const WASSERSTEIN_MIN_STD = 0.001;

export interface ColumnOptions {
  method?: MethodChoice;
  threshold?: number;
  /** Force the column's type instead of detecting it from the reference. */
  type?: ColumnType;
}

export interface ColumnDrift {
  column: string;
  type: ColumnType;
  /** "none" when a side has no usable value: then nothing was measured. */
  method: DriftMethod | "none";
  statistic: number | null;
  /** null for distances (and when not measured). */
  pValue: number | null;
  threshold: number | null;
  /** null = not measured (a side has no usable value). */
  drifted: boolean | null;
  missingShare: { reference: number; current: number };
  newCategories: string[];
  /** KS only: whether the p-value is SciPy's exact or asymptotic one. */
  ksMode?: KsMode;
  /** With Benjamini–Hochberg: the adjusted p-value the decision used. */
  adjustedPValue?: number;
  /** Values the statistic ran on. */
  sampleSize: { reference: number; current: number };
}

export class DriftInputError extends Error {
  constructor(
    message: string,
    readonly column?: string,
  ) {
    super(message);
    this.name = "DriftInputError";
  }
}

/** Distinct values over both sides (numerical: counting stops past `limit`). */
function uniqueOverBoth(ref: PreparedColumn, cur: PreparedColumn, limit: number): number {
  if (ref.type === "numerical" && cur.type === "numerical") return countUniqueUnion(ref.sorted, cur.sorted, limit);
  if (ref.type === "categorical" && cur.type === "categorical")
    return new Set([...ref.counts.keys(), ...cur.counts.keys()]).size;
  throw new TypeError("both sides of a column are prepared with one type");
}

function chooseMethod(ref: PreparedColumn, cur: PreparedColumn): DriftMethod {
  const unique = uniqueOverBoth(ref, cur, 5);
  const numerical = ref.type === "numerical";
  if (sampleSize(ref) <= SMALL_REFERENCE_MAX) {
    if (numerical && unique > 5) return "ks";
    return unique <= 2 ? "ztest" : "chisquare";
  }
  return numerical && unique > 5 ? "wasserstein" : "jensenshannon";
}

/** Counts per value/category over the union, or per Sturges bin for numerical columns with > 20 unique reference values. */
function shareCounts(
  ref: PreparedColumn,
  cur: PreparedColumn,
  binned: boolean,
): { reference: Float64Array; current: Float64Array } {
  if (ref.type === "numerical" && cur.type === "numerical") {
    if (binned && countUniqueSorted(ref.sorted) > BINNING_MIN_UNIQUE) {
      const min = Math.min(ref.sorted[0]!, cur.sorted[0]!);
      const max = Math.max(ref.sorted.at(-1)!, cur.sorted.at(-1)!);
      const edges = sturgesEdges(min, max, ref.sorted.length + cur.sorted.length);
      return { reference: histogramCounts(ref.sorted, edges), current: histogramCounts(cur.sorted, edges) };
    }
    const vc = valueCounts(ref.sorted, cur.sorted);
    return { reference: vc.reference, current: vc.current };
  }
  if (ref.type !== "categorical" || cur.type !== "categorical")
    throw new TypeError("both sides of a column are prepared with one type");
  const cc = categoryCounts(ref, cur);
  return { reference: cc.reference, current: cc.current };
}

function populationStd(sorted: Float64Array): number {
  const n = sorted.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += sorted[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  return Math.sqrt(ss / n);
}

/** Run one method on two prepared columns (both non-empty). */
export function runMethod(
  method: DriftMethod,
  ref: PreparedColumn,
  cur: PreparedColumn,
  column = "column",
): { statistic: number; pValue: number | null; ksMode?: KsMode } {
  switch (method) {
    case "ks":
    case "wasserstein": {
      if (ref.type !== "numerical" || cur.type !== "numerical")
        throw new DriftInputError(`column "${column}" is categorical; ${method} needs a numerical column`, column);
      if (method === "ks") {
        const r = ksTwoSample(ref.sorted, cur.sorted);
        return { statistic: r.statistic, pValue: r.pValue, ksMode: r.mode };
      }
      return {
        statistic: wassersteinSorted(ref.sorted, cur.sorted) / Math.max(populationStd(ref.sorted), WASSERSTEIN_MIN_STD),
        pValue: null,
      };
    }
    case "chisquare": {
      const c = shareCounts(ref, cur, false);
      const r = chiSquareGoodnessOfFit(c.reference, c.current);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case "ztest": {
      const c = shareCounts(ref, cur, false);
      // Both sides one and the same value: nothing to compare (Evidently's p = 1).
      const r = twoProportionZTest(c.reference[0]!, sampleSize(ref), c.current[0]!, sampleSize(cur));
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case "jensenshannon":
    case "psi": {
      const c = shareCounts(ref, cur, true);
      const rs = toShares(c.reference, sampleSize(ref)),
        cs = toShares(c.current, sampleSize(cur));
      return {
        statistic: method === "psi" ? populationStabilityIndex(rs, cs) : jensenShannonDistance(rs, cs),
        pValue: null,
      };
    }
  }
}

export function isDrifted(method: DriftMethod, statistic: number, pValue: number | null, threshold: number): boolean {
  return P_VALUE_METHODS.has(method) ? (pValue as number) <= threshold : statistic >= threshold;
}

function newCategories(ref: PreparedColumn, cur: PreparedColumn): string[] {
  if (ref.type !== "categorical" || cur.type !== "categorical") return [];
  return [...cur.counts.keys()].filter((c) => !ref.counts.has(c)).sort();
}

export interface PreparedPair {
  type: ColumnType;
  reference: PreparedColumn;
  current: PreparedColumn;
}

/** Detect the type (from the reference, else the current column) and prepare both sides once. */
export function preparePair(reference: ColumnValues, current: ColumnValues, type?: ColumnType): PreparedPair {
  const t = type ?? detectColumnType(reference) ?? detectColumnType(current) ?? "numerical";
  return { type: t, reference: prepareColumn(reference, t), current: prepareColumn(current, t) };
}

/** Drift of one column on prepared data. */
export function driftPrepared(column: string, pair: PreparedPair, options: ColumnOptions = {}): ColumnDrift {
  const { reference: ref, current: cur } = pair;
  const missingShare = {
    reference: ref.rows ? ref.missing / ref.rows : 0,
    current: cur.rows ? cur.missing / cur.rows : 0,
  };
  const base = {
    column,
    type: pair.type,
    missingShare,
    newCategories: newCategories(ref, cur),
    sampleSize: { reference: sampleSize(ref), current: sampleSize(cur) },
  };
  if (options.threshold !== undefined && !(options.threshold >= 0))
    throw new DriftInputError(
      `column "${column}": threshold ${options.threshold} is not a non-negative number`,
      column,
    );
  if (sampleSize(ref) === 0 || sampleSize(cur) === 0) {
    return { ...base, method: "none", statistic: null, pValue: null, threshold: null, drifted: null };
  }
  const method = !options.method || options.method === "auto" ? chooseMethod(ref, cur) : options.method;
  const threshold = options.threshold ?? DEFAULT_THRESHOLDS[method];
  const r = runMethod(method, ref, cur, column);
  return {
    ...base,
    method,
    statistic: r.statistic,
    pValue: r.pValue,
    threshold,
    drifted: isDrifted(method, r.statistic, r.pValue, threshold),
    ...(r.ksMode ? { ksMode: r.ksMode } : {}),
  };
}

/** Drift of one column: reference and current values, Evidently's defaults unless overridden. */
export function driftColumn(
  reference: ColumnValues,
  current: ColumnValues,
  options: ColumnOptions & { column?: string } = {},
): ColumnDrift {
  return driftPrepared(options.column ?? "column", preparePair(reference, current, options.type), options);
}

export interface DatasetOptions {
  /** Method for every column unless a column says otherwise (default "auto"). */
  method?: MethodChoice;
  /** Threshold for every column unless a column says otherwise (default: the method's). */
  threshold?: number;
  /** Per-column overrides, by column name. */
  columns?: Record<string, ColumnOptions>;
  /** Adjust the p-values of the test-based columns together (Benjamini–Hochberg) before comparing them with their thresholds. */
  benjaminiHochberg?: boolean;
  /** Share of drifted columns from which the dataset drifts (default 0.5). */
  driftShare?: number;
}

export interface DatasetDrift {
  columns: ColumnDrift[];
  /** Drifted columns over measured columns (0 when none was measured). */
  driftedShare: number;
  datasetDrifted: boolean;
}

export type Table = Record<string, ColumnValues>;

/** Combine per-column results: optional Benjamini–Hochberg, then the dataset verdict. */
export function summarize(
  columns: ColumnDrift[],
  options: Pick<DatasetOptions, "benjaminiHochberg" | "driftShare"> = {},
): DatasetDrift {
  if (options.benjaminiHochberg) {
    const tested = columns.filter((c) => c.pValue !== null && c.method !== "none" && P_VALUE_METHODS.has(c.method));
    if (tested.length > 0) {
      const { adjusted } = benjaminiHochberg(tested.map((c) => c.pValue!));
      tested.forEach((c, i) => {
        c.adjustedPValue = adjusted[i]!;
        c.drifted = adjusted[i]! <= c.threshold!;
      });
    }
  }
  const measured = columns.filter((c) => c.drifted !== null);
  const drifted = measured.filter((c) => c.drifted).length;
  const driftedShare = measured.length ? drifted / measured.length : 0;
  return { columns, driftedShare, datasetDrifted: measured.length > 0 && driftedShare >= (options.driftShare ?? 0.5) };
}

/** Drift of every column both tables share (or the named ones). */
export function driftDataset(
  reference: Table,
  current: Table,
  options: DatasetOptions & { only?: string[] } = {},
): DatasetDrift {
  const names = options.only ?? Object.keys(reference).filter((n) => n in current);
  const columns = names.map((name) => {
    if (!(name in reference)) throw new DriftInputError(`unknown column "${name}" (not in the reference)`, name);
    if (!(name in current)) throw new DriftInputError(`unknown column "${name}" (not in the current data)`, name);
    const own = options.columns?.[name] ?? {};
    return driftColumn(reference[name]!, current[name]!, {
      column: name,
      type: own.type,
      method: own.method ?? options.method,
      threshold: own.threshold ?? (own.method && own.method !== options.method ? undefined : options.threshold),
    });
  });
  return summarize(columns, options);
}
