import { and, asc, count, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import {
  apiKeys,
  datasets,
  evaluationReports,
  models,
  modelVersions,
  requirements,
  requirementSets,
  users,
} from "@/db/schema";
import { appliesTo, checkRequirement } from "../gate/requirement-check";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";
import { pageOf, pageParams } from "../pagination";
import { findModelOrThrow } from "../registry/models";
import { listReportsInput, reportIdInput } from "./schemas";
import { authorLabel } from "../authorship";

/**
 * The model's active requirement set, read directly: the requirements domain owns changing sets, this
 * only needs the one in force to judge reports against.
 */
export async function activeRequirements(ctx: DomainContext, modelId: string) {
  const [set] = await ctx.db
    .select({ id: requirementSets.id, version: requirementSets.version, primaryMetric: requirementSets.primaryMetric })
    .from(requirementSets)
    .where(and(eq(requirementSets.modelId, modelId), eq(requirementSets.status, "active")));
  if (!set) return null;
  const items = await ctx.db
    .select({
      metric: requirements.metric,
      direction: requirements.direction,
      floor: requirements.floor,
      target: requirements.target,
      reportKinds: requirements.reportKinds,
      slice: requirements.slice,
      rationale: requirements.rationale,
    })
    .from(requirements)
    .where(eq(requirements.setId, set.id))
    .orderBy(asc(requirements.metric), asc(requirements.slice));
  return { ...set, requirements: items };
}

const reportColumns = {
  id: evaluationReports.id,
  kind: evaluationReports.kind,
  periodStart: evaluationReports.periodStart,
  periodEnd: evaluationReports.periodEnd,
  slice: evaluationReports.slice,
  baseline: evaluationReports.baseline,
  sampleSize: evaluationReports.sampleSize,
  metrics: evaluationReports.metrics,
  disagreements: evaluationReports.disagreements,
  confusion: evaluationReports.confusion,
  outcomeCount: evaluationReports.outcomeCount,
  contentHash: evaluationReports.contentHash,
  createdAt: evaluationReports.createdAt,
  datasetName: datasets.name,
  datasetVersion: datasets.version,
  author: authorLabel,
};

/**
 * A page of a version's reports, newest first, with the requirements in force (the page draws floors from
 * them). The back-test chart needs every back-test, not the page the table shows: `backtests` carries them
 * all, with only the columns the chart reads.
 */
export async function listReports(
  ctx: DomainContext,
  modelName: string,
  version: number,
  rawPage: z.input<typeof pageParams> = {},
) {
  authorize(ctx, "registry:read");
  const input = listReportsInput.parse({ model: modelName, version });
  const pageInput = pageParams.parse(rawPage);
  const model = await findModelOrThrow(ctx, input.model);
  const [v] = await ctx.db
    .select({ id: modelVersions.id, stage: modelVersions.stage })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)));
  if (!v) throw new NotFoundError(`Version ${input.version} of "${model.name}"`);
  const [rows, [total], backtests, requirementSet] = await Promise.all([
    ctx.db
      .select(reportColumns)
      .from(evaluationReports)
      .leftJoin(datasets, eq(datasets.id, evaluationReports.datasetId))
      .leftJoin(users, eq(users.id, evaluationReports.createdByUserId))
      .leftJoin(apiKeys, eq(apiKeys.id, evaluationReports.createdByApiKeyId))
      .where(eq(evaluationReports.modelVersionId, v.id))
      .orderBy(desc(evaluationReports.createdAt), desc(evaluationReports.id))
      .limit(pageInput.limit + 1)
      .offset(pageInput.offset),
    ctx.db.select({ n: count() }).from(evaluationReports).where(eq(evaluationReports.modelVersionId, v.id)),
    ctx.db
      .select({
        id: evaluationReports.id,
        kind: evaluationReports.kind,
        slice: evaluationReports.slice,
        periodStart: evaluationReports.periodStart,
        periodEnd: evaluationReports.periodEnd,
        createdAt: evaluationReports.createdAt,
        metrics: evaluationReports.metrics,
      })
      .from(evaluationReports)
      .where(and(eq(evaluationReports.modelVersionId, v.id), eq(evaluationReports.kind, "backtest")))
      .orderBy(desc(evaluationReports.createdAt), desc(evaluationReports.id)),
    activeRequirements(ctx, model.id),
  ]);
  const { items: reports, page } = pageOf(rows, pageInput);
  return {
    model: { name: model.name, task: model.task },
    version: { number: input.version, stage: v.stage },
    reports,
    page,
    total: total?.n ?? 0,
    backtests,
    requirementSet,
  };
}

/** One report with each requirement of the active set that applies to it, met or missed. */
export async function getReport(ctx: DomainContext, id: string) {
  authorize(ctx, "registry:read");
  const input = reportIdInput.parse({ id });
  const [row] = await ctx.db
    .select({
      ...reportColumns,
      modelId: models.id,
      modelName: models.name,
      task: models.task,
      classLabels: models.labels,
      version: modelVersions.version,
      stage: modelVersions.stage,
    })
    .from(evaluationReports)
    .innerJoin(modelVersions, eq(modelVersions.id, evaluationReports.modelVersionId))
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .leftJoin(datasets, eq(datasets.id, evaluationReports.datasetId))
    .leftJoin(users, eq(users.id, evaluationReports.createdByUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, evaluationReports.createdByApiKeyId))
    .where(eq(evaluationReports.id, input.id));
  if (!row) throw new NotFoundError(`Report ${input.id}`);
  const { modelId, ...report } = row;
  const set = await activeRequirements(ctx, modelId);
  const checks = (set?.requirements ?? [])
    .filter((req) => appliesTo(req, report))
    .map((req) => ({ requirement: req, result: checkRequirement(req, report) }));
  return {
    report,
    requirementSet: set ? { version: set.version, primaryMetric: set.primaryMetric } : null,
    checks,
  };
}
