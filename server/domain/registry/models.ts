import { and, arrayContains, asc, count, desc, eq, ilike, max, or, sql, type SQL } from "drizzle-orm";
import { datasets, models, modelVersions, users, apiKeys } from "@/db/schema";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { createModelInput, listModelsInput, type CreateModelInput, type ListModelsInput } from "./schemas";
import { authorLabel } from "../authorship";

export async function listModels(ctx: DomainContext, raw: ListModelsInput) {
  authorize(ctx, "registry:read");
  const input = listModelsInput.parse(raw);
  // A wildcard typed into the search box is a character, not "everything".
  const term = input.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  const where = and(
    term
      ? or(ilike(models.name, `%${term}%`), ilike(models.description, `%${term}%`), ilike(models.owner, `%${term}%`))
      : undefined,
    input.tag ? arrayContains(models.tags, [input.tag]) : undefined,
  );
  const champion = ctx.db
    .select({ modelId: modelVersions.modelId, version: modelVersions.version })
    .from(modelVersions)
    .where(eq(modelVersions.stage, "champion"))
    .as("champion");
  const versionCounts = ctx.db
    .select({ modelId: modelVersions.modelId, n: count().as("n"), latest: max(modelVersions.version).as("latest") })
    .from(modelVersions)
    .groupBy(modelVersions.modelId)
    .as("version_counts");
  const [rows, [total], tagRows] = await Promise.all([
    ctx.db
      .select({
        id: models.id,
        name: models.name,
        task: models.task,
        owner: models.owner,
        description: models.description,
        lastActivityAt: models.lastActivityAt,
        tags: models.tags,
        championVersion: champion.version,
        versionCount: sql<number>`coalesce(${versionCounts.n}, 0)::int`,
        latestVersion: versionCounts.latest,
      })
      .from(models)
      .leftJoin(champion, eq(champion.modelId, models.id))
      .leftJoin(versionCounts, eq(versionCounts.modelId, models.id))
      .where(where)
      .orderBy(...modelOrder(input.sort, input.dir, sql`coalesce(${versionCounts.n}, 0)`))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db.select({ n: count() }).from(models).where(where),
    // Every tag in use, for the filter's choices.
    ctx.db.execute<{ tag: string }>(sql`select distinct unnest(${models.tags}) as tag from ${models} order by 1`),
  ]);
  return {
    models: rows,
    total: total?.n ?? 0,
    page: input.page,
    pageSize: input.pageSize,
    tagsInUse: tagRows.rows.map((r) => r.tag),
  };
}

/** The requested order, then the name, so equal keys keep one stable order across pages. */
function modelOrder(sort: ListModelsOutput["sort"], dir: "asc" | "desc", versionCount: SQL): SQL[] {
  const by = dir === "asc" ? asc : desc;
  const key = sort === "name" ? models.name : sort === "versions" ? versionCount : models.lastActivityAt;
  return sort === "name" ? [by(key)] : [by(key), asc(models.name)];
}
type ListModelsOutput = ReturnType<typeof listModelsInput.parse>;

/** Used by domain functions that act on a model by name; throws a 404-mapped error if absent. */
export async function findModelOrThrow(ctx: DomainContext, name: string) {
  const [model] = await ctx.db.select().from(models).where(eq(models.name, name));
  if (!model) throw new NotFoundError(`Model "${name}"`);
  return model;
}

export async function getModel(ctx: DomainContext, name: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, name);
  const versions = await ctx.db
    .select({
      id: modelVersions.id,
      version: modelVersions.version,
      stage: modelVersions.stage,
      createdAt: modelVersions.createdAt,
      codeCommit: modelVersions.codeCommit,
      description: modelVersions.description,
      tags: modelVersions.tags,
      archivedAt: modelVersions.archivedAt,
      author: authorLabel,
      trainingDataset: sql<string | null>`${datasets.name} || ' v' || ${datasets.version}`,
    })
    .from(modelVersions)
    .leftJoin(users, eq(users.id, modelVersions.authorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, modelVersions.authorApiKeyId))
    .leftJoin(datasets, eq(datasets.id, modelVersions.trainingDatasetId))
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(desc(modelVersions.version));
  return { model, versions, champion: versions.find((v) => v.stage === "champion") ?? null };
}

export async function createModel(ctx: DomainContext, raw: CreateModelInput) {
  const actor = authorize(ctx, "models:write");
  const input = createModelInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx.insert(models).values(input).onConflictDoNothing({ target: models.name }).returning();
    if (!created) throw new ConflictError(`A model named "${input.name}" already exists.`);
    await appendAudit(tx, actor, {
      action: "model.created",
      entityType: "model",
      entityId: created.name,
      after: created,
    });
    return created;
  });
}
