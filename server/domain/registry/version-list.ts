import { and, arrayContains, asc, count, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { apiKeys, datasets, evaluationReports, modelVersions, users } from "@/db/schema";
import { authorLabel } from "../authorship";
import { authorize, type DomainContext } from "../context";
import { listVersionsInput, type ListVersionsInput, type MetricFilter } from "./list-schemas";
import { findModelOrThrow } from "./models";

/** The value of one metric in a report's `metrics` jsonb, as a number (null when the report lacks it). */
const metricValue = (metric: string) =>
  sql<number | null>`(${evaluationReports.metrics} -> ${metric} ->> 'value')::double precision`;

/**
 * The best value of the filtered metric among the version's overall (unsliced) reports of the kind: the
 * highest for "≥", the lowest for "≤", so the value shown is the one that decided the match.
 */
function bestMetric(filter: MetricFilter) {
  const aggregate = filter.op === "gte" ? sql`max` : sql`min`;
  return sql<number | null>`(
    select ${aggregate}(${metricValue(filter.metric)}) from ${evaluationReports}
    where ${evaluationReports.modelVersionId} = ${modelVersions.id}
      and ${evaluationReports.kind} = ${filter.kind} and ${evaluationReports.slice} = ''
  )`;
}

const STAGE_ORDER = sql`case ${modelVersions.stage} when 'champion' then 0 when 'challenger' then 1 when 'candidate' then 2 else 3 end`;

/**
 * One page of a model's versions, filtered (tag, stage, archived, a metric bound on a report kind) and
 * sorted in the database, with the total that matches, so the table can page without loading them all.
 */
export async function listVersions(ctx: DomainContext, raw: ListVersionsInput) {
  authorize(ctx, "registry:read");
  const input = listVersionsInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const best = input.metric ? bestMetric(input.metric) : null;
  const where = and(
    eq(modelVersions.modelId, model.id),
    input.archived === "hide" ? isNull(modelVersions.archivedAt) : undefined,
    input.tag ? arrayContains(modelVersions.tags, [input.tag]) : undefined,
    input.stage ? eq(modelVersions.stage, input.stage) : undefined,
    best && input.metric
      ? input.metric.op === "gte"
        ? sql`${best} >= ${input.metric.value}`
        : sql`${best} <= ${input.metric.value}`
      : undefined,
  );
  const by = input.dir === "asc" ? asc : desc;
  const order: SQL[] =
    input.sort === "createdAt"
      ? [by(modelVersions.createdAt), by(modelVersions.version)]
      : input.sort === "stage"
        ? [by(STAGE_ORDER), desc(modelVersions.version)]
        : [by(modelVersions.version)];
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({
        id: modelVersions.id,
        version: modelVersions.version,
        stage: modelVersions.stage,
        createdAt: modelVersions.createdAt,
        codeCommit: modelVersions.codeCommit,
        tags: modelVersions.tags,
        archivedAt: modelVersions.archivedAt,
        author: authorLabel,
        trainingDataset: sql<string | null>`${datasets.name} || ' v' || ${datasets.version}`,
        metricValue: best ?? sql<number | null>`null::double precision`,
      })
      .from(modelVersions)
      .leftJoin(users, eq(users.id, modelVersions.authorUserId))
      .leftJoin(apiKeys, eq(apiKeys.id, modelVersions.authorApiKeyId))
      .leftJoin(datasets, eq(datasets.id, modelVersions.trainingDatasetId))
      .where(where)
      .orderBy(...order)
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db.select({ n: count() }).from(modelVersions).where(where),
  ]);
  return { versions: rows, total: total?.n ?? 0, page: input.page, pageSize: input.pageSize };
}
