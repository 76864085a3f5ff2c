import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { apiKeys, datasets, models, modelVersions, releases, users } from "@/db/schema";
import { appendAudit } from "../audit";
import { touchModel } from "./activity";
import { emitEvent } from "../events";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { findModelOrThrow } from "./models";
import { registerVersionInput, type RegisterVersionInput } from "./schemas";
import { authorLabel } from "../authorship";
import { diffConfigs } from "./config-diff";

/**
 * Registers the next version of a model. The model row is locked for the transaction so concurrent
 * registrations get consecutive numbers with no gap and no duplicate (the unique index backs this up).
 */
export async function registerVersion(ctx: DomainContext, modelName: string, raw: RegisterVersionInput) {
  const actor = authorize(ctx, "versions:write");
  const input = registerVersionInput.parse(raw);
  const model = await findModelOrThrow(ctx, modelName);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${models} where id = ${model.id} for update`);

    let trainingDatasetId: string | null = null;
    if (input.trainingDataset) {
      const [ds] = await tx
        .select({ id: datasets.id })
        .from(datasets)
        .where(and(eq(datasets.name, input.trainingDataset.name), eq(datasets.version, input.trainingDataset.version)));
      if (!ds) {
        throw new InvalidInputError(
          "trainingDataset",
          `dataset ${input.trainingDataset.name} v${input.trainingDataset.version} is not registered; register it first`,
        );
      }
      trainingDatasetId = ds.id;
    }
    let parentVersionId: string | null = null;
    if (input.parentVersion !== undefined) {
      const [parent] = await tx
        .select({ id: modelVersions.id })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.parentVersion)));
      if (!parent) throw new InvalidInputError("parentVersion", `${modelName} has no version ${input.parentVersion}`);
      parentVersionId = parent.id;
    }

    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${modelVersions.version}), 0)::int + 1` })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model.id));
    const [created] = await tx
      .insert(modelVersions)
      .values({
        modelId: model.id,
        version: next,
        artifactUri: input.artifactUri,
        artifactSha256: input.artifactSha256,
        config: input.config,
        hyperparameters: input.hyperparameters,
        trainingDatasetId,
        parentVersionId,
        codeCommit: input.codeCommit ?? null,
        description: input.description,
        authorUserId: actor.kind === "user" ? actor.id : null,
        authorApiKeyId: actor.kind === "apiKey" ? actor.id : null,
      })
      .returning();
    if (!created) throw new Error("insert returned no row");
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: "version.created",
      entityType: "model_version",
      entityId: `${modelName}@${created.version}`,
      after: created,
    });
    await emitEvent(tx, "version.created", {
      model: modelName,
      version: created.version,
      artifactSha256: created.artifactSha256,
    });
    return { ...created, modelName };
  });
}

async function loadVersion(ctx: DomainContext, modelId: string, version: number) {
  const [row] = await ctx.db
    .select({
      version: modelVersions,
      author: authorLabel,
      dataset: datasets,
    })
    .from(modelVersions)
    .leftJoin(users, eq(users.id, modelVersions.authorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, modelVersions.authorApiKeyId))
    .leftJoin(datasets, eq(datasets.id, modelVersions.trainingDatasetId))
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, version)));
  return row ?? null;
}

export async function getVersion(ctx: DomainContext, modelName: string, version: number) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const row = await loadVersion(ctx, model.id, version);
  if (!row) throw new NotFoundError(`Version ${version} of "${modelName}"`);
  const lineage = await versionLineage(ctx, row.version.parentVersionId);
  return { model, ...row.version, author: row.author, trainingDataset: row.dataset, lineage };
}

/** The chain of parent versions, newest first, so a reader sees what this version was derived from. */
async function versionLineage(ctx: DomainContext, parentId: string | null) {
  const chain: { version: number; createdAt: Date; codeCommit: string | null }[] = [];
  let next = parentId;
  while (next && chain.length < 50) {
    const [parent] = await ctx.db
      .select({
        version: modelVersions.version,
        createdAt: modelVersions.createdAt,
        codeCommit: modelVersions.codeCommit,
        parent: modelVersions.parentVersionId,
      })
      .from(modelVersions)
      .where(eq(modelVersions.id, next));
    if (!parent) break;
    chain.push({ version: parent.version, createdAt: parent.createdAt, codeCommit: parent.codeCommit });
    next = parent.parent;
  }
  return chain;
}

export { diffConfigs, type ConfigChange } from "./config-diff";

export async function diffVersions(ctx: DomainContext, modelName: string, from: number, to: number) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const [a, b] = await Promise.all([loadVersion(ctx, model.id, from), loadVersion(ctx, model.id, to)]);
  if (!a) throw new NotFoundError(`Version ${from} of "${modelName}"`);
  if (!b) throw new NotFoundError(`Version ${to} of "${modelName}"`);
  return {
    from,
    to,
    config: diffConfigs(a.version.config, b.version.config),
    hyperparameters: diffConfigs(a.version.hyperparameters, b.version.hyperparameters),
  };
}

const servingView = (v: typeof modelVersions.$inferSelect) => ({
  version: v.version,
  artifactUri: v.artifactUri,
  artifactSha256: v.artifactSha256,
  config: v.config,
  hyperparameters: v.hyperparameters,
});

/**
 * What serving systems ask: the champion and its config, and the challenger with the strategy and
 * traffic share of the release that made it one (canary: route `share` of traffic; shadow: mirror).
 */
export async function getChampion(ctx: DomainContext, modelName: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const serving = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), inArray(modelVersions.stage, ["champion", "challenger"])));
  const champion = serving.find((v) => v.stage === "champion");
  const challenger = serving.find((v) => v.stage === "challenger");
  const [release] = challenger
    ? await ctx.db
        .select({ strategy: releases.strategy, share: releases.share, effectiveAt: releases.effectiveAt })
        .from(releases)
        .where(and(eq(releases.toVersionId, challenger.id), eq(releases.status, "approved")))
        .orderBy(desc(releases.effectiveAt))
        .limit(1)
    : [];
  return {
    model: { name: model.name, task: model.task, labels: model.labels },
    champion: champion ? servingView(champion) : null,
    challenger: challenger
      ? {
          ...servingView(challenger),
          strategy: release?.strategy ?? null,
          share: release?.strategy === "shadow" ? 0 : (release?.share ?? null),
        }
      : null,
  };
}
