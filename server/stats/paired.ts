/**
 * Paired comparison of two models on the same examples.
 *
 * - Paired bootstrap (any metric): see paired-bootstrap.ts.
 * - McNemar (accuracy): only discordant rows carry information.
 * - DeLong (ROC AUC): see delong.ts.
 */
import { binomialCdf, chiSquareSf } from "./distributions";
import { commonLength, type NumericArray } from "./types";

export {
  pairedBootstrap,
  pairedBootstrapMetric,
  pairedBootstrapMean,
  pairedBootstrapAccuracy,
  pairedBootstrapF1,
  pairedBootstrapConfusion,
  type ConfusionMetric,
  pairedBootstrapAuc,
  pairedIntervals,
  type PairedBootstrapResult,
} from "./paired-bootstrap";
export { delongTest, type DeLongResult } from "./delong";

export interface McNemarResult {
  /** Rows the champion got right and the challenger got wrong. */
  b: number;
  /** Rows the champion got wrong and the challenger got right. */
  c: number;
  /** Exact two-sided binomial p: min(1, 2·Binom.cdf(min(b, c); b + c, ½)) — statsmodels' default. */
  pValue: number;
  /** Continuity-corrected statistic (|b − c| − 1)² / (b + c). */
  chiSquare: number;
  /** Upper tail of χ²(1) at `chiSquare`. */
  chiSquarePValue: number;
}

/**
 * McNemar's test from the discordant counts. With b + c = 0 there is no
 * evidence either way: p = 1 and the statistic is reported as 0 (statsmodels
 * returns NaN for the chi-square form; NaN is not representable in JSON).
 */
export function mcnemarFromCounts(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`mcnemar: counts must be non-negative integers, got b=${b}, c=${c}`);
  }
  const n = b + c;
  if (n === 0) return { b, c, pValue: 1, chiSquare: 0, chiSquarePValue: 1 };
  const pValue = Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
  const d = Math.abs(b - c) - 1;
  const chiSquare = (d * d) / n;
  return { b, c, pValue, chiSquare, chiSquarePValue: chiSquareSf(chiSquare, 1) };
}

/** McNemar's test of two classifiers' predicted classes against the labels. */
export function mcnemar(labels: NumericArray, champion: NumericArray, challenger: NumericArray): McNemarResult {
  const n = commonLength("mcnemar", labels, champion, challenger);
  let b = 0,
    c = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const aRight = champion[i] === y;
    const bRight = challenger[i] === y;
    if (aRight && !bRight) b++;
    else if (!aRight && bRight) c++;
  }
  return mcnemarFromCounts(b, c);
}
