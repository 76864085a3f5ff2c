/**
 * compareModels: the one call behind "is the challenger better than the
 * champion?" in release gates, the CLI and the dashboard.
 *
 * Definitions (fixed so that every report reads the same way):
 *  - difference = challenger − champion, in the metric's own units, for
 *    every metric. For accuracy/F1/AUC a positive difference is an
 *    improvement; for RMSE/MAE (lower is better) a *negative* one is.
 *  - All three intervals come from one paired percentile bootstrap (same
 *    resamples for both models), seeded so the report is reproducible.
 *  - verdict, with improvement = difference for higher-is-better metrics and
 *    −difference for lower-is-better ones, and its CI [lo, hi] accordingly:
 *      "better"  when lo > 0           (CI entirely on the improving side);
 *      "worse"   when hi < −margin     (CI entirely beyond the tolerated loss);
 *      otherwise "no detectable difference".
 *    `margin` (≥ 0, metric units, default 0) is a non-inferiority margin: a
 *    challenger that may be worse, but by no more than `margin`, is not
 *    called "worse". With margin 0 the rule is the plain two-sided one. The
 *    margin never makes "better" easier to reach.
 *  - mcnemar is reported for accuracy only; delong for auc only.
 */
import { knownDirection } from "../domain/requirements/metric-registry";
import { rankScores, type Ranking } from "./auc";
import { delongTest } from "./delong";
import { logLossTerm } from "./metrics";
import { mcnemar } from "./paired";
import {
  pairedBootstrapAccuracy,
  pairedBootstrapAuc,
  pairedBootstrapConfusion,
  pairedBootstrapMean,
  type PairedBootstrapResult,
} from "./paired-bootstrap";
import { commonLength, type NumericArray } from "./types";

export const COMPARE_METRICS = [
  "accuracy",
  "precision",
  "recall",
  "f1",
  "auc",
  "log_loss",
  "brier",
  "rmse",
  "mae",
] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];
export type MetricDirection = "higher" | "lower";
export type Verdict = "better" | "worse" | "no detectable difference";

/** The metrics computed from scores (probabilities of class 1), not from predicted classes. */
export const SCORE_METRICS: readonly CompareMetric[] = ["auc", "log_loss", "brier"];

export function isCompareMetric(value: string): value is CompareMetric {
  return (COMPARE_METRICS as readonly string[]).includes(value);
}

/** Whether larger values of the metric are better ("higher") or worse ("lower"). */
export function metricDirection(metric: CompareMetric): MetricDirection {
  // One registry of directions for the whole code base; every engine metric is in it.
  return knownDirection(metric) ?? "higher";
}

export interface CompareInput {
  metric: CompareMetric;
  /** 0/1 labels for the classification metrics; real targets for rmse/mae. */
  labels: NumericArray;
  /**
   * Predicted classes (accuracy, precision, recall, f1), probabilities of class 1 (auc, log_loss, brier)
   * or predicted values (rmse, mae): see SCORE_METRICS.
   */
  champion: NumericArray;
  challenger: NumericArray;
  seed?: number;
  resamples?: number;
  confidence?: number;
  /** Non-inferiority margin in metric units (default 0); see the module comment. */
  margin?: number;
}

export interface ValueWithCi {
  value: number;
  ci: [number, number];
}

export interface CompareResult {
  metric: CompareMetric;
  n: number;
  champion: ValueWithCi;
  challenger: ValueWithCi;
  difference: ValueWithCi;
  mcnemar?: { b: number; c: number; pValue: number; chiSquare: number; chiSquarePValue: number };
  delong?: { z: number; pValue: number };
  verdict: Verdict;
}

/** Verdict from the CI of (challenger − champion); see the module comment. */
export function verdictFor(metric: CompareMetric, ci: readonly [number, number], margin = 0): Verdict {
  if (!(margin >= 0)) throw new RangeError(`margin must be ≥ 0, got ${margin}`);
  const [lo, hi] = metricDirection(metric) === "higher" ? [ci[0], ci[1]] : [-ci[1], -ci[0]];
  if (Number.isNaN(lo) || Number.isNaN(hi)) return "no detectable difference";
  if (lo > 0) return "better";
  if (hi < -margin) return "worse";
  return "no detectable difference";
}

function perRow(truth: NumericArray, pred: NumericArray, f: (e: number) => number): Float64Array {
  const out = new Float64Array(truth.length);
  for (let i = 0; i < truth.length; i++) out[i] = f(pred[i]! - truth[i]!);
  return out;
}

function perRowOf(labels: NumericArray, probs: NumericArray, f: (y: number, p: number) => number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = f(labels[i]!, probs[i]!);
  return out;
}

function bootstrapFor(input: CompareInput, rankings: readonly [Ranking, Ranking] | undefined): PairedBootstrapResult {
  const { metric, labels, champion, challenger } = input;
  const opts = { seed: input.seed, resamples: input.resamples, confidence: input.confidence };
  switch (metric) {
    case "accuracy":
      return pairedBootstrapAccuracy(labels, champion, challenger, opts);
    case "precision":
    case "recall":
    case "f1":
      return pairedBootstrapConfusion(metric, labels, champion, challenger, opts);
    case "auc":
      return pairedBootstrapAuc(labels, champion, challenger, opts, rankings);
    case "rmse":
      // RMSE = √(mean squared error): bootstrap the mean of squares, then take √.
      return pairedBootstrapMean(
        perRow(labels, champion, (e) => e * e),
        perRow(labels, challenger, (e) => e * e),
        opts,
        Math.sqrt,
      );
    case "mae":
      return pairedBootstrapMean(perRow(labels, champion, Math.abs), perRow(labels, challenger, Math.abs), opts);
    // Means of per-row losses: past 100,000 rows replicateMeans resamples sorted blocks (blocked-bootstrap.ts).
    case "log_loss":
      return pairedBootstrapMean(
        perRowOf(labels, champion, logLossTerm),
        perRowOf(labels, challenger, logLossTerm),
        opts,
      );
    case "brier":
      return pairedBootstrapMean(
        perRow(labels, champion, (e) => e * e),
        perRow(labels, challenger, (e) => e * e),
        opts,
      );
  }
}

function mcnemarSummary(input: CompareInput): NonNullable<CompareResult["mcnemar"]> {
  const { b, c, pValue, chiSquare, chiSquarePValue } = mcnemar(input.labels, input.champion, input.challenger);
  return { b, c, pValue, chiSquare, chiSquarePValue };
}

function delongSummary(
  input: CompareInput,
  rankings: readonly [Ranking, Ranking] | undefined,
): NonNullable<CompareResult["delong"]> {
  const { z, pValue } = delongTest(input.labels, input.champion, input.challenger, rankings);
  return { z, pValue };
}

const withCi = (iv: { estimate: number; lo: number; hi: number }): ValueWithCi => ({
  value: iv.estimate,
  ci: [iv.lo, iv.hi],
});

/** Compare a challenger with the champion on the same examples. */
export function compareModels(input: CompareInput): CompareResult {
  if (!isCompareMetric(input.metric))
    throw new RangeError(`unknown metric "${String(input.metric)}"; expected one of ${COMPARE_METRICS.join(", ")}`);
  const n = commonLength("compareModels", input.labels, input.champion, input.challenger);
  // AUC, its bootstrap and DeLong all start from the same two sorts: do them once.
  const rankings =
    input.metric === "auc" ? ([rankScores(input.champion), rankScores(input.challenger)] as const) : undefined;
  const boot = bootstrapFor(input, rankings);
  const difference = withCi(boot.difference);
  // Built in one literal so JSON output keeps the documented key order.
  return {
    metric: input.metric,
    n,
    champion: withCi(boot.champion),
    challenger: withCi(boot.challenger),
    difference,
    ...(input.metric === "accuracy" ? { mcnemar: mcnemarSummary(input) } : {}),
    ...(input.metric === "auc" ? { delong: delongSummary(input, rankings) } : {}),
    verdict: verdictFor(input.metric, difference.ci, input.margin ?? 0),
  };
}
