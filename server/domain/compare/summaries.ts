import type { CheckResult, GateInput } from "../gate/gate";
import { requirementsMet } from "../gate/gate";
import { classCountsOf } from "../gate/evidence";
import { isOperational } from "../requirements/metric-registry";
import type { CompareReport } from "./pairing";

/** Pure summaries beside the metric tables: each version's requirement status, latency and size. */
/** The requirement set as the gate reads it: one shape, so the summaries judge exactly as the gate does. */
export type RequirementSetShape = NonNullable<GateInput["requirementSet"]>;

/** The gate's own requirement check on one version's reports, so the page and the gate never disagree. */
export function requirementStatus(
  set: RequirementSetShape | null,
  version: number,
  reports: CompareReport[],
): CheckResult {
  return requirementsMet({
    requirementSet: set,
    candidate: {
      version,
      reports: reports.map((r) => ({
        id: r.id,
        kind: r.kind,
        slice: r.slice,
        metrics: r.metrics,
        periodStart: r.periodStart,
        periodEnd: r.periodEnd,
        datasetId: r.datasetId,
        dataset: r.datasetName ? `${r.datasetName} v${r.datasetVersion}` : null,
        hasOutcomes: r.outcomeCount > 0,
        outcomeCount: r.outcomeCount,
        sampleSize: r.sampleSize,
        classCounts: classCountsOf(r.confusion),
      })),
    },
  });
}

export interface OperationalMetric {
  metric: string;
  a: { value: number; kind: string } | null;
  b: { value: number; kind: string } | null;
}

/** Latency and size as last reported by each version (any report kind), for the side-by-side card. */
export function operationalMetrics(a: CompareReport[], b: CompareReport[]): OperationalMetric[] {
  const latest = (reports: CompareReport[]) => {
    const out = new Map<string, { value: number; kind: string; at: Date }>();
    for (const r of reports) {
      for (const [metric, m] of Object.entries(r.metrics)) {
        if (!isOperational(metric)) continue;
        const seen = out.get(metric);
        if (!seen || seen.at < r.createdAt) out.set(metric, { value: m.value, kind: r.kind, at: r.createdAt });
      }
    }
    return out;
  };
  const la = latest(a),
    lb = latest(b);
  const strip = (x: { value: number; kind: string } | undefined) => (x ? { value: x.value, kind: x.kind } : null);
  return [...new Set([...la.keys(), ...lb.keys()])]
    .sort()
    .map((metric) => ({ metric, a: strip(la.get(metric)), b: strip(lb.get(metric)) }));
}
