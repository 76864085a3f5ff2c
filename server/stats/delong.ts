/**
 * DeLong test for two correlated ROC AUCs measured on the same examples
 * (DeLong, DeLong & Clarke-Pearson 1988), in the fast O(n log n) form of
 * Sun & Xu (2014): one sort per model, then structural components
 *
 *   V10_i = (negatives below positive i + ½ ties) / n₀   for each positive i
 *   V01_j = (positives above negative j + ½ ties) / n₁   for each negative j
 *
 * AUC_m = mean(V10_m); Cov(AUC) = S10 / n₁ + S01 / n₀ with S the sample
 * covariance matrices (ddof = 1) of the components across the two models.
 * z = (AUC_challenger − AUC_champion) / √Var(difference), two-sided normal p.
 */
import { classCounts, rankScores, type Ranking } from "./auc";
import { normalTwoSidedP } from "./distributions";
import { commonLength, type NumericArray } from "./types";

export interface DeLongResult {
  aucChampion: number;
  aucChallenger: number;
  /** aucChallenger − aucChampion. */
  difference: number;
  /** Estimated covariance matrix of (champion, challenger) AUCs. */
  covariance: [[number, number], [number, number]];
  /** Variance of the difference: Var₀₀ + Var₁₁ − 2·Cov₀₁. */
  variance: number;
  /** Signed: positive when the challenger's AUC is higher. */
  z: number;
  pValue: number;
}

/** Structural components of one model: V10 per positive, V01 per negative (in row order). */
function components(labels: NumericArray, ranking: Ranking, positives: number, negatives: number) {
  const { order, lessEq } = ranking;
  const n = order.length;
  // Ordinal of each row within its class, so components line up across models.
  const v10 = new Float64Array(positives);
  const v01 = new Float64Array(negatives);
  const ordinal = new Uint32Array(n);
  let p = 0,
    q = 0;
  for (let i = 0; i < n; i++) ordinal[i] = labels[i] === 1 ? p++ : q++;
  let posBelow = 0,
    negBelow = 0;
  let start = 0;
  while (start < n) {
    const end = lessEq[order[start]!]!; // tie block is [start, end)
    let posIn = 0,
      negIn = 0;
    for (let k = start; k < end; k++) {
      if (labels[order[k]!] === 1) posIn++;
      else negIn++;
    }
    const posAbove = positives - posBelow - posIn;
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      if (labels[i] === 1) v10[ordinal[i]!] = (negBelow + 0.5 * negIn) / negatives;
      else v01[ordinal[i]!] = (posAbove + 0.5 * posIn) / positives;
    }
    posBelow += posIn;
    negBelow += negIn;
    start = end;
  }
  return { v10, v01 };
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample covariance (ddof = 1), two-pass for accuracy. */
function covariance(x: Float64Array, y: Float64Array, mx: number, my: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - mx) * (y[i]! - my);
  return s / (x.length - 1);
}

/**
 * Paired DeLong test. Needs at least two positives and two negatives
 * (otherwise the sample covariances are undefined and z, p are NaN).
 * When the difference has zero variance (e.g. identical rankings), z is 0
 * with p = 1 if the AUCs are equal, else ±Infinity with p = 0.
 * `rankings` (of champion, challenger) may be passed to reuse earlier sorts.
 */
export function delongTest(
  labels: NumericArray,
  champion: NumericArray,
  challenger: NumericArray,
  rankings?: readonly [Ranking, Ranking],
): DeLongResult {
  commonLength("delongTest", labels, champion, challenger);
  const { positives, negatives } = classCounts(labels);
  if (positives === 0 || negatives === 0) throw new RangeError("delongTest: both classes must be present");
  const a = components(labels, rankings?.[0] ?? rankScores(champion), positives, negatives);
  const b = components(labels, rankings?.[1] ?? rankScores(challenger), positives, negatives);
  const aucA = mean(a.v10),
    aucB = mean(b.v10);
  const a01 = mean(a.v01),
    b01 = mean(b.v01);
  const s10 = [
    covariance(a.v10, a.v10, aucA, aucA),
    covariance(a.v10, b.v10, aucA, aucB),
    covariance(b.v10, b.v10, aucB, aucB),
  ];
  const s01 = [
    covariance(a.v01, a.v01, a01, a01),
    covariance(a.v01, b.v01, a01, b01),
    covariance(b.v01, b.v01, b01, b01),
  ];
  const c = s10.map((v, k) => v / positives + s01[k]! / negatives) as [number, number, number];
  const variance = c[0] + c[2] - 2 * c[1];
  const difference = aucB - aucA;
  let z: number;
  if (Number.isNaN(variance)) z = Number.NaN;
  else if (variance <= 0)
    z = difference === 0 ? 0 : difference > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  else z = difference / Math.sqrt(variance);
  return {
    aucChampion: aucA,
    aucChallenger: aucB,
    difference,
    covariance: [
      [c[0], c[1]],
      [c[1], c[2]],
    ],
    variance,
    z,
    pValue: normalTwoSidedP(z),
  };
}
