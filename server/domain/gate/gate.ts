import { EVIDENCE_DEFAULTS } from "../requirements/compare";
import { knownDirection } from "../requirements/metric-registry";
import { describeEvidence, evidenceFor, type EvidenceReport, type EvidenceRules } from "./evidence";
import {
  appliesTo,
  checkRequirement,
  type CheckStatus,
  type ReportLike,
  type RequirementLike,
  type RequirementResult,
} from "./requirement-check";

/**
 * The release gate: a pure function of the evidence, returning named checks. Each check is a function
 * of the same input, so later capabilities add checks by appending to GATE_CHECKS.
 */
export interface GateReport extends ReportLike, EvidenceReport {
  datasetId: string | null;
  hasOutcomes: boolean;
  /** For `baseline` reports: which baseline (zero_rule, random, heuristic, human). */
  baseline?: string | null;
}

/**
 * Whether a posted baseline report is compared with one of the version's reports: on the same dataset and
 * slice, or, for a human baseline measured on reviewed production items rather than on any dataset (no
 * dataset named), with every report on its slice — how well people do is a property of the task.
 */
export function baselineApplies(baseline: GateReport, report: GateReport): boolean {
  if (baseline.slice !== report.slice) return false;
  return baseline.datasetId === report.datasetId || (baseline.baseline === "human" && baseline.datasetId === null);
}

/**
 * A paired test of the candidate against the champion on the examples both reports share, computed
 * while the evidence is loaded (the gate itself stays pure and never reads outcomes).
 */
export interface PairedComparison {
  candidateReportId: string;
  championReportId: string;
  metric: string;
  /** "DeLong", "McNemar exact" or "bootstrap" (interval only, no p-value): where the p-value comes from. */
  test: string;
  /** Examples both reports have (matched by id). */
  matched: number;
  /** Candidate − champion, with its paired bootstrap interval. */
  difference: number;
  ci: [number, number];
  pValue: number | null;
  /** Non-inferiority margin the verdict was judged with. */
  margin: number;
  verdict: "better" | "worse" | "no detectable difference";
}

export interface GateInput {
  requirementSet: {
    version: number;
    primaryMetric: string;
    requiredReportKinds: string[];
    requirements: RequirementLike[];
    /** Evidence minimums of the set (defaults 200 outcomes, 20 of each class for AUC). */
    minOutcomes?: number;
    minAucClassCount?: number;
  } | null;
  candidate: { version: number; reports: GateReport[] };
  champion: { version: number; reports: GateReport[] } | null;
  openAlerts: { severity: "critical" | "warning" | "info"; title: string }[];
  pairedComparisons?: PairedComparison[];
}

/** The requirement set as the gate reads it. */
export type GateRequirementSet = NonNullable<GateInput["requirementSet"]>;

/** The active set (as `activeRequirementSet` returns it) in the gate's shape; null when there is none. */
export function gateRequirementSet(
  set: (GateRequirementSet & Record<string, unknown>) | null | undefined,
): GateRequirementSet | null {
  if (!set) return null;
  return {
    version: set.version,
    primaryMetric: set.primaryMetric,
    requiredReportKinds: set.requiredReportKinds,
    minOutcomes: set.minOutcomes,
    minAucClassCount: set.minAucClassCount,
    requirements: set.requirements.map((r) => ({
      metric: r.metric,
      direction: r.direction,
      floor: r.floor,
      target: r.target,
      reportKinds: r.reportKinds,
      slice: r.slice,
    })),
  };
}

export interface CheckResult {
  id: string;
  name: string;
  status: CheckStatus;
  summary: string;
  details: Record<string, unknown>[];
}

export interface GateResult {
  status: CheckStatus;
  checks: CheckResult[];
}

/**
 * Direction of a metric: from the requirement on it when there is one (checked against the registry or the
 * model's declaration when the set was proposed), else from the registry of known metrics.
 */
export function directionOf(metric: string, reqs: RequirementLike[] = []): "higher" | "lower" {
  return reqs.find((r) => r.metric === metric)?.direction ?? knownDirection(metric) ?? "higher";
}

const better = (dir: "higher" | "lower", a: number, b: number) => (dir === "higher" ? a > b : a < b);
const sameData = (a: GateReport, b: GateReport) =>
  a.kind === b.kind &&
  a.datasetId === b.datasetId &&
  a.slice === b.slice &&
  (a.periodStart ?? null) === (b.periodStart ?? null);
const worst = (statuses: CheckStatus[]): CheckStatus =>
  statuses.includes("fail") ? "fail" : statuses.includes("insufficient") ? "insufficient" : "pass";

/** The evidence minimums of the set in force (the schema's defaults when it does not say). */
export function evidenceRules(input: Pick<GateInput, "requirementSet">): EvidenceRules {
  return {
    minOutcomes: input.requirementSet?.minOutcomes ?? EVIDENCE_DEFAULTS.minOutcomes,
    minAucClassCount: input.requirementSet?.minAucClassCount ?? EVIDENCE_DEFAULTS.minAucClassCount,
  };
}

type RequirementDetail = RequirementResult & {
  reportId: string | null;
  reportKind: string | null;
  period: string | null;
  evidence: string | null;
  note: string | null;
};

/**
 * Each requirement on each report it applies to, judged only on evidence that counts (see evidence.ts):
 * otherwise "not enough evidence", with the reason and the numbers (e.g. "3 outcomes, needs 200").
 */
/** Reads only the requirement set and the candidate's reports: the comparison page runs it without a champion. */
export function requirementsMet(input: Pick<GateInput, "requirementSet" | "candidate">): CheckResult {
  const base = { id: "requirements", name: "Every requirement met on every report it applies to" };
  if (!input.requirementSet)
    return { ...base, status: "insufficient", summary: "No requirements agreed for this model yet.", details: [] };
  const rules = evidenceRules(input);
  const primary = input.requirementSet.primaryMetric;
  const details: RequirementDetail[] = [];
  for (const req of input.requirementSet.requirements) {
    const reports = input.candidate.reports.filter((r) => appliesTo(req, r));
    const none = {
      metric: req.metric,
      floor: req.floor,
      direction: req.direction,
      judged: null,
      usedInterval: false,
      meetsTarget: null,
    } as const;
    if (reports.length === 0) {
      details.push({
        ...none,
        status: "insufficient",
        value: null,
        reportId: null,
        reportKind: null,
        period: null,
        evidence: null,
        note: "no report it applies to",
      });
    }
    for (const report of reports) {
      const where = { reportId: report.id, reportKind: report.kind, period: report.periodStart ?? null };
      const ev = evidenceFor(req.metric, report, rules, { primary: req.metric === primary });
      if (!ev.counts) {
        details.push({
          ...none,
          ...where,
          status: "insufficient",
          value: report.metrics[req.metric]?.value ?? null,
          evidence: describeEvidence(ev.used),
          note: ev.reason,
        });
        continue;
      }
      details.push({ ...checkRequirement(req, report), ...where, evidence: describeEvidence(ev.used), note: null });
    }
  }
  const status = worst(details.map((d) => d.status));
  const failed = details.filter((d) => d.status === "fail").length;
  const missing = details.filter((d) => d.status === "insufficient");
  const reasons = [...new Set(missing.map((d) => `${d.metric}: ${d.note}`))];
  const summary =
    status === "pass"
      ? `${details.length} checks met (set v${input.requirementSet.version}).`
      : [
          failed && `${failed} missed`,
          missing.length &&
            `${missing.length} without enough evidence (${reasons.slice(0, 3).join("; ")}${reasons.length > 3 ? "; …" : ""})`,
        ]
          .filter(Boolean)
          .join(", ") + ".";
  return { ...base, status, summary, details };
}

export function requiredKindsPresent(input: GateInput): CheckResult {
  const required = input.requirementSet?.requiredReportKinds ?? [];
  const present = new Set(input.candidate.reports.map((r) => r.kind));
  const missing = required.filter((k) => !present.has(k));
  return {
    id: "report-kinds",
    name: "Required report kinds present",
    status: missing.length ? "insufficient" : "pass",
    summary:
      required.length === 0
        ? "No report kinds required."
        : missing.length
          ? `Missing: ${missing.join(", ")}.`
          : `All present: ${required.join(", ")}.`,
    details: required.map((kind) => ({ kind, present: present.has(kind) })),
  };
}

type ChampionMethod = "paired" | "intervals" | "point estimates";

/**
 * One dataset: the paired test when both reports have outcomes on the same examples; otherwise the
 * stored intervals, failing only when the champion's lies entirely on the better side of the
 * candidate's (clearly worse); otherwise the point values. Each states the method it used.
 */
function judgeOnDataset(
  dir: "higher" | "lower",
  mine: GateReport,
  theirs: GateReport,
  metric: string,
  paired: PairedComparison | undefined,
) {
  const a = mine.metrics[metric]!,
    b = theirs.metrics[metric]!;
  const where = {
    kind: mine.kind,
    slice: mine.slice,
    period: mine.periodStart ?? null,
    challenger: a.value,
    champion: b.value,
  };
  if (paired) {
    return {
      ...where,
      difference: paired.difference,
      ciLow: paired.ci[0],
      ciHigh: paired.ci[1],
      pValue: paired.pValue,
      matched: paired.matched,
      notWorse: paired.verdict !== "worse",
      verdict: paired.verdict,
      method: `paired ${paired.test} on ${paired.matched} matched examples, margin ${paired.margin}`,
      via: "paired" as ChampionMethod,
    };
  }
  if (a.ci && b.ci) {
    const clearlyWorse = dir === "higher" ? b.ci[0] > a.ci[1] : b.ci[1] < a.ci[0];
    return {
      ...where,
      notWorse: !clearlyWorse,
      method: "intervals (no shared outcomes): fails only if they do not overlap",
      via: "intervals" as ChampionMethod,
    };
  }
  return {
    ...where,
    notWorse: !better(dir, b.value, a.value),
    method: "point estimates on the same dataset",
    via: "point estimates" as ChampionMethod,
  };
}

export function beatsChampion(input: GateInput): CheckResult {
  const base = { id: "champion", name: "Beats the champion on the primary metric" };
  const metric = input.requirementSet?.primaryMetric;
  if (!metric) return { ...base, status: "insufficient", summary: "No primary metric agreed.", details: [] };
  if (!input.champion) return { ...base, status: "pass", summary: "No champion yet: nothing to beat.", details: [] };
  if (input.champion.version === input.candidate.version)
    return { ...base, status: "pass", summary: "This version is the champion.", details: [] };
  const dir = directionOf(metric, input.requirementSet?.requirements);
  const rules = evidenceRules(input);
  const details: (ReturnType<typeof judgeOnDataset> & { status: CheckStatus; evidence: string })[] = [];
  // Datasets where either side's number is not real evidence (posted, too few outcomes): shown, never decisive.
  const notCounted: {
    status: CheckStatus;
    kind: string;
    slice: string;
    period: string | null;
    challenger: number;
    champion: number;
    evidence: string;
    note: string;
  }[] = [];
  for (const mine of input.candidate.reports) {
    const theirs = input.champion.reports.find((c) => sameData(mine, c));
    if (!theirs || mine.kind === "baseline" || !mine.metrics[metric] || !theirs.metrics[metric]) continue;
    const a = evidenceFor(metric, mine, rules, { primary: true });
    const b = evidenceFor(metric, theirs, rules, { primary: true });
    const evidence = `challenger: ${describeEvidence(a.used)}; champion: ${describeEvidence(b.used)}`;
    if (!a.counts || !b.counts) {
      const note = [!a.counts && `challenger ${a.reason}`, !b.counts && `champion ${b.reason}`]
        .filter(Boolean)
        .join("; ");
      notCounted.push({
        status: "insufficient",
        kind: mine.kind,
        slice: mine.slice,
        period: mine.periodStart ?? null,
        challenger: mine.metrics[metric]!.value,
        champion: theirs.metrics[metric]!.value,
        evidence,
        note,
      });
      continue;
    }
    // A paired test counts only on enough matched examples; otherwise the two reports' intervals decide.
    const paired = input.pairedComparisons?.find(
      (p) =>
        p.candidateReportId === mine.id &&
        p.championReportId === theirs.id &&
        p.metric === metric &&
        p.matched >= rules.minOutcomes,
    );
    const judged = judgeOnDataset(dir, mine, theirs, metric, paired);
    details.push({ ...judged, status: judged.notWorse ? "pass" : "fail", evidence });
  }
  if (details.length === 0) {
    const why = notCounted.length
      ? `No dataset with enough computed evidence of ${metric} on both sides (${notCounted[0]!.note}${notCounted.length > 1 ? `; and ${notCounted.length - 1} more` : ""}).`
      : `No dataset on which both v${input.candidate.version} and champion v${input.champion.version} report ${metric}.`;
    return { ...base, status: "insufficient", summary: why, details: notCounted };
  }
  const worse = details.filter((d) => !d.notWorse).length;
  const used = (["paired", "intervals", "point estimates"] as const)
    .map((via) => [via, details.filter((d) => d.via === via).length] as const)
    .filter(([, n]) => n > 0)
    .map(([via, n]) => `${via === "paired" ? "paired test" : via} on ${n}`)
    .join(", ");
  const skipped = notCounted.length ? ` ${notCounted.length} more not counted (not enough evidence).` : "";
  const summary =
    (worse
      ? `Worse than the champion on ${worse} of ${details.length} datasets (${used}).`
      : `At least as good as the champion on all ${details.length} datasets (${used}).`) + skipped;
  return {
    ...base,
    status: worse ? "fail" : "pass",
    summary,
    details: [...details.map(({ via: _via, ...d }) => d), ...notCounted],
  };
}

export function beatsBaselines(input: GateInput): CheckResult {
  const base = { id: "baselines", name: "Beats the baselines" };
  const metric = input.requirementSet?.primaryMetric;
  if (!metric) return { ...base, status: "insufficient", summary: "No primary metric agreed.", details: [] };
  const dir = directionOf(metric, input.requirementSet?.requirements);
  const derived = new RegExp(`^baseline_(.+)_${metric}$`);
  const details: Record<string, unknown>[] = [];
  for (const report of input.candidate.reports.filter((r) => r.kind !== "baseline")) {
    const mine = report.metrics[metric]?.value;
    if (mine === undefined) continue;
    for (const [key, m] of Object.entries(report.metrics)) {
      const name = derived.exec(key)?.[1];
      if (name)
        details.push({
          baseline: name,
          kind: report.kind,
          period: report.periodStart ?? null,
          model: mine,
          baselineValue: m.value,
          beats: better(dir, mine, m.value),
        });
    }
    for (const b of input.candidate.reports.filter((r) => r.kind === "baseline" && baselineApplies(r, report))) {
      const v = b.metrics[metric]?.value;
      if (v !== undefined)
        details.push({
          baseline: b.baseline ?? "posted",
          kind: report.kind,
          period: report.periodStart ?? null,
          model: mine,
          baselineValue: v,
          beats: better(dir, mine, v),
        });
    }
  }
  if (details.length === 0)
    return { ...base, status: "insufficient", summary: `No baseline for ${metric} to compare with.`, details };
  const lost = details.filter((d) => !d.beats).length;
  return {
    ...base,
    status: lost ? "fail" : "pass",
    summary: lost ? `Does not beat ${lost} of ${details.length} baselines.` : `Beats all ${details.length} baselines.`,
    details,
  };
}

export function noCriticalAlerts(input: GateInput): CheckResult {
  const critical = input.openAlerts.filter((a) => a.severity === "critical");
  return {
    id: "alerts",
    name: "No open critical alert",
    status: critical.length ? "fail" : "pass",
    // Named in the summary itself: the reason a release is blocked must be readable without opening details.
    summary:
      critical.length === 0
        ? "No open critical alert."
        : `${critical.length === 1 ? "Open critical alert" : `${critical.length} open critical alerts`}: ${critical.map((a) => a.title).join("; ")}.`,
    details: critical.map((a) => ({ title: a.title })),
  };
}

export const GATE_CHECKS: ((input: GateInput) => CheckResult)[] = [
  requirementsMet,
  requiredKindsPresent,
  beatsChampion,
  beatsBaselines,
  noCriticalAlerts,
];

export function runGate(input: GateInput, checks = GATE_CHECKS): GateResult {
  const results = checks.map((check) => check(input));
  return { status: worst(results.map((r) => r.status)), checks: results };
}
