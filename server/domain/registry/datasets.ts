import { and, asc, count, desc, eq, ilike, sql } from "drizzle-orm";
import { z } from "zod";
import { datasets, evaluationReports, models, modelVersions } from "@/db/schema";
import { coercedPositiveInt32 } from "../ints";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError } from "../errors";
import { datasetRole, modelName, registerDatasetInput, sortDirection, type RegisterDatasetInput } from "./schemas";

/**
 * Records a dataset as the next version of its name. Idempotent: posting the same name and hash again
 * returns the version already recorded (`created: false`) instead of making a duplicate.
 */
export async function registerDataset(ctx: DomainContext, raw: RegisterDatasetInput) {
  const actor = authorize(ctx, "datasets:write");
  const input = registerDatasetInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    // Serialize versions of one name without a table lock: a transaction-scoped advisory lock on its hash.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"dataset:" + input.name}))`);
    const [existing] = await tx
      .select()
      .from(datasets)
      .where(and(eq(datasets.name, input.name), eq(datasets.hash, input.hash)));
    if (existing) {
      const same =
        existing.role === input.role &&
        existing.rowCount === input.rowCount &&
        existing.uri === input.uri &&
        (existing.periodStart ?? undefined) === input.periodStart &&
        (existing.periodEnd ?? undefined) === input.periodEnd;
      if (!same) {
        throw new ConflictError(
          `Dataset ${input.name} v${existing.version} already has hash ${input.hash} with different details; ` +
            `a new version needs new content (a new hash).`,
        );
      }
      return { dataset: existing, created: false };
    }
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${datasets.version}), 0)::int + 1` })
      .from(datasets)
      .where(eq(datasets.name, input.name));
    const [created] = await tx
      .insert(datasets)
      .values({
        ...input,
        version: next,
        createdByUserId: actor.kind === "user" ? actor.id : null,
        createdByApiKeyId: actor.kind === "apiKey" ? actor.id : null,
      })
      .returning();
    if (!created) throw new Error("insert returned no row");
    await appendAudit(tx, actor, {
      action: "dataset.created",
      entityType: "dataset",
      entityId: `${created.name}@${created.version}`,
      after: created,
    });
    return { dataset: created, created: true };
  });
}

export const DATASET_SORTS = ["name", "createdAt", "rowCount"] as const;
export const listDatasetsInput = z.object({
  search: z.string().max(100).default(""),
  role: datasetRole.optional(),
  /** The model whose own datasets (names it trained or was evaluated on) come first, for the version form. */
  model: modelName.optional(),
  sort: z.enum(DATASET_SORTS).default("name"),
  dir: sortDirection.default("asc"),
  page: coercedPositiveInt32().default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(200),
});

/**
 * A page of datasets, filtered and sorted in the database, with the total. With `model`, the datasets of
 * names that model already used (for training or in a report) come first and say so (`ownedByModel`).
 */
export async function listDatasets(ctx: DomainContext, raw: z.input<typeof listDatasetsInput>) {
  authorize(ctx, "registry:read");
  const input = listDatasetsInput.parse(raw);
  const term = input.search.replace(/[%_\\]/g, (c) => `\\${c}`);
  const where = and(
    term ? ilike(datasets.name, `%${term}%`) : undefined,
    input.role ? eq(datasets.role, input.role) : undefined,
  );
  const owned = input.model
    ? sql<boolean>`${datasets.name} in (
        select d.name from ${datasets} d join ${modelVersions} v on v.training_dataset_id = d.id join ${models} m on m.id = v.model_id where m.name = ${input.model}
        union
        select d.name from ${datasets} d join ${evaluationReports} r on r.dataset_id = d.id join ${modelVersions} v on v.id = r.model_version_id
          join ${models} m on m.id = v.model_id where m.name = ${input.model}
      )`
    : null;
  const by = input.dir === "asc" ? asc : desc;
  const key =
    input.sort === "createdAt" ? datasets.createdAt : input.sort === "rowCount" ? datasets.rowCount : datasets.name;
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({ dataset: datasets, ownedByModel: owned ?? sql<boolean>`false` })
      .from(datasets)
      .where(where)
      .orderBy(...(owned ? [desc(owned)] : []), by(key), asc(datasets.name), desc(datasets.version))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db.select({ n: count() }).from(datasets).where(where),
  ]);
  return {
    datasets: rows.map((r) => ({ ...r.dataset, ownedByModel: r.ownedByModel })),
    total: total?.n ?? 0,
    page: input.page,
    pageSize: input.pageSize,
  };
}
