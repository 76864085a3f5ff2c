import { and, eq } from "drizzle-orm";
import { datasets, evaluationReports, modelVersions } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { appliesTo } from "../gate/requirement-check";
import { findModelOrThrow } from "../registry/models";
import { activeRequirementSet } from "../requirements/sets";
import { metricHistoryInput, type MetricHistoryInput } from "./schemas";

/** One version's value of a metric, with its interval when it has one. */
export interface HistoryPoint {
  version: number;
  stage: string;
  value: number;
  ci: [number, number] | null;
}

/**
 * One metric across every version of a model, each from its newest report of the chosen kind, dataset
 * and slice. Without a dataset, the one most versions report the metric on is used, so the points are
 * comparable (the same data for every version).
 */
export async function metricHistory(ctx: DomainContext, raw: MetricHistoryInput) {
  authorize(ctx, "registry:read");
  const input = metricHistoryInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const [rows, set] = await Promise.all([
    ctx.db
      .select({
        version: modelVersions.version,
        stage: modelVersions.stage,
        reportId: evaluationReports.id,
        datasetId: evaluationReports.datasetId,
        datasetName: datasets.name,
        datasetVersion: datasets.version,
        metrics: evaluationReports.metrics,
        createdAt: evaluationReports.createdAt,
      })
      .from(evaluationReports)
      .innerJoin(modelVersions, eq(modelVersions.id, evaluationReports.modelVersionId))
      .leftJoin(datasets, eq(datasets.id, evaluationReports.datasetId))
      .where(
        and(
          eq(modelVersions.modelId, model.id),
          eq(evaluationReports.kind, input.kind),
          eq(evaluationReports.slice, input.slice),
        ),
      ),
    activeRequirementSet(ctx.db, model.id),
  ]);
  const reporting = rows.filter((r) => r.metrics[input.metric] !== undefined);

  // The dataset most versions report on; ties go to the newest report's dataset.
  const versionsPer = new Map<string, Set<number>>();
  for (const r of reporting)
    versionsPer.set(r.datasetId ?? "", (versionsPer.get(r.datasetId ?? "") ?? new Set()).add(r.version));
  const newestFirst = [...reporting].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime());
  const datasetId =
    input.datasetId ??
    newestFirst
      .map((r) => r.datasetId ?? "")
      .sort((x, y) => (versionsPer.get(y)?.size ?? 0) - (versionsPer.get(x)?.size ?? 0))[0] ??
    "";
  const chosen = newestFirst.filter((r) => (r.datasetId ?? "") === datasetId);

  const points = new Map<number, HistoryPoint & { reportId: string }>();
  for (const r of chosen) {
    if (points.has(r.version)) continue; // newest first: the first seen is the one that counts
    const m = r.metrics[input.metric]!;
    points.set(r.version, {
      version: r.version,
      stage: r.stage,
      value: m.value,
      ci: m.ci ?? null,
      reportId: r.reportId,
    });
  }
  const first = chosen[0];
  const requirement = set?.requirements.find(
    (q) => q.metric === input.metric && appliesTo(q, { id: "", kind: input.kind, slice: input.slice, metrics: {} }),
  );
  return {
    model: model.name,
    metric: input.metric,
    kind: input.kind,
    slice: input.slice,
    dataset:
      first?.datasetId && first.datasetName !== null && first.datasetVersion !== null
        ? { id: first.datasetId, name: first.datasetName, version: first.datasetVersion }
        : null,
    floor: requirement?.floor ?? null,
    direction: requirement?.direction ?? null,
    points: [...points.values()].sort((x, y) => x.version - y.version),
  };
}
