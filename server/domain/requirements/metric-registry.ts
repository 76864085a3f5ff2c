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
  /** The values the metric can take: a requirement outside them could never be met, or never fail. */
  range?: readonly [number, number];
}

const UNIT: readonly [number, number] = [0, 1];
const NON_NEGATIVE: readonly [number, number] = [0, Number.POSITIVE_INFINITY];

export const KNOWN_METRICS: Readonly<Record<string, KnownMetric>> = {
  accuracy: { direction: "higher", range: UNIT },
  balanced_accuracy: { direction: "higher", range: UNIT },
  auc: { direction: "higher", range: UNIT },
  roc_auc: { direction: "higher", range: UNIT },
  pr_auc: { direction: "higher", range: UNIT },
  average_precision: { direction: "higher", range: UNIT },
  precision: { direction: "higher", range: UNIT },
  recall: { direction: "higher", range: UNIT },
  specificity: { direction: "higher", range: UNIT },
  f1: { direction: "higher", range: UNIT },
  r2: { direction: "higher", range: [Number.NEGATIVE_INFINITY, 1] },
  log_loss: { direction: "lower", range: NON_NEGATIVE },
  brier: { direction: "lower", range: UNIT },
  rmse: { direction: "lower", range: NON_NEGATIVE },
  mse: { direction: "lower", range: NON_NEGATIVE },
  mae: { direction: "lower", range: NON_NEGATIVE },
  mape: { direction: "lower", range: NON_NEGATIVE },
  latency_p50_ms: { direction: "lower", operational: true, range: NON_NEGATIVE },
  latency_p95_ms: { direction: "lower", operational: true, range: NON_NEGATIVE },
  latency_p99_ms: { direction: "lower", operational: true, range: NON_NEGATIVE },
  size_bytes: { direction: "lower", operational: true, range: NON_NEGATIVE },
  model_size_bytes: { direction: "lower", operational: true, range: NON_NEGATIVE },
  throughput_rps: { direction: "higher", operational: true, range: NON_NEGATIVE },
};

/** Families by name, for metrics not listed one by one (e.g. latency_p90_ms, calibration_error). */
const PATTERNS: [RegExp, KnownMetric][] = [
  [/^latency_.*$/, { direction: "lower", operational: true, range: NON_NEGATIVE }],
  [/^(model_)?size_.*$/, { direction: "lower", operational: true, range: NON_NEGATIVE }],
  [/^.*_error$/, { direction: "lower", range: NON_NEGATIVE }],
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

/** Why a requirement value cannot be right for this metric ("auc is between 0 and 1"), or null. */
export function outOfRange(metric: string, value: number): string | null {
  const range = knownMetric(metric)?.range;
  if (!range || (value >= range[0] && value <= range[1])) return null;
  if (range[1] === Number.POSITIVE_INFINITY) return `${metric} cannot be negative`;
  if (range[0] === Number.NEGATIVE_INFINITY) return `${metric} is at most ${range[1]}`;
  return `${metric} is between ${range[0]} and ${range[1]}`;
}
