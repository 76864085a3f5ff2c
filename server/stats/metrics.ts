/**
 * Point metrics for classification and regression, following sklearn's
 * definitions so numbers match what data scientists see in notebooks.
 *
 * Conventions (all documented where sklearn has a choice):
 *  - binary metrics treat label 1 as the positive class;
 *  - precision / recall / F1 with a zero denominator return 0, which is
 *    sklearn's `zero_division="warn"` result (minus the warning);
 *  - log loss clips probabilities to [eps, 1 − eps] with eps = 1e-15;
 *  - R² with constant targets follows `force_finite=True`: 1 if the
 *    predictions are perfect, else 0.
 */
import { commonLength, type NumericArray } from "./types";

export { rocAuc } from "./auc";
export {
  zeroRuleClassifier,
  zeroRuleRegressor,
  randomClassifierBaseline,
  type ZeroRuleClassification,
  type ZeroRuleRegression,
  type RandomClassifierBaseline,
} from "./baselines";

/** Binary confusion counts; `matrix` uses sklearn's layout [[tn, fp], [fn, tp]]. */
export interface ConfusionMatrix {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
  matrix: [[number, number], [number, number]];
}

/** Confusion matrix of 0/1 labels against 0/1 predicted classes. */
export function confusionMatrix(labels: NumericArray, predicted: NumericArray): ConfusionMatrix {
  const n = commonLength("confusionMatrix", labels, predicted);
  let tn = 0,
    fp = 0,
    fn = 0,
    tp = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!,
      p = predicted[i]!;
    if ((y !== 0 && y !== 1) || (p !== 0 && p !== 1)) {
      throw new RangeError(`confusionMatrix: index ${i} has label ${y}, prediction ${p}; expected 0 or 1`);
    }
    if (y === 1) {
      if (p === 1) tp++;
      else fn++;
    } else if (p === 1) fp++;
    else tn++;
  }
  return {
    tn,
    fp,
    fn,
    tp,
    matrix: [
      [tn, fp],
      [fn, tp],
    ],
  };
}

/** Share of rows whose predicted class equals the label (any class values). */
export function accuracy(labels: NumericArray, predicted: NumericArray): number {
  const n = commonLength("accuracy", labels, predicted);
  let right = 0;
  for (let i = 0; i < n; i++) if (labels[i] === predicted[i]) right++;
  return right / n;
}

function safeRatio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/** tp / (tp + fp); 0 when nothing was predicted positive. */
export function precision(labels: NumericArray, predicted: NumericArray): number {
  const { tp, fp } = confusionMatrix(labels, predicted);
  return safeRatio(tp, tp + fp);
}

/** tp / (tp + fn); 0 when there are no positive labels. */
export function recall(labels: NumericArray, predicted: NumericArray): number {
  const { tp, fn } = confusionMatrix(labels, predicted);
  return safeRatio(tp, tp + fn);
}

/** F1 from confusion counts: 2tp / (2tp + fp + fn), 0 when undefined. */
export function f1FromCounts(tp: number, fp: number, fn: number): number {
  return safeRatio(2 * tp, 2 * tp + fp + fn);
}

/** Harmonic mean of precision and recall for the positive class. */
export function f1(labels: NumericArray, predicted: NumericArray): number {
  const { tp, fp, fn } = confusionMatrix(labels, predicted);
  return f1FromCounts(tp, fp, fn);
}

/** sklearn's historical clipping constant for log loss. */
export const LOG_LOSS_EPS = 1e-15;

/** Per-row binary cross-entropy with clipping; mean of this is log loss. */
export function logLossTerm(y: number, p: number, eps: number = LOG_LOSS_EPS): number {
  const c = p < eps ? eps : p > 1 - eps ? 1 - eps : p;
  return y === 1 ? -Math.log(c) : y === 0 ? -Math.log1p(-c) : -(y * Math.log(c) + (1 - y) * Math.log1p(-c));
}

/** Mean binary log loss of probabilities for label 1. */
export function logLoss(labels: NumericArray, probs: NumericArray, eps: number = LOG_LOSS_EPS): number {
  const n = commonLength("logLoss", labels, probs);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += logLossTerm(labels[i]!, probs[i]!, eps);
  return sum / n;
}

/** Brier score: mean squared difference between probability and 0/1 label. */
export function brierScore(labels: NumericArray, probs: NumericArray): number {
  const n = commonLength("brierScore", labels, probs);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = probs[i]! - labels[i]!;
    sum += d * d;
  }
  return sum / n;
}

/** Mean of squared errors (the mean-decomposable part of RMSE). */
export function meanSquaredError(truth: NumericArray, predicted: NumericArray): number {
  const n = commonLength("meanSquaredError", truth, predicted);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = predicted[i]! - truth[i]!;
    sum += d * d;
  }
  return sum / n;
}

/** Root mean squared error. */
export function rmse(truth: NumericArray, predicted: NumericArray): number {
  return Math.sqrt(meanSquaredError(truth, predicted));
}

/** Mean absolute error. */
export function mae(truth: NumericArray, predicted: NumericArray): number {
  const n = commonLength("mae", truth, predicted);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(predicted[i]! - truth[i]!);
  return sum / n;
}

/** Coefficient of determination 1 − SS_res / SS_tot (sklearn `r2_score`). */
export function r2(truth: NumericArray, predicted: NumericArray): number {
  const n = commonLength("r2", truth, predicted);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i]!;
  mean /= n;
  let ssRes = 0,
    ssTot = 0;
  for (let i = 0; i < n; i++) {
    const e = truth[i]! - predicted[i]!;
    const d = truth[i]! - mean;
    ssRes += e * e;
    ssTot += d * d;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
