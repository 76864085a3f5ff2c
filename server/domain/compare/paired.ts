import { compareModels, SCORE_METRICS, type CompareMetric, type CompareResult } from "@/server/stats";
import type { StoredOutcomes } from "../reports/outcomes";
import { COMPARE_SETTINGS } from "./margins";

/**
 * Paired comparison of two reports' outcomes: match rows by example id, then hand the matched columns
 * to the engine's compareModels — the same call, seed and resamples as `npx ratchet compare`, which is
 * what lets the page, the gate and the CLI agree to the last digit.
 */
export interface MatchedOutcomes {
  /** Matched example ids, in the first (champion / "a") report's row order: the order the bootstrap sees. */
  ids: string[];
  labels: Float64Array;
  a: { predictions: Float64Array; scores: Float64Array | null };
  b: { predictions: Float64Array; scores: Float64Array | null };
  /** Ids only one report has: left out, and said so. */
  onlyA: number;
  onlyB: number;
  /** Ids in both whose labels differ: left out too (the two reports disagree about the truth). */
  labelMismatches: number;
}

export function matchOutcomes(a: StoredOutcomes, b: StoredOutcomes): MatchedOutcomes {
  const where = new Map<string, number>();
  b.ids.forEach((id, j) => where.set(id, j));
  const ai: number[] = [],
    bi: number[] = [];
  let onlyA = 0,
    labelMismatches = 0;
  a.ids.forEach((id, i) => {
    const j = where.get(id);
    if (j === undefined) onlyA++;
    else if (a.labels[i] !== b.labels[j]) labelMismatches++;
    else {
      ai.push(i);
      bi.push(j);
    }
  });
  const pick = (col: Float64Array, idx: number[]) => Float64Array.from(idx, (k) => col[k]!);
  const scores = a.scores && b.scores ? { a: pick(a.scores, ai), b: pick(b.scores, bi) } : null;
  return {
    ids: ai.map((i) => a.ids[i]!),
    labels: pick(a.labels, ai),
    a: { predictions: pick(a.predictions, ai), scores: scores?.a ?? null },
    b: { predictions: pick(b.predictions, bi), scores: scores?.b ?? null },
    onlyA,
    onlyB: b.ids.length - ai.length - labelMismatches,
    labelMismatches,
  };
}

/** Which column of the outcomes a metric is computed from: scores for AUC, log loss and Brier, predictions otherwise. */
export function columnsFor(
  metric: CompareMetric,
  m: MatchedOutcomes,
): { champion: Float64Array; challenger: Float64Array } | null {
  if (!SCORE_METRICS.includes(metric)) return { champion: m.a.predictions, challenger: m.b.predictions };
  return m.a.scores && m.b.scores ? { champion: m.a.scores, challenger: m.b.scores } : null;
}

export type PairedTest = "McNemar exact" | "DeLong" | "bootstrap";

export type PairedOutcome =
  { ok: true; result: CompareResult; test: PairedTest; pValue: number | null } | { ok: false; reason: string };

const isBinary = (xs: Float64Array) => xs.every((x) => x === 0 || x === 1);
const CONFUSION_METRICS: ReadonlySet<CompareMetric> = new Set(["precision", "recall", "f1"]);

/**
 * compareModels on matched outcomes, or the reason it cannot run (then callers fall back to intervals).
 * The p-value is McNemar's exact p for accuracy and DeLong's for AUC; the engine has no bootstrap
 * p-value for the other metrics (precision, recall, F1, log loss, Brier, RMSE, MAE), so theirs is null
 * and their verdict rests on the paired bootstrap interval of the difference alone.
 */
export function pairedCompare(metric: CompareMetric, m: MatchedOutcomes, margin: number): PairedOutcome {
  if (m.labels.length === 0) return { ok: false, reason: "no example ids in common" };
  const cols = columnsFor(metric, m);
  if (!cols) return { ok: false, reason: "scores missing in one report" };
  if (metric === "auc" && !(m.labels.includes(0) && m.labels.includes(1)))
    return { ok: false, reason: "only one class among the matched examples" };
  if (CONFUSION_METRICS.has(metric) && !(isBinary(m.labels) && isBinary(cols.champion) && isBinary(cols.challenger)))
    return { ok: false, reason: `${metric} needs 0/1 labels and predictions` };
  if (SCORE_METRICS.includes(metric) && !isBinary(m.labels)) return { ok: false, reason: `${metric} needs 0/1 labels` };
  const result = compareModels({ metric, labels: m.labels, ...cols, ...COMPARE_SETTINGS, margin });
  if (result.mcnemar) return { ok: true, result, test: "McNemar exact", pValue: result.mcnemar.pValue };
  if (result.delong)
    return {
      ok: true,
      result,
      test: "DeLong",
      pValue: Number.isFinite(result.delong.pValue) ? result.delong.pValue : null,
    };
  return { ok: true, result, test: "bootstrap", pValue: null };
}
