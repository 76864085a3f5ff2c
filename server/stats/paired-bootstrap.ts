/**
 * Paired bootstrap: both models are scored on the *same* resample, so the
 * interval of the difference (challenger − champion) accounts for the
 * correlation between them — usually much narrower than comparing two
 * independent intervals, and the reason a paired design is used at all.
 */
import { rankScores, rocAuc, type Ranking } from "./auc";
import { replicateAuc } from "./auc-bootstrap";
import {
  gather,
  intervalsFrom,
  replicateByIndices,
  replicateCounts,
  replicateMeans,
  resolveOptions,
  type BootstrapInterval,
  type BootstrapOptions,
  type Replicates,
  type ResolvedOptions,
} from "./bootstrap";
import { accuracy, f1FromCounts } from "./metrics";
import { commonLength, type NumericArray } from "./types";

export interface PairedBootstrapResult {
  champion: BootstrapInterval;
  challenger: BootstrapInterval;
  /** challenger − champion, per resample. */
  difference: BootstrapInterval;
}

/** Build the three intervals from paired replicates [champion, challenger]. */
export function pairedIntervals(
  championEstimate: number,
  challengerEstimate: number,
  reps: Replicates,
  opts: ResolvedOptions,
): PairedBootstrapResult {
  const a = reps[0]!,
    b = reps[1]!;
  const diff = new Float64Array(a.length);
  for (let r = 0; r < a.length; r++) diff[r] = b[r]! - a[r]!;
  const [champion, challenger, difference] = intervalsFrom(
    [championEstimate, challengerEstimate, challengerEstimate - championEstimate],
    [a, b, diff],
    opts,
  );
  return { champion: champion!, challenger: challenger!, difference: difference! };
}

/** Generic paired bootstrap: two metrics of a resample given as row indices. */
export function pairedBootstrap(
  n: number,
  championMetric: (idx: Uint32Array) => number,
  challengerMetric: (idx: Uint32Array) => number,
  options?: BootstrapOptions,
): PairedBootstrapResult {
  const opts = resolveOptions(options);
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const reps = replicateByIndices(
    n,
    2,
    (idx, out) => {
      out[0] = championMetric(idx);
      out[1] = challengerMetric(idx);
    },
    opts,
  );
  return pairedIntervals(championMetric(all), challengerMetric(all), reps, opts);
}

/** Paired bootstrap of any column metric, e.g. `pairedBootstrapMetric(f1, y, a, b)`. */
export function pairedBootstrapMetric(
  metric: (labels: Float64Array, predictions: Float64Array) => number,
  labels: NumericArray,
  champion: NumericArray,
  challenger: NumericArray,
  options?: BootstrapOptions,
): PairedBootstrapResult {
  const n = commonLength("pairedBootstrapMetric", labels, champion, challenger);
  const opts = resolveOptions(options);
  const src = [labels, champion, challenger].map((c) => Float64Array.from(c));
  const buf = src.map(() => new Float64Array(n));
  const reps = replicateByIndices(
    n,
    2,
    (idx, out) => {
      gather(src, buf, idx);
      out[0] = metric(buf[0]!, buf[1]!);
      out[1] = metric(buf[0]!, buf[2]!);
    },
    opts,
  );
  return pairedIntervals(metric(src[0]!, src[1]!), metric(src[0]!, src[2]!), reps, opts);
}

/**
 * Fast path for metrics that are transform(mean of a per-row value):
 * pass per-row losses (squared errors with transform √ for RMSE, absolute
 * errors for MAE, 0/1 correctness for accuracy, log-loss terms, …).
 */
export function pairedBootstrapMean(
  championValues: NumericArray,
  challengerValues: NumericArray,
  options?: BootstrapOptions,
  transform: (mean: number) => number = (m) => m,
): PairedBootstrapResult {
  const n = commonLength("pairedBootstrapMean", championValues, challengerValues);
  const opts = resolveOptions(options);
  const a = Float64Array.from(championValues),
    b = Float64Array.from(challengerValues);
  let sa = 0,
    sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i]!;
    sb += b[i]!;
  }
  const reps = replicateMeans([a, b], opts, transform);
  return pairedIntervals(transform(sa / n), transform(sb / n), reps, opts);
}

/**
 * Accuracy via counts: each row is one of 4 cells (champion right?,
 * challenger right?); resampled cell counts are Multinomial(n, shares).
 * Cell index = 2·championRight + challengerRight.
 */
export function pairedBootstrapAccuracy(
  labels: NumericArray,
  champion: NumericArray,
  challenger: NumericArray,
  options?: BootstrapOptions,
): PairedBootstrapResult {
  const n = commonLength("pairedBootstrapAccuracy", labels, champion, challenger);
  const opts = resolveOptions(options);
  const cells = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    cells[(champion[i] === y ? 2 : 0) + (challenger[i] === y ? 1 : 0)]!++;
  }
  const reps = replicateCounts(
    cells,
    2,
    (c, total, out) => {
      out[0] = (c[2]! + c[3]!) / total;
      out[1] = (c[1]! + c[3]!) / total;
    },
    opts,
  );
  return pairedIntervals(accuracy(labels, champion), accuracy(labels, challenger), reps, opts);
}

/** The confusion-count metrics a paired bootstrap can resample as cell counts. */
export type ConfusionMetric = "precision" | "recall" | "f1";

const safeRatio = (num: number, den: number) => (den === 0 ? 0 : num / den);

/** precision, recall or F1 from tp, fp, fn, with sklearn's zero-division 0. */
function fromCounts(metric: ConfusionMetric, tp: number, fp: number, fn: number): number {
  if (metric === "precision") return safeRatio(tp, tp + fp);
  if (metric === "recall") return safeRatio(tp, tp + fn);
  return f1FromCounts(tp, fp, fn);
}

/**
 * Precision, recall or F1 via counts: each row is one of 8 cells (label, champion prediction,
 * challenger prediction), index = 4·y + 2·a + b. The three metrics need only tp, fp and fn, so a
 * resample is a Multinomial draw over 8 cells — O(1) per resample whatever n, a million rows included.
 */
export function pairedBootstrapConfusion(
  metric: ConfusionMetric,
  labels: NumericArray,
  champion: NumericArray,
  challenger: NumericArray,
  options?: BootstrapOptions,
): PairedBootstrapResult {
  const n = commonLength(`pairedBootstrap(${metric})`, labels, champion, challenger);
  const opts = resolveOptions(options);
  const cells = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const y = labels[i]!,
      a = champion[i]!,
      b = challenger[i]!;
    if ((y !== 0 && y !== 1) || (a !== 0 && a !== 1) || (b !== 0 && b !== 1)) {
      throw new RangeError(
        `pairedBootstrap(${metric}): row ${i} is not 0/1 (label ${y}, champion ${a}, challenger ${b})`,
      );
    }
    cells[4 * y + 2 * a + b]!++;
  }
  // champion: tp = y1·a1 (cells 6,7), fp = y0·a1 (2,3), fn = y1·a0 (4,5)
  // challenger: tp = y1·b1 (5,7), fp = y0·b1 (1,3), fn = y1·b0 (4,6)
  const champ = (c: ArrayLike<number>) => fromCounts(metric, c[6]! + c[7]!, c[2]! + c[3]!, c[4]! + c[5]!);
  const chall = (c: ArrayLike<number>) => fromCounts(metric, c[5]! + c[7]!, c[1]! + c[3]!, c[4]! + c[6]!);
  const reps = replicateCounts(
    cells,
    2,
    (c, _total, out) => {
      out[0] = champ(c);
      out[1] = chall(c);
    },
    opts,
  );
  return pairedIntervals(champ(cells), chall(cells), reps, opts);
}

/** F1 of 0/1 predictions, paired: see pairedBootstrapConfusion. */
export function pairedBootstrapF1(
  labels: NumericArray,
  champion: NumericArray,
  challenger: NumericArray,
  options?: BootstrapOptions,
): PairedBootstrapResult {
  return pairedBootstrapConfusion("f1", labels, champion, challenger, options);
}

/**
 * ROC AUC via one sort per model and O(n) weighted passes per resample.
 * `rankings` (rankScores of champion, challenger) may be passed to reuse sorts.
 */
export function pairedBootstrapAuc(
  labels: NumericArray,
  champion: NumericArray,
  challenger: NumericArray,
  options?: BootstrapOptions,
  rankings?: readonly [Ranking, Ranking],
): PairedBootstrapResult {
  const opts = resolveOptions(options);
  const [ra, rb] = rankings ?? [rankScores(champion), rankScores(challenger)];
  const reps = replicateAuc(labels, [champion, challenger], opts, [ra, rb]);
  return pairedIntervals(rocAuc(labels, champion, ra), rocAuc(labels, challenger, rb), reps, opts);
}
