import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { models, modelVersions, predictionReferences, type ReferenceProfile } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { appendAudit } from "@/server/domain/audit";
import { emitEvent } from "@/server/domain/events";
import { NotFoundError } from "@/server/domain/errors";
import { pgArray } from "@/server/domain/predictions/pg-array";
import { touchModel } from "@/server/domain/registry/activity";
import type { StoredRows } from "./stored-rows";

export interface VersionRow {
  id: string;
  modelId: string;
  model: string;
  version: number;
  task: "binary_classification" | "multiclass_classification" | "regression";
}

/**
 * The version, locked: two references set for one version at once are recorded one after the other,
 * each replacing the one before (the partial unique index would refuse the second otherwise).
 */
export async function lockVersion(tx: Tx, model: string, version: number): Promise<VersionRow> {
  const [row] = await tx
    .select({
      id: modelVersions.id,
      modelId: models.id,
      model: models.name,
      version: modelVersions.version,
      task: models.task,
    })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, model), eq(modelVersions.version, version)))
    .for("update", { of: modelVersions });
  if (!row) throw new NotFoundError(`Version ${version} of "${model}"`);
  return row;
}

export async function currentReference(tx: Tx, versionId: string) {
  const [row] = await tx
    .select()
    .from(predictionReferences)
    .where(and(eq(predictionReferences.modelVersionId, versionId), isNull(predictionReferences.replacedAt)));
  return row ?? null;
}

/** The same rows hash the same, whichever format they came in (CSV or JSON with the same columns in order). */
export function hashRows(rows: StoredRows): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(rows.features));
  h.update(JSON.stringify(rows.predictionNumbers));
  h.update(JSON.stringify(rows.predictionLabels));
  h.update(JSON.stringify(rows.targets));
  return h.digest("hex");
}

// Bounds the size of one statement's parameters (a 100,000-row reference is ten INSERTs, not 100,000).
const INSERT_CHUNK = 10_000;

/** Inserts the rows as a few bulk statements: each column one array parameter, unnested in lockstep. */
export async function insertRows(tx: Tx, referenceId: string, rows: StoredRows): Promise<void> {
  for (let start = 0; start < rows.features.length; start += INSERT_CHUNK) {
    const end = Math.min(start + INSERT_CHUNK, rows.features.length);
    const indexes = Array.from({ length: end - start }, (_, k) => start + k);
    const featuresJson = JSON.stringify(rows.features.slice(start, end));
    await tx.execute(sql`
      insert into reference_rows (reference_id, row_index, features, prediction_number, prediction_label, target)
      select ${referenceId}::uuid, r.i, r.f, r.n, r.l, r.t from unnest(
        ${pgArray(indexes)}::int[],
        array(select f from jsonb_array_elements(${featuresJson}::jsonb) with ordinality as e(f, n) order by n),
        ${pgArray(rows.predictionNumbers.slice(start, end))}::float8[],
        ${pgArray(rows.predictionLabels.slice(start, end))}::text[],
        ${pgArray(rows.targets.slice(start, end))}::text[]) as r(i, f, n, l, t)`);
  }
}

export interface NewReference {
  source: "upload" | "window";
  fileName?: string | null;
  windowFrom?: Date | null;
  windowTo?: Date | null;
  rowCount: number;
  contentHash: string;
  profile: ReferenceProfile | null;
}

export type ReferenceRecord = typeof predictionReferences.$inferSelect;

/** What the audit entry and the webhook say about a reference. */
export function describeReference(r: ReferenceRecord) {
  return {
    id: r.id,
    source: r.source,
    rowCount: r.rowCount,
    ...(r.source === "upload"
      ? { fileName: r.fileName }
      : { windowFrom: r.windowFrom?.toISOString(), windowTo: r.windowTo?.toISOString() }),
    columns: r.profile?.columns.map((c) => c.name) ?? null,
  };
}

/**
 * Makes `created` the version's reference: the current one (if any) is marked replaced, the new header
 * is inserted, `fill` writes its rows, and the change is audited and announced, all in the caller's
 * transaction. The replaced reference and its rows stay for the windows computed against them.
 */
export async function replaceReference(
  tx: Tx,
  actor: Principal,
  version: VersionRow,
  previous: ReferenceRecord | null,
  created: NewReference,
  fill: (referenceId: string) => Promise<ReferenceProfile | null | void>,
): Promise<ReferenceRecord> {
  if (previous) {
    await tx
      .update(predictionReferences)
      .set({ replacedAt: sql`now()` })
      .where(eq(predictionReferences.id, previous.id));
  }
  const [inserted] = await tx
    .insert(predictionReferences)
    .values({
      modelVersionId: version.id,
      source: created.source,
      fileName: created.fileName ?? null,
      windowFrom: created.windowFrom ?? null,
      windowTo: created.windowTo ?? null,
      rowCount: created.rowCount,
      contentHash: created.contentHash,
      profile: created.profile,
      createdBy: actor.kind === "user" ? actor.id : actor.kind === "apiKey" ? actor.ownerUserId : null,
    })
    .returning();
  let reference = inserted!;
  const profile = await fill(reference.id);
  if (profile) {
    const [updated] = await tx
      .update(predictionReferences)
      .set({ profile })
      .where(eq(predictionReferences.id, reference.id))
      .returning();
    reference = updated!;
  }
  await touchModel(tx, version.modelId);
  await appendAudit(tx, actor, {
    action: "reference.set",
    entityType: "model_version",
    entityId: `${version.model}@${version.version}`,
    before: previous ? { reference: describeReference(previous) } : null,
    after: { reference: describeReference(reference) },
  });
  await emitEvent(tx, "reference.changed", {
    model: version.model,
    version: version.version,
    reference: describeReference(reference),
    replaced: previous?.id ?? null,
  });
  return reference;
}
