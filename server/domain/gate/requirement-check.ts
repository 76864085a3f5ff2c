import type { MetricValue } from "@/db/schema/reports";

/** Pure checks of one requirement against one report; the gate, the report page and alerts share them. */
export type CheckStatus = "pass" | "fail" | "insufficient";

export interface RequirementLike {
  metric: string;
  direction: "higher" | "lower";
  floor: number;
  target: number | null;
  reportKinds: string[];
  slice: string;
}

export interface ReportLike {
  id: string;
  kind: string;
  slice: string;
  metrics: Record<string, MetricValue>;
  periodStart?: string | null;
  periodEnd?: string | null;
}

/** A requirement applies to the report kinds it names (every non-baseline kind when it names none) on its slice. */
export function appliesTo(req: RequirementLike, report: ReportLike): boolean {
  if (report.kind === "baseline") return false;
  if (req.reportKinds.length > 0 && !req.reportKinds.includes(report.kind)) return false;
  return req.slice === report.slice;
}

export type RequirementResult = {
  status: CheckStatus;
  metric: string;
  floor: number;
  direction: "higher" | "lower";
  value: number | null;
  /** The number judged: the interval's pessimistic bound when there is an interval, else the value. */
  judged: number | null;
  usedInterval: boolean;
  meetsTarget: boolean | null;
};

export function checkRequirement(req: RequirementLike, report: ReportLike): RequirementResult {
  const m = report.metrics[req.metric];
  const base = { metric: req.metric, floor: req.floor, direction: req.direction };
  if (!m || !Number.isFinite(m.value)) {
    return { ...base, status: "insufficient", value: null, judged: null, usedInterval: false, meetsTarget: null };
  }
  const judged = m.ci ? (req.direction === "higher" ? m.ci[0] : m.ci[1]) : m.value;
  const ok = req.direction === "higher" ? judged >= req.floor : judged <= req.floor;
  const meetsTarget =
    req.target === null ? null : req.direction === "higher" ? m.value >= req.target : m.value <= req.target;
  return { ...base, status: ok ? "pass" : "fail", value: m.value, judged, usedInterval: Boolean(m.ci), meetsTarget };
}

/** True when `b` is at least as strict as `a` (a higher floor for higher-is-better, a lower one otherwise). */
export function isAtLeastAsStrict(direction: "higher" | "lower", a: number, b: number): boolean {
  return direction === "higher" ? b >= a : b <= a;
}
