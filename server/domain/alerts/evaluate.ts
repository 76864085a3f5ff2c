/**
 * Alert rules judged as pure functions: a rule and what was measured in, findings out. A finding says, for
 * one subject (a feature, the dataset, the output, latency, the champion, a requirement), whether the
 * rule's condition holds now. A subject that was not measured yields no finding at all, so it can neither
 * open nor resolve an alert: "not measured" is never read as "fine" or as "broken".
 */
import type { WindowSummary } from "@/server/domain/monitoring/window-summary";
import { appliesTo, checkRequirement, type ReportLike, type RequirementLike } from "../gate/requirement-check";
import type { WeightedAccuracy } from "@/server/stats/feedback";
import type { AlertRuleParams, FeatureScope } from "./params";

export interface Finding {
  subject: string;
  /** The feature behind a drift or data-quality finding: the alert links to its distributions. */
  feature: string | null;
  firing: boolean;
  /** Names the alert: the gate and the lists show it. */
  title: string;
  evidence: Record<string, unknown>;
}

export interface RuleToJudge {
  name: string;
  params: AlertRuleParams;
  granularity: "hour" | "day" | "week";
}

const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toPrecision(digits)));
const pct = (share: number) => `${round(share * 100, 3)}%`;

function inScope(scope: FeatureScope, feature: string, important: ReadonlySet<string>): boolean {
  if (scope === "all") return true;
  if (scope === "important") return important.has(feature);
  return scope.includes(feature);
}

function windowOf(summary: WindowSummary) {
  return { granularity: summary.granularity, windowStart: summary.windowStart, windowEnd: summary.windowEnd };
}

/**
 * Judges one monitoring window. Only rules of the window's granularity judge it; age and now-test rules
 * never do (see `judgeModelAge`, `judgeNowtest`).
 */
export function judgeWindow(
  rule: RuleToJudge,
  summary: WindowSummary,
  importantFeatures: readonly string[],
): Finding[] {
  if (summary.granularity !== rule.granularity) return [];
  const p = rule.params;
  const window = windowOf(summary);
  const important = new Set(importantFeatures);
  switch (p.kind) {
    case "feature_drift": {
      if (!summary.drift) return [];
      return summary.drift.dataset.columns
        .filter((c) => c.drifted !== null && inScope(p.features, c.column, important))
        .map((c) => ({
          subject: c.column,
          feature: c.column,
          firing: c.drifted === true,
          title: `${rule.name}: drift in ${c.column}`,
          evidence: {
            ...window,
            method: c.method,
            statistic: round(c.statistic),
            pValue: round(c.pValue),
            threshold: c.threshold,
            sampled: summary.drift!.sampled,
          },
        }));
    }
    case "dataset_drift": {
      if (!summary.drift) return [];
      const measured = summary.drift.dataset.columns.filter((c) => c.drifted !== null);
      if (measured.length === 0) return [];
      const drifted = measured.filter((c) => c.drifted).map((c) => c.column);
      return [
        {
          subject: "dataset",
          feature: null,
          firing: summary.drift.dataset.datasetDrifted,
          title: `${rule.name}: dataset drift (${drifted.length} of ${measured.length} features)`,
          evidence: { ...window, driftedShare: round(summary.drift.dataset.driftedShare), drifted },
        },
      ];
    }
    case "data_quality": {
      if (!summary.drift) return [];
      const out: Finding[] = [];
      for (const q of summary.drift.quality) {
        if (!inScope(p.features, q.column, important) || q.current.rows === 0) continue;
        let value: number | null = null;
        if (p.measure === "missing_share") value = q.current.missingShare;
        // New categories exist only for categorical columns, a range only for numerical ones with a reference.
        else if (p.measure === "new_category_share") value = q.type === "categorical" ? q.newCategoryShare : null;
        else value = q.numerical?.reference ? q.numerical.outOfRangeShare : null;
        if (value === null) continue;
        const measure = p.measure.replaceAll("_", " ");
        out.push({
          subject: q.column,
          feature: q.column,
          firing: value > p.limit,
          title: `${rule.name}: ${measure} of ${q.column} above ${pct(p.limit)}`,
          evidence: { ...window, measure: p.measure, value: round(value), limit: p.limit },
        });
      }
      return out;
    }
    case "output_drift": {
      const output = summary.drift?.output;
      if (!output || output.drifted === null) return [];
      return [
        {
          subject: "output",
          feature: null,
          firing: output.drifted,
          title: `${rule.name}: the model's output distribution shifted`,
          evidence: {
            ...window,
            method: output.method,
            statistic: round(output.statistic),
            pValue: round(output.pValue),
          },
        },
      ];
    }
    case "latency_p95": {
      const p95 = summary.latency.p95;
      if (p95 === null) return [];
      return [
        {
          subject: "latency",
          feature: null,
          firing: p95 > p.limitMs,
          title: `${rule.name}: latency p95 above ${p.limitMs} ms`,
          evidence: { ...window, p95: round(p95), limitMs: p.limitMs, measured: summary.latency.measured },
        },
      ];
    }
    default:
      return [];
  }
}

const DAY_MS = 86_400_000;

/** The champion's age: how long since it took office. No champion: nothing to judge. */
export function judgeModelAge(
  rule: RuleToJudge,
  champion: { version: number; since: Date } | null,
  now: Date,
): Finding[] {
  if (rule.params.kind !== "model_age" || !champion) return [];
  const days = Math.floor((now.getTime() - champion.since.getTime()) / DAY_MS);
  return [
    {
      subject: "champion",
      feature: null,
      firing: days > rule.params.maxDays,
      title: `${rule.name}: champion v${champion.version} older than ${rule.params.maxDays} days`,
      evidence: { version: champion.version, since: champion.since.toISOString(), days, maxDays: rule.params.maxDays },
    },
  ];
}

/**
 * The champion's newest now-test report of each slice against the requirements that apply to it, judged
 * as the gate judges them (the pessimistic end of an interval when the report has one). No now-test, or a
 * metric the report lacks: not measured, no finding.
 */
export function judgeNowtest(
  rule: RuleToJudge,
  requirements: readonly RequirementLike[],
  nowtests: readonly (ReportLike & { version: number })[],
): Finding[] {
  if (rule.params.kind !== "nowtest_floor") return [];
  const out: Finding[] = [];
  for (const report of nowtests) {
    if (report.kind !== "nowtest") continue;
    for (const req of requirements) {
      if (!appliesTo(req, report)) continue;
      const r = checkRequirement(req, report);
      if (r.status === "insufficient") continue;
      const subject = req.slice ? `${req.metric}[${req.slice}]` : req.metric;
      const bound = req.direction === "higher" ? "floor" : "ceiling";
      out.push({
        subject,
        feature: null,
        firing: r.status === "fail",
        title: `${rule.name}: now-test ${subject} of v${report.version} beyond its ${bound} ${req.floor}`,
        evidence: {
          reportId: report.id,
          version: report.version,
          metric: req.metric,
          slice: req.slice,
          value: r.value,
          judged: r.judged,
          floor: req.floor,
          direction: req.direction,
        },
      });
    }
  }
  return out;
}

/**
 * The champion's live accuracy (its newest labels, weighted by inverse sampling probability) against the
 * active requirement set's accuracy floor. Fires when the interval's upper bound is below the floor: even
 * the most favourable reading of the labels misses it. No labels, or no accuracy floor: not measured.
 */
export function judgeLiveAccuracy(
  rule: RuleToJudge,
  champion: { version: number } | null,
  recent: { accuracy: WeightedAccuracy | null; from: Date | null; to: Date | null },
  floor: { floor: number; requirementSetVersion: number } | null,
): Finding[] {
  if (rule.params.kind !== "live_accuracy" || !champion || !floor || !recent.accuracy) return [];
  const a = recent.accuracy;
  return [
    {
      subject: "live_accuracy",
      feature: null,
      firing: a.interval[1] < floor.floor,
      title: `${rule.name}: live accuracy of v${champion.version} below its floor ${floor.floor}`,
      evidence: {
        version: champion.version,
        labels: a.n,
        lastLabels: rule.params.lastLabels,
        estimate: round(a.estimate),
        interval: [round(a.interval[0]), round(a.interval[1])],
        floor: floor.floor,
        requirementSetVersion: floor.requirementSetVersion,
        from: recent.from?.toISOString() ?? null,
        to: recent.to?.toISOString() ?? null,
      },
    },
  ];
}
