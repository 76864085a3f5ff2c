import { knownMetric } from "./metric-registry";

/**
 * What each metric of the registry measures, in a sentence a manager can act on. Shown as the metric's
 * tooltip wherever a metric is named. Plain data: client components import it.
 */
const DEFINITIONS: Readonly<Record<string, string>> = {
  accuracy: "Share of examples whose predicted class is the true class.",
  balanced_accuracy: "Mean of the recall of each class: accuracy that a majority class cannot inflate.",
  auc: "Area under the ROC curve: the chance that a random positive example scores above a random negative one (0.5 is guessing).",
  roc_auc:
    "Area under the ROC curve: the chance that a random positive example scores above a random negative one (0.5 is guessing).",
  pr_auc: "Area under the precision–recall curve: precision averaged over every recall level.",
  average_precision:
    "Precision averaged over the recall levels of the ranked examples (area under the precision–recall curve).",
  precision: "Of the examples predicted positive, the share that are positive.",
  recall: "Of the positive examples, the share predicted positive (sensitivity).",
  specificity: "Of the negative examples, the share predicted negative.",
  f1: "Harmonic mean of precision and recall.",
  r2: "Share of the label's variance the predictions explain (1 is perfect, 0 is predicting the mean).",
  log_loss:
    "Mean negative log-likelihood of the true class under the predicted probabilities; punishes confident mistakes.",
  brier: "Mean squared difference between the predicted probability and the outcome (0 or 1).",
  rmse: "Root mean squared error: typical size of a prediction's error, in the label's unit, weighting large errors more.",
  mse: "Mean squared error of the predictions, in the label's unit squared.",
  mae: "Mean absolute error: average size of a prediction's error, in the label's unit.",
  mape: "Mean absolute percentage error: average error relative to the true value.",
  latency_p50_ms: "Median time to answer one prediction request, in milliseconds.",
  latency_p95_ms: "Time within which 95 % of prediction requests are answered, in milliseconds.",
  latency_p99_ms: "Time within which 99 % of prediction requests are answered, in milliseconds.",
  size_bytes: "Size of the model artifact, in bytes.",
  model_size_bytes: "Size of the model artifact, in bytes.",
  throughput_rps: "Prediction requests served per second.",
};

/** The metric's definition, a family's description for a registered family (latency_*), or null for a custom metric. */
export function metricDefinition(metric: string): string | null {
  const own = DEFINITIONS[metric];
  if (own) return own;
  const known = knownMetric(metric);
  if (!known) return null;
  const better = known.direction === "higher" ? "higher is better" : "lower is better";
  if (metric.startsWith("latency_")) return `A response-time measurement of the serving system (${better}).`;
  if (/^(model_)?size_/.test(metric)) return `A size measurement of the model artifact (${better}).`;
  if (metric.endsWith("_error")) return `An error measure: 0 is perfect (${better}).`;
  return null;
}
