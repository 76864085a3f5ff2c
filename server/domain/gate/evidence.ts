import type { MetricValue } from "@/db/schema/reports";
import { isOperational, needsBothClasses } from "../requirements/metric-registry";

/**
 * Pure rules for what counts as evidence in the gate. A posted number is a claim; a number Ratchet
 * computed from enough outcomes (with its interval) is evidence. So:
 * - operational metrics (latency, size) may be posted: the serving system measures them, not outcomes;
 * - the primary metric (requirements on it, and "beats the champion") counts only when computed;
 * - any other metric counts with enough examples: computed from at least `minOutcomes` outcomes, or
 *   posted with a declared sample size at least that large;
 * - rank metrics (AUC) need at least `minAucClassCount` examples of each class, known from the outcomes.
 */
export interface EvidenceRules {
  minOutcomes: number;
  minAucClassCount: number;
}

export interface EvidenceReport {
  id: string;
  kind: string;
  /** "name vN" of the registered dataset, when the report names one. */
  dataset?: string | null;
  metrics: Record<string, MetricValue>;
  /** Outcomes stored with the report (0: metrics posted only). */
  outcomeCount?: number;
  /** The sample size the pipeline declared. */
  sampleSize?: number;
  /** Examples of each class among the outcomes (binary classification), else null. */
  classCounts?: { positive: number; negative: number } | null;
}

/** Which evidence a check used, named so a manager can find it. */
export interface EvidenceUsed {
  reportId: string;
  kind: string;
  dataset: string | null;
  n: number;
  source: "computed" | "posted";
}

export type EvidenceVerdict =
  { counts: true; used: EvidenceUsed } | { counts: false; used: EvidenceUsed; reason: string };

export function evidenceFor(
  metric: string,
  report: EvidenceReport,
  rules: EvidenceRules,
  opts: { primary: boolean },
): EvidenceVerdict {
  const m = report.metrics[metric];
  const source = m?.source ?? "posted";
  const n = source === "computed" ? (report.outcomeCount ?? 0) : (report.sampleSize ?? 0);
  const used: EvidenceUsed = { reportId: report.id, kind: report.kind, dataset: report.dataset ?? null, n, source };
  const no = (reason: string): EvidenceVerdict => ({ counts: false, used, reason });
  if (!m || !Number.isFinite(m.value)) return no(`no ${metric} in this report`);
  if (isOperational(metric)) return { counts: true, used };
  if (opts.primary && source !== "computed")
    return no(`${metric} was posted, not computed from outcomes (the primary metric counts only when computed)`);
  if (n < rules.minOutcomes)
    return no(
      source === "computed"
        ? `${n} outcomes, needs ${rules.minOutcomes}`
        : `posted on ${n} examples, needs ${rules.minOutcomes}`,
    );
  if (needsBothClasses(metric)) {
    const c = report.classCounts;
    if (!c)
      return no(
        `${metric} needs outcomes to count the examples of each class (needs ${rules.minAucClassCount} of each)`,
      );
    if (Math.min(c.positive, c.negative) < rules.minAucClassCount) {
      return no(`${c.positive} positive and ${c.negative} negative examples, needs ${rules.minAucClassCount} of each`);
    }
  }
  return { counts: true, used };
}

/** One line for the gate view: "holdout · credit-holdout v1 · n=1500 computed · report 1a2b3c4d". */
export function describeEvidence(used: EvidenceUsed): string {
  return [used.kind, used.dataset, `n=${used.n} ${used.source}`, `report ${used.reportId.slice(0, 8)}`]
    .filter(Boolean)
    .join(" · ");
}

/** Class counts from a stored binary confusion matrix. */
export function classCountsOf(confusion: { tn: number; fp: number; fn: number; tp: number } | null | undefined) {
  return confusion ? { positive: confusion.tp + confusion.fn, negative: confusion.tn + confusion.fp } : null;
}
