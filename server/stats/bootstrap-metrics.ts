/**
 * One-model bootstrap intervals for the standard metrics, each routed to
 * the fastest exact path (see bootstrap.ts):
 *  - accuracy, F1 → resampled confusion-cell counts (O(√n) per resample);
 *  - MAE, RMSE, Brier, log loss → weighted means of per-row losses;
 *  - ROC AUC → bootstrapAuc (auc-bootstrap.ts), re-exported here.
 * Any other metric: bootstrapMetric / bootstrapIndices.
 */
import {
  intervalsFrom,
  replicateCounts,
  resolveOptions,
  bootstrapMean,
  type BootstrapInterval,
  type BootstrapOptions,
} from "./bootstrap";
import { accuracy, f1, f1FromCounts, LOG_LOSS_EPS, logLossTerm } from "./metrics";
import { commonLength, type NumericArray } from "./types";

export { bootstrapAuc } from "./auc-bootstrap";

function perRow(a: NumericArray, b: NumericArray, name: string, f: (x: number, y: number) => number): Float64Array {
  const n = commonLength(name, a, b);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
  return out;
}

/** Accuracy: cells (right, wrong) → Binomial(n, observed accuracy) per resample. */
export function bootstrapAccuracy(
  labels: NumericArray,
  predicted: NumericArray,
  options?: BootstrapOptions,
): BootstrapInterval {
  const n = commonLength("bootstrapAccuracy", labels, predicted);
  const opts = resolveOptions(options);
  let right = 0;
  for (let i = 0; i < n; i++) if (labels[i] === predicted[i]) right++;
  const reps = replicateCounts(
    [right, n - right],
    1,
    (c, total, out) => {
      out[0] = c[0]! / total;
    },
    opts,
  );
  return intervalsFrom([accuracy(labels, predicted)], reps, opts)[0]!;
}

/** F1 of 0/1 predictions: cells (tp, fp, fn, tn) → Multinomial per resample. */
export function bootstrapF1(
  labels: NumericArray,
  predicted: NumericArray,
  options?: BootstrapOptions,
): BootstrapInterval {
  const n = commonLength("bootstrapF1", labels, predicted);
  const opts = resolveOptions(options);
  const cells = [0, 0, 0, 0]; // tp, fp, fn, tn
  for (let i = 0; i < n; i++) {
    const y = labels[i],
      p = predicted[i];
    if ((y !== 0 && y !== 1) || (p !== 0 && p !== 1))
      throw new RangeError(`bootstrapF1: row ${i} is not 0/1 (label ${y}, prediction ${p})`);
    cells[y === 1 ? (p === 1 ? 0 : 2) : p === 1 ? 1 : 3]!++;
  }
  const reps = replicateCounts(
    cells,
    1,
    (c, _total, out) => {
      out[0] = f1FromCounts(c[0]!, c[1]!, c[2]!);
    },
    opts,
  );
  return intervalsFrom([f1(labels, predicted)], reps, opts)[0]!;
}

/** Mean absolute error. */
export function bootstrapMae(
  truth: NumericArray,
  predicted: NumericArray,
  options?: BootstrapOptions,
): BootstrapInterval {
  return bootstrapMean(
    perRow(truth, predicted, "bootstrapMae", (y, p) => Math.abs(p - y)),
    options,
  );
}

/** RMSE = √(mean squared error): bootstrap the mean of squares, then take √. */
export function bootstrapRmse(
  truth: NumericArray,
  predicted: NumericArray,
  options?: BootstrapOptions,
): BootstrapInterval {
  return bootstrapMean(
    perRow(truth, predicted, "bootstrapRmse", (y, p) => (p - y) * (p - y)),
    options,
    Math.sqrt,
  );
}

/** Brier score of probabilities for label 1. */
export function bootstrapBrier(
  labels: NumericArray,
  probs: NumericArray,
  options?: BootstrapOptions,
): BootstrapInterval {
  return bootstrapMean(
    perRow(labels, probs, "bootstrapBrier", (y, p) => (p - y) * (p - y)),
    options,
  );
}

/** Binary log loss (probabilities clipped to [eps, 1 − eps]). */
export function bootstrapLogLoss(
  labels: NumericArray,
  probs: NumericArray,
  options?: BootstrapOptions,
  eps = LOG_LOSS_EPS,
): BootstrapInterval {
  return bootstrapMean(
    perRow(labels, probs, "bootstrapLogLoss", (y, p) => logLossTerm(y, p, eps)),
    options,
  );
}
