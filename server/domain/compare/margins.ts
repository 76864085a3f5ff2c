import {
  COMPARE_METRICS,
  DEFAULT_CONFIDENCE,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  isCompareMetric,
  type CompareMetric,
} from "@/server/stats";

/**
 * Non-inferiority margins: how much worse (in the metric's own units) a challenger may be before it is
 * called "worse". A model agrees its own in its requirement set (requirement_sets.comparison_margins);
 * these are the defaults for metrics it does not name. The comparison page also takes what-if overrides.
 *
 * Rates get half a point of slack so a retrain that is statistically indistinguishable is not flagged
 * for noise; error metrics in the model's own units have no sensible universal default, hence 0.
 */
export const DEFAULT_MARGINS: Readonly<Record<string, number>> = {
  accuracy: 0.005,
  auc: 0.005,
  f1: 0.005,
  precision: 0.005,
  recall: 0.005,
};

export function marginFor(metric: string, overrides: Record<string, number> = {}): number {
  return overrides[metric] ?? DEFAULT_MARGINS[metric] ?? 0;
}

/** The margins in force for the metrics the engine can test, for showing (and reproducing) on the page. */
export function effectiveMargins(overrides: Record<string, number> = {}): Record<CompareMetric, number> {
  return Object.fromEntries(COMPARE_METRICS.map((m) => [m, marginFor(m, overrides)])) as Record<CompareMetric, number>;
}

/**
 * Stored report metric names → the engine's names. Reports store ROC AUC as "auc" already; the alias
 * is for pipelines that post "roc_auc".
 */
const ALIASES: Record<string, CompareMetric> = { roc_auc: "auc" };

export function engineMetric(stored: string): CompareMetric | null {
  return isCompareMetric(stored) ? stored : (ALIASES[stored] ?? null);
}

/**
 * One seed, resample count and level for the page, the gate and `npx ratchet compare` (whose defaults
 * are the same constants), so the three give the same numbers on the same examples.
 */
export const COMPARE_SETTINGS = {
  seed: DEFAULT_SEED,
  resamples: DEFAULT_RESAMPLES,
  confidence: DEFAULT_CONFIDENCE,
} as const;
