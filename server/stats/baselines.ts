/**
 * Reference points a model must beat before its metrics mean anything.
 *
 * A model with 95% accuracy on data that is 95% negative has learned
 * nothing; showing the zero-rule and random baselines next to the model
 * makes that visible in the dashboard.
 */
import { commonLength, type NumericArray } from "./types";

export interface ZeroRuleClassification {
  /** Most frequent label (smallest value wins ties, like sklearn's "most_frequent"). */
  majorityClass: number;
  /** Accuracy of always predicting the majority class = its share. */
  accuracy: number;
  /** Class shares, keyed by label value (sorted ascending). */
  shares: Map<number, number>;
  /** For 0/1 labels: Brier score of always predicting the base rate p, i.e. p(1 − p). */
  brier?: number;
}

export interface ZeroRuleRegression {
  /** The constant prediction: the mean of the targets. */
  mean: number;
  /** RMSE of predicting the mean = population standard deviation. */
  rmse: number;
  /** MAE of predicting the mean. */
  mae: number;
  /** R² of a constant mean prediction is 0 by definition. */
  r2: number;
}

export interface RandomClassifierBaseline {
  /**
   * Expected accuracy of guessing class k with probability p_k (its share),
   * independently of the input: Σ p_k².
   */
  accuracy: number;
  /** A score independent of the label ranks positives above negatives half the time. */
  auc: number;
}

function classShares(labels: NumericArray): Map<number, number> {
  const n = commonLength("classShares", labels);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    counts.set(y, (counts.get(y) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  return new Map(keys.map((k) => [k, (counts.get(k) ?? 0) / n]));
}

/** Majority-class ("zero rule") classifier. */
export function zeroRuleClassifier(labels: NumericArray): ZeroRuleClassification {
  const shares = classShares(labels);
  let majorityClass = Number.NaN;
  let best = -1;
  for (const [k, share] of shares) {
    if (share > best) {
      best = share;
      majorityClass = k;
    }
  }
  const result: ZeroRuleClassification = { majorityClass, accuracy: best, shares };
  const isBinary = [...shares.keys()].every((k) => k === 0 || k === 1);
  if (isBinary) {
    const p = shares.get(1) ?? 0;
    result.brier = p * (1 - p);
  }
  return result;
}

/** Mean-predicting ("zero rule") regressor. */
export function zeroRuleRegressor(truth: NumericArray): ZeroRuleRegression {
  const n = commonLength("zeroRuleRegressor", truth);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i]!;
  mean /= n;
  let sq = 0,
    abs = 0;
  for (let i = 0; i < n; i++) {
    const d = truth[i]! - mean;
    sq += d * d;
    abs += Math.abs(d);
  }
  return { mean, rmse: Math.sqrt(sq / n), mae: abs / n, r2: 0 };
}

/** Stratified random guessing baseline. */
export function randomClassifierBaseline(labels: NumericArray): RandomClassifierBaseline {
  let accuracy = 0;
  for (const share of classShares(labels).values()) accuracy += share * share;
  return { accuracy, auc: 0.5 };
}
