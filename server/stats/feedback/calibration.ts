/**
 * Calibration of a model's confidence against reviewed outcomes: a reliability diagram and the expected
 * calibration error (Naeini, Cooper & Hauskrecht, 2015; Guo et al., 2017).
 *
 * Confidences in [0, 1] are put in B equal-width bins with sklearn's `calibration_curve(strategy="uniform")`
 * rule: edges e_b = b/B, bin = number of inner edges strictly below the confidence (numpy `searchsorted`,
 * side "left"), so bins are [0, 1/B], (1/B, 2/B], …, ((B−1)/B, 1]. Per bin: accuracy acc_b (share correct)
 * and mean confidence conf_b, and
 *
 *     ECE = Σ_b (n_b / N) · |acc_b − conf_b|
 *
 * Optional weights (inverse sampling probabilities) replace counts by sums of weights throughout; use
 * only items from the random share of the queue, since low-confidence over-sampling distorts the picture.
 */

export interface CalibrationItem {
  /** The model's confidence in its prediction (top-class probability), in [0, 1]. */
  confidence: number;
  correct: boolean;
  /** Default 1. */
  weight?: number;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Items in the bin. */
  count: number;
  /** Sum of weights in the bin (= count without weights). */
  weight: number;
  /** Null for an empty bin: nothing to show, not zero. */
  accuracy: number | null;
  meanConfidence: number | null;
}

export interface Calibration {
  bins: ReliabilityBin[];
  /** Null when there are no items. */
  expectedCalibrationError: number | null;
  /** Largest |acc_b − conf_b| over non-empty bins (maximum calibration error). */
  maximumCalibrationError: number | null;
  n: number;
}

export function calibration(items: Iterable<CalibrationItem>, binCount = 10): Calibration {
  if (!(Number.isInteger(binCount) && binCount >= 1 && binCount <= 1000)) {
    throw new RangeError(`binCount must be an integer in [1, 1000], got ${binCount}`);
  }
  // numpy.linspace(0, 1, B + 1): i·step with the last edge set to exactly 1.
  const step = 1 / binCount;
  const edges = Array.from({ length: binCount + 1 }, (_, i) => (i === binCount ? 1 : i * step));
  const weight = new Float64Array(binCount);
  const hits = new Float64Array(binCount);
  const conf = new Float64Array(binCount);
  const count = new Int32Array(binCount);
  let n = 0;
  for (const item of items) {
    const c = item.confidence;
    const w = item.weight ?? 1;
    if (!(c >= 0 && c <= 1)) throw new RangeError(`item ${n}: confidence must be in [0, 1], got ${c}`);
    if (!(w > 0 && Number.isFinite(w))) throw new RangeError(`item ${n}: weight must be positive, got ${w}`);
    let b = 0;
    while (b < binCount - 1 && edges[b + 1]! < c) b++;
    weight[b]! += w;
    hits[b]! += item.correct ? w : 0;
    conf[b]! += w * c;
    count[b]!++;
    n++;
  }
  const total = weight.reduce((s, w) => s + w, 0);
  let ece = 0;
  let mce = 0;
  const bins: ReliabilityBin[] = edges.slice(0, -1).map((lower, b) => {
    if (count[b] === 0) {
      return { lower, upper: edges[b + 1]!, count: 0, weight: 0, accuracy: null, meanConfidence: null };
    }
    const accuracy = hits[b]! / weight[b]!;
    const meanConfidence = conf[b]! / weight[b]!;
    const gap = Math.abs(accuracy - meanConfidence);
    ece += (weight[b]! / total) * gap;
    mce = Math.max(mce, gap);
    return { lower, upper: edges[b + 1]!, count: count[b]!, weight: weight[b]!, accuracy, meanConfidence };
  });
  return {
    bins,
    expectedCalibrationError: n === 0 ? null : ece,
    maximumCalibrationError: n === 0 ? null : mce,
    n,
  };
}
