/**
 * ROC AUC and the rank bookkeeping shared by DeLong and the AUC bootstrap.
 *
 * AUC equals the Mann–Whitney U statistic divided by n₁·n₀, with tied
 * scores counted as half a win. That is exactly what sklearn's
 * `roc_auc_score` returns (its trapezoidal ROC treats a tie block as one
 * diagonal segment), computed here in O(n log n) via mid-ranks.
 */
import { commonLength, type NumericArray } from "./types";

/** For each element: how many values are strictly smaller / smaller-or-equal. */
export interface Ranks {
  /** #{j : s_j < s_i} — also the 0-based start of i's tie block in sorted order. */
  less: Uint32Array;
  /** #{j : s_j ≤ s_i} — the end (exclusive) of i's tie block. */
  lessEq: Uint32Array;
}

/**
 * Rank every value with one native typed-array sort plus two binary searches
 * per value. Native `Float64Array#sort` is several times faster than sorting
 * an index array with a comparator, which matters at 10^6 rows.
 */
export function rankScores(scores: NumericArray): Ranks {
  const n = scores.length;
  const sorted = Float64Array.from(scores).sort();
  const less = new Uint32Array(n);
  const lessEq = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) throw new RangeError(`score at index ${i} is NaN`);
    // lower bound: first position with sorted[pos] >= s
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    less[i] = lo;
    // upper bound: first position with sorted[pos] > s (search right of lo)
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= s) lo = mid + 1;
      else hi = mid;
    }
    lessEq[i] = lo;
  }
  return { less, lessEq };
}

/** 1-based mid-rank of element i (ties get the average of their ranks). */
export function midRank(r: Ranks, i: number): number {
  return (r.less[i]! + r.lessEq[i]! + 1) / 2;
}

/**
 * Stable argsort from ranks: order[k] is the index of the k-th smallest score;
 * elements of a tie block keep their original relative order.
 */
export function orderFromRanks(r: Ranks): Uint32Array {
  const n = r.less.length;
  const order = new Uint32Array(n);
  const filled = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const start = r.less[i]!;
    order[start + filled[start]!] = i;
    filled[start]!++;
  }
  return order;
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
 */
export function rocAuc(labels: NumericArray, scores: NumericArray): number {
  commonLength("rocAuc", labels, scores);
  const { positives, negatives } = classCounts(labels);
  if (positives === 0 || negatives === 0) return Number.NaN;
  const r = rankScores(scores);
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) rankSum += r.less[i]! + r.lessEq[i]! + 1; // 2 × mid-rank, exact integer
  }
  // U = Σ ranks(positives) − n₁(n₁+1)/2 ; rankSum holds twice the rank sum.
  const u = rankSum / 2 - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}
