import { and, asc, desc, eq, ilike, sql } from "drizzle-orm";
import { z } from "zod";
import { datasets } from "@/db/schema";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError } from "../errors";
import { registerDatasetInput, type RegisterDatasetInput } from "./schemas";

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

export const listDatasetsInput = z.object({
  search: z.string().max(100).default(""),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export async function listDatasets(ctx: DomainContext, raw: z.input<typeof listDatasetsInput>) {
  authorize(ctx, "registry:read");
  const input = listDatasetsInput.parse(raw);
  return ctx.db
    .select()
    .from(datasets)
    .where(input.search ? ilike(datasets.name, `%${input.search}%`) : undefined)
    .orderBy(asc(datasets.name), desc(datasets.version))
    .limit(input.limit);
}
