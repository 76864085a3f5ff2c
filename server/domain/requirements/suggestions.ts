import { and, eq } from "drizzle-orm";
import { evaluationReports, modelVersions } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { appliesTo, type ReportLike } from "../gate/requirement-check";
import { findModelOrThrow } from "../registry/models";
import { activeRequirementSet } from "./sets";

export interface TighteningSuggestion {
  metric: string;
  slice: string;
  direction: "higher" | "lower";
  currentFloor: number;
  suggestedFloor: number;
  evidence: string;
}

/**
 * Pure: when the champion's pessimistic bound on every applicable report stays well above a floor
 * (by at least 2 % of the floor, and 0.01 absolute), suggest raising the floor to that bound: the ratchet.
 */
export function suggestTightening(
  reqs: {
    metric: string;
    slice: string;
    direction: "higher" | "lower";
    floor: number;
    reportKinds: string[];
    target: number | null;
  }[],
  reports: ReportLike[],
): TighteningSuggestion[] {
  const out: TighteningSuggestion[] = [];
  for (const req of reqs) {
    const bounds = reports
      .filter((r) => appliesTo(req, r))
      .map((r) => r.metrics[req.metric])
      .filter((m): m is NonNullable<typeof m> => Boolean(m))
      .map((m) => (m.ci ? (req.direction === "higher" ? m.ci[0] : m.ci[1]) : m.value));
    if (bounds.length === 0) continue;
    const bound = req.direction === "higher" ? Math.min(...bounds) : Math.max(...bounds);
    const margin = Math.max(0.01, Math.abs(req.floor) * 0.02);
    const headroom = req.direction === "higher" ? bound - req.floor : req.floor - bound;
    if (headroom < margin) continue;
    const rounded = req.direction === "higher" ? Math.floor(bound * 1000) / 1000 : Math.ceil(bound * 1000) / 1000;
    out.push({
      metric: req.metric,
      slice: req.slice,
      direction: req.direction,
      currentFloor: req.floor,
      suggestedFloor: rounded,
      evidence: `worst pessimistic bound of the champion over ${bounds.length} report(s)`,
    });
  }
  return out;
}

export async function tighteningSuggestions(ctx: DomainContext, modelName: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const set = await activeRequirementSet(ctx.db, model.id);
  if (!set) return [];
  const reports = await ctx.db
    .select({
      id: evaluationReports.id,
      kind: evaluationReports.kind,
      slice: evaluationReports.slice,
      metrics: evaluationReports.metrics,
    })
    .from(evaluationReports)
    .innerJoin(modelVersions, eq(modelVersions.id, evaluationReports.modelVersionId))
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.stage, "champion")));
  return suggestTightening(set.requirements, reports);
}
