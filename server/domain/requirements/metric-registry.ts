/**
 * The one registry of metrics Ratchet knows: which direction is better, and which are operational
 * (measured by the serving system, so a posted number is real evidence). Requirements, the gate, the
 * comparison page and the statistics engine all take directions from here. A metric not listed is custom:
 * its direction is declared once per model (table metric_directions).
 */
export type Direction = "higher" | "lower";

export interface KnownMetric {
  direction: Direction;
  /** Measured in operation (latency, size), not computed from outcomes: may be posted as is. */
  operational?: boolean;
}

export const KNOWN_METRICS: Readonly<Record<string, KnownMetric>> = {
  accuracy: { direction: "higher" },
  balanced_accuracy: { direction: "higher" },
  auc: { direction: "higher" },
  roc_auc: { direction: "higher" },
  pr_auc: { direction: "higher" },
  average_precision: { direction: "higher" },
  precision: { direction: "higher" },
  recall: { direction: "higher" },
  specificity: { direction: "higher" },
  f1: { direction: "higher" },
  r2: { direction: "higher" },
  log_loss: { direction: "lower" },
  brier: { direction: "lower" },
  rmse: { direction: "lower" },
  mse: { direction: "lower" },
  mae: { direction: "lower" },
  mape: { direction: "lower" },
  latency_p50_ms: { direction: "lower", operational: true },
  latency_p95_ms: { direction: "lower", operational: true },
  latency_p99_ms: { direction: "lower", operational: true },
  size_bytes: { direction: "lower", operational: true },
  model_size_bytes: { direction: "lower", operational: true },
  throughput_rps: { direction: "higher", operational: true },
};

/** Families by name, for metrics not listed one by one (e.g. latency_p90_ms, calibration_error). */
const PATTERNS: [RegExp, KnownMetric][] = [
  [/^latency_.*$/, { direction: "lower", operational: true }],
  [/^(model_)?size_.*$/, { direction: "lower", operational: true }],
  [/^.*_error$/, { direction: "lower" }],
];

export function knownMetric(metric: string): KnownMetric | null {
  return KNOWN_METRICS[metric] ?? PATTERNS.find(([re]) => re.test(metric))?.[1] ?? null;
}

/** The registry's direction, or null for a custom metric. */
export function knownDirection(metric: string): Direction | null {
  return knownMetric(metric)?.direction ?? null;
}

export function isOperational(metric: string): boolean {
  return knownMetric(metric)?.operational === true;
}

/** Metrics whose evidence must come with enough examples of each class (rank metrics). */
export function needsBothClasses(metric: string): boolean {
  return metric === "auc" || metric === "roc_auc" || metric === "pr_auc" || metric === "average_precision";
}
