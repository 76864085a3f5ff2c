/**
 * Seeded percentile bootstrap.
 *
 * A bootstrap resample draws n rows uniformly with replacement; the
 * percentile interval is the [α/2, 1 − α/2] quantiles (numpy "linear") of
 * the metric over resamples. All paths below produce *that* distribution —
 * they differ only in how a resample is represented:
 *
 *  - indices  (generic): a reused Uint32Array of n row indices; works for
 *    any metric, costs one metric evaluation per resample.
 *  - means    (fast): for metrics that are f(mean of per-row values) —
 *    accuracy, MAE, Brier, log loss, RMSE = √mean(sq. error) — a resample
 *    is a weighted sum Σ w_i·x_i / n with multiplicity counts w (see
 *    resample.ts); one sequential pass, no index array at all.
 *  - counts   (fastest): when the metric depends only on counts of a few
 *    cells (accuracy, confusion-matrix metrics), resampled cell counts are
 *    exactly Multinomial(n, observed shares), so each resample costs
 *    O(cells·√n) instead of O(n).
 *
 * Every path returns K statistics per resample so paired comparisons can
 * evaluate two models (and their difference) on the very same resample.
 */
import { sampleMultinomial } from "./binomial-sampler";
import { BLOCKED_MIN_ROWS, replicateMeansBlocked } from "./blocked-bootstrap";
import { percentileInterval } from "./percentile";
import { countsToIndices, ResampleCounter } from "./resample";
import { createRng, DEFAULT_SEED } from "./rng";

export interface BootstrapOptions {
  /** PRNG seed; the same seed and data always give the same interval. */
  seed?: number;
  /** Number of resamples (default 2,000). */
  resamples?: number;
  /** Central coverage of the interval (default 0.95). */
  confidence?: number;
}

export interface BootstrapInterval {
  /** Metric on the original data (not the bootstrap mean). */
  estimate: number;
  lo: number;
  hi: number;
  confidence: number;
  resamples: number;
  /** Resamples where the metric was undefined (NaN) and was left out. */
  dropped: number;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;

export interface ResolvedOptions {
  seed: number;
  resamples: number;
  confidence: number;
}

export function resolveOptions(opts: BootstrapOptions = {}): ResolvedOptions {
  const seed = opts.seed ?? DEFAULT_SEED;
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  return { seed, resamples, confidence };
}

/** Resample-by-statistic matrix: `replicates[k][r]` is statistic k on resample r. */
export type Replicates = Float64Array[];

function allocate(k: number, resamples: number): Replicates {
  return Array.from({ length: k }, () => new Float64Array(resamples));
}

/** Turn replicates and point estimates into percentile intervals. */
export function intervalsFrom(
  estimates: readonly number[],
  replicates: Replicates,
  opts: ResolvedOptions,
): BootstrapInterval[] {
  return estimates.map((estimate, k) => {
    const { lo, hi, dropped } = percentileInterval(replicates[k]!, opts.confidence);
    return { estimate, lo, hi, confidence: opts.confidence, resamples: opts.resamples, dropped };
  });
}

/**
 * Generic path: `stats(idx, out)` writes K statistics for the resample given
 * by `idx` (row indices with repeats, in ascending order). The same
 * Uint32Array is reused for every resample — callers must not keep it.
 */
export function replicateByIndices(
  n: number,
  k: number,
  stats: (idx: Uint32Array, out: Float64Array) => void,
  opts: ResolvedOptions,
): Replicates {
  const counter = new ResampleCounter(n, createRng(opts.seed));
  const counts = new Uint8Array(n);
  const idx = new Uint32Array(n);
  const out = new Float64Array(k);
  const reps = allocate(k, opts.resamples);
  for (let r = 0; r < opts.resamples; r++) {
    counter.draw(counts);
    countsToIndices(counts, idx);
    stats(idx, out);
    for (let j = 0; j < k; j++) reps[j]![r] = out[j]!;
  }
  return reps;
}

/**
 * Mean path: for each column c, replicate = transform(Σ w_i·x_ci / n) with
 * w the resample counts. All columns use the same counts, so this is a
 * paired resample when given two models' per-row losses.
 */
export function replicateMeans(
  columns: readonly Float64Array[],
  opts: ResolvedOptions,
  transform: (mean: number) => number = (m) => m,
): Replicates {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  if (n === 0 || columns.some((c) => c.length !== n))
    throw new RangeError("replicateMeans: columns must be non-empty and of equal length");
  // A million rows × 2,000 resamples is 2·10⁹ multiply-adds per column: large inputs take sorted blocks.
  if (n >= BLOCKED_MIN_ROWS) return replicateMeansBlocked(columns, opts, transform);
  const counter = new ResampleCounter(n, createRng(opts.seed));
  const counts = new Uint8Array(n);
  const reps = allocate(k, opts.resamples);
  for (let r = 0; r < opts.resamples; r++) {
    counter.draw(counts);
    for (let c = 0; c < k; c++) reps[c]![r] = transform(weightedSum(columns[c]!, counts) / n);
  }
  return reps;
}

/** Σ w_i·x_i; starts at −0 so V8 keeps the accumulator an unboxed double. */
function weightedSum(x: Float64Array, w: Uint8Array): number {
  let s = -0;
  for (let i = 0; i < x.length; i++) s += w[i]! * x[i]!;
  return s;
}

/**
 * Count path: `cellCounts` are the observed counts of mutually exclusive
 * cells (they sum to n). Each resample draws Multinomial(n, cellCounts / n)
 * and `stats(counts, n, out)` writes K statistics from those counts.
 */
export function replicateCounts(
  cellCounts: readonly number[],
  k: number,
  stats: (counts: Float64Array, n: number, out: Float64Array) => void,
  opts: ResolvedOptions,
): Replicates {
  const n = cellCounts.reduce((a, b) => a + b, 0);
  if (n <= 0) throw new RangeError("replicateCounts: no observations");
  const probs = cellCounts.map((c) => c / n);
  const rng = createRng(opts.seed);
  const counts = new Float64Array(cellCounts.length);
  const out = new Float64Array(k);
  const reps = allocate(k, opts.resamples);
  for (let r = 0; r < opts.resamples; r++) {
    sampleMultinomial(rng, n, probs, counts);
    stats(counts, n, out);
    for (let j = 0; j < k; j++) reps[j]![r] = out[j]!;
  }
  return reps;
}

/** Percentile bootstrap of any metric defined on a set of row indices. */
export function bootstrapIndices(
  n: number,
  metric: (idx: Uint32Array) => number,
  options?: BootstrapOptions,
): BootstrapInterval {
  const opts = resolveOptions(options);
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimate = metric(all);
  const reps = replicateByIndices(
    n,
    1,
    (idx, out) => {
      out[0] = metric(idx);
    },
    opts,
  );
  return intervalsFrom([estimate], reps, opts)[0]!;
}

/**
 * Percentile bootstrap of a column metric such as `f1(labels, predicted)`.
 * Resampled columns are gathered into buffers allocated once.
 */
export function bootstrapMetric(
  metric: (...columns: Float64Array[]) => number,
  columns: readonly ArrayLike<number>[],
  options?: BootstrapOptions,
): BootstrapInterval {
  const n = columns[0]?.length ?? 0;
  if (n === 0 || columns.some((c) => c.length !== n))
    throw new RangeError("bootstrapMetric: columns must be non-empty and of equal length");
  const opts = resolveOptions(options);
  const src = columns.map((c) => Float64Array.from(c));
  const buf = columns.map(() => new Float64Array(n));
  const reps = replicateByIndices(
    n,
    1,
    (idx, out) => {
      gather(src, buf, idx);
      out[0] = metric(...buf);
    },
    opts,
  );
  return intervalsFrom([metric(...src)], reps, opts)[0]!;
}

/** buf[c][i] = src[c][idx[i]] for every column c. */
export function gather(src: readonly Float64Array[], buf: readonly Float64Array[], idx: Uint32Array): void {
  for (let c = 0; c < src.length; c++) {
    const s = src[c]!,
      b = buf[c]!;
    for (let i = 0; i < idx.length; i++) b[i] = s[idx[i]!]!;
  }
}

/** Fast percentile bootstrap of transform(mean(values)), e.g. √ for RMSE from squared errors. */
export function bootstrapMean(
  values: ArrayLike<number>,
  options?: BootstrapOptions,
  transform: (mean: number) => number = (m) => m,
): BootstrapInterval {
  const opts = resolveOptions(options);
  const col = Float64Array.from(values);
  let sum = 0;
  for (let i = 0; i < col.length; i++) sum += col[i]!;
  const reps = replicateMeans([col], opts, transform);
  return intervalsFrom([transform(sum / col.length)], reps, opts)[0]!;
}
