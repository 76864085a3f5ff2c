/**
 * ROC AUC and the rank bookkeeping shared by DeLong and the AUC bootstrap.
 *
 * AUC equals the Mann–Whitney U statistic divided by n₁·n₀, with tied
 * scores counted as half a win. That is exactly what sklearn's
 * `roc_auc_score` returns (its trapezoidal ROC treats a tie block as one
 * diagonal segment), computed here in O(n) after one radix argsort.
 */
import { argsort } from "./argsort";
import { commonLength, type NumericArray } from "./types";

/** Rows in score order plus, for each row, the bounds of its tie block. */
export interface Ranking {
  /** order[k] = row index of the k-th smallest score (stable for ties). */
  order: Uint32Array;
  /** less[i] = #{j : s_j < s_i} — the 0-based start of i's tie block in `order`. */
  less: Uint32Array;
  /** lessEq[i] = #{j : s_j ≤ s_i} — the end (exclusive) of i's tie block. */
  lessEq: Uint32Array;
}

/** Sort once and record tie blocks (equal values, so −0 ties with +0). */
export function rankScores(scores: NumericArray): Ranking {
  const values = scores instanceof Float64Array ? scores : Float64Array.from(scores);
  const order = argsort(values);
  const n = order.length;
  const less = new Uint32Array(n);
  const lessEq = new Uint32Array(n);
  let start = 0;
  while (start < n) {
    const v = values[order[start]!]!;
    let end = start + 1;
    while (end < n && values[order[end]!]! === v) end++;
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      less[i] = start;
      lessEq[i] = end;
    }
    start = end;
  }
  return { order, less, lessEq };
}

/** 1-based mid-rank of row i (ties get the average of their ranks). */
export function midRank(r: Ranking, i: number): number {
  return (r.less[i]! + r.lessEq[i]! + 1) / 2;
}

/** Count of positives (label 1) and negatives (label 0); throws on other labels. */
export function classCounts(labels: NumericArray): { positives: number; negatives: number } {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y === 1) positives++;
    else if (y !== 0) throw new RangeError(`label at index ${i} is ${y}; expected 0 or 1`);
  }
  return { positives, negatives: labels.length - positives };
}

/**
 * ROC AUC for binary labels (1 = positive) and real-valued scores
 * (higher = more likely positive). Returns NaN when only one class is
 * present (sklearn raises; NaN lets bootstrap code skip such resamples).
 * Pass a precomputed `ranking` of the same scores to skip the sort.
 */
export function rocAuc(labels: NumericArray, scores: NumericArray, ranking?: Ranking): number {
  commonLength("rocAuc", labels, scores);
  const { positives, negatives } = classCounts(labels);
  if (positives === 0 || negatives === 0) return Number.NaN;
  const r = ranking ?? rankScores(scores);
  let rankSum2 = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) rankSum2 += r.less[i]! + r.lessEq[i]! + 1; // 2 × mid-rank, an exact integer
  }
  // U = Σ ranks(positives) − n₁(n₁+1)/2
  const u = rankSum2 / 2 - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}
