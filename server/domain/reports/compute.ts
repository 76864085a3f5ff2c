import type { MetricValue } from "@/db/schema/reports";
import {
  accuracy,
  brierScore,
  confusionMatrix,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  f1,
  f1FromCounts,
  logLoss,
  logLossTerm,
  mae,
  percentileInterval,
  precision,
  r2,
  randomClassifierBaseline,
  recall,
  rmse,
  rocAuc,
  zeroRuleClassifier,
  zeroRuleRegressor,
} from "@/server/stats";
import { rankScores } from "@/server/stats/auc";
import { replicateAuc } from "@/server/stats/auc-bootstrap";
import { replicateCounts, replicateMeans, resolveOptions, type ResolvedOptions } from "@/server/stats/bootstrap";
import type { ModelTask, OutcomeColumns } from "./outcomes";

/**
 * Metrics computed from a report's outcomes, with 95% percentile bootstrap intervals. The seed and the
 * number of resamples are fixed (the engine's defaults) so the same outcomes always give the same
 * report. Each metric takes the engine's fastest exact path: confusion-cell counts for accuracy,
 * precision, recall and F1; weighted means of per-row losses for log loss, Brier, RMSE, MAE and R²
 * (several columns on one set of resamples); the AUC bootstrap. Past 100,000 rows the
 * means and AUC resample sorted blocks instead of rows (server/stats/blocked-bootstrap.ts).
 */
export const REPORT_BOOTSTRAP = { seed: DEFAULT_SEED, resamples: DEFAULT_RESAMPLES, confidence: 0.95 } as const;

/** A posted value further than this from the computed one is flagged as a disagreement. */
export const DISAGREEMENT_TOLERANCE = 1e-3;

export interface Computed {
  metrics: Record<string, MetricValue>;
  confusion: { tn: number; fp: number; fn: number; tp: number } | null;
}

const computed = (value: number, replicates?: Float64Array, confidence = REPORT_BOOTSTRAP.confidence): MetricValue => {
  if (!replicates) return { value, source: "computed" };
  const { lo, hi } = percentileInterval(replicates, confidence);
  return Number.isFinite(lo) && Number.isFinite(hi)
    ? { value, ci: [lo, hi], source: "computed" }
    : { value, source: "computed" };
};

function column(n: number, f: (i: number) => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

function binary(cols: OutcomeColumns, opts: ResolvedOptions): Computed {
  const { labels: y, predictions: p, scores: s, n } = cols;
  const cm = confusionMatrix(y, p);
  const metrics: Record<string, MetricValue> = {};
  // Accuracy on (right, wrong) and F1/precision/recall on (tp, fp, fn, tn): the same cells and seed as
  // the engine's single-metric bootstraps, so the intervals are identical to theirs.
  const [acc] = replicateCounts(
    [cm.tp + cm.tn, cm.fp + cm.fn],
    1,
    (c, total, out) => {
      out[0] = c[0]! / total;
    },
    opts,
  );
  const [f1r, precisionR, recallR] = replicateCounts(
    [cm.tp, cm.fp, cm.fn, cm.tn],
    3,
    (c, _t, out) => {
      const tp = c[0]!,
        fp = c[1]!,
        fn = c[2]!;
      out[0] = f1FromCounts(tp, fp, fn);
      out[1] = tp + fp === 0 ? 0 : tp / (tp + fp);
      out[2] = tp + fn === 0 ? 0 : tp / (tp + fn);
    },
    opts,
  );
  metrics.accuracy = computed(accuracy(y, p), acc);
  metrics.precision = computed(precision(y, p), precisionR);
  metrics.recall = computed(recall(y, p), recallR);
  metrics.f1 = computed(f1(y, p), f1r);
  if (s) {
    const ranking = rankScores(s); // one sort for the estimate and the resamples
    const auc = rocAuc(y, s, ranking);
    // With one class present AUC is undefined; leaving it out is more honest than a number.
    if (Number.isFinite(auc)) metrics.auc = computed(auc, replicateAuc(y, [s], opts, [ranking])[0]);
    const [ll, brier] = replicateMeans(
      [column(n, (i) => logLossTerm(y[i]!, s[i]!)), column(n, (i) => (s[i]! - y[i]!) ** 2)],
      opts,
    );
    metrics.log_loss = computed(logLoss(y, s), ll);
    metrics.brier = computed(brierScore(y, s), brier);
  }
  return { metrics, confusion: { tn: cm.tn, fp: cm.fp, fn: cm.fn, tp: cm.tp } };
}

function multiclass(cols: OutcomeColumns, opts: ResolvedOptions): Computed {
  let right = 0;
  for (let i = 0; i < cols.n; i++) if (cols.labels[i] === cols.predictions[i]) right++;
  const value = accuracy(cols.labels, cols.predictions);
  const [acc] = replicateCounts(
    [right, cols.n - right],
    1,
    (c, total, out) => {
      out[0] = c[0]! / total;
    },
    opts,
  );
  return { metrics: { accuracy: computed(value, acc) }, confusion: null };
}

function regression(cols: OutcomeColumns, opts: ResolvedOptions): Computed {
  const { labels: y, predictions: p, n } = cols;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  // R² per resample = 1 − mean(e²) / (mean(c²) − mean(c)²) with c = y − ȳ: centring keeps the
  // variance free of cancellation when targets are large (house prices), and it is shift-invariant.
  const [sq, abs, c, c2] = replicateMeans(
    [
      column(n, (i) => (p[i]! - y[i]!) ** 2),
      column(n, (i) => Math.abs(p[i]! - y[i]!)),
      column(n, (i) => y[i]! - mean),
      column(n, (i) => (y[i]! - mean) ** 2),
    ],
    opts,
  );
  const rmseR = sq!.map(Math.sqrt);
  const r2R = sq!.map((mse, r) => {
    const variance = c2![r]! - c![r]! ** 2;
    return variance <= 0 ? (mse === 0 ? 1 : 0) : 1 - mse / variance;
  });
  return {
    metrics: { rmse: computed(rmse(y, p), rmseR), mae: computed(mae(y, p), abs), r2: computed(r2(y, p), r2R) },
    confusion: null,
  };
}

/**
 * Derived baselines, stored among the report's metrics as `baseline_<which>_<metric>` (e.g.
 * `baseline_zero_rule_accuracy`): the gate's "beats the baselines" check finds them next to the
 * model's own number on the very same examples, and no second report has to be invented for them.
 * Classification: zero-rule (always the majority class; for probabilities, always the base rate) and
 * stratified random guessing. Regression: zero-rule (always the mean). No intervals: these are
 * reference points, not estimates of the model.
 */
function baselines(task: ModelTask, cols: OutcomeColumns): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  const put = (name: string, value: number) => {
    if (Number.isFinite(value)) out[name] = { value, source: "computed" };
  };
  if (task === "regression") {
    const zr = zeroRuleRegressor(cols.labels);
    put("baseline_zero_rule_rmse", zr.rmse);
    put("baseline_zero_rule_mae", zr.mae);
    put("baseline_zero_rule_r2", zr.r2);
    return out;
  }
  const zr = zeroRuleClassifier(cols.labels);
  const random = randomClassifierBaseline(cols.labels);
  put("baseline_zero_rule_accuracy", zr.accuracy);
  put("baseline_random_accuracy", random.accuracy);
  if (task === "binary_classification") {
    const p = zr.shares.get(1) ?? 0;
    // Always predicting the majority: F1 is 2p/(1+p) if that is the positive class, else 0.
    put("baseline_zero_rule_f1", zr.majorityClass === 1 ? (2 * p) / (1 + p) : 0);
    // Random guessing with the base rate: expected precision and recall are both p.
    put("baseline_random_f1", p);
    put("baseline_zero_rule_auc", 0.5);
    put("baseline_random_auc", random.auc);
    if (cols.scores) {
      put("baseline_zero_rule_brier", zr.brier ?? p * (1 - p));
      put("baseline_zero_rule_log_loss", logLoss(cols.labels, new Float64Array(cols.n).fill(p)));
    }
  }
  return out;
}

export function computeFromOutcomes(task: ModelTask, cols: OutcomeColumns): Computed {
  const opts = resolveOptions(REPORT_BOOTSTRAP);
  const own =
    task === "binary_classification"
      ? binary(cols, opts)
      : task === "multiclass_classification"
        ? multiclass(cols, opts)
        : regression(cols, opts);
  return { metrics: { ...own.metrics, ...baselines(task, cols) }, confusion: own.confusion };
}

/**
 * Posted and computed metrics together: a computed value replaces a posted one of the same name; a
 * posted value further than the tolerance from it is kept in `posted` and listed as a disagreement.
 */
export function mergeMetrics(posted: Record<string, number>, fromOutcomes: Record<string, MetricValue>) {
  const metrics: Record<string, MetricValue> = {};
  const disagreements: { metric: string; posted: number; computed: number }[] = [];
  for (const [name, value] of Object.entries(posted)) metrics[name] = { value, source: "posted" };
  for (const [name, m] of Object.entries(fromOutcomes)) {
    const p = posted[name];
    if (p !== undefined && Math.abs(p - m.value) > DISAGREEMENT_TOLERANCE) {
      disagreements.push({ metric: name, posted: p, computed: m.value });
      metrics[name] = { ...m, posted: p };
    } else {
      metrics[name] = m;
    }
  }
  return { metrics, disagreements };
}
