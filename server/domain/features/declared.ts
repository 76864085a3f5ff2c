import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { modelFeatures, models, modelVersions } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { appendAudit } from "@/server/domain/audit";
import { authorize, type DomainContext } from "@/server/domain/context";
import { InvalidInputError, NotFoundError } from "@/server/domain/errors";
import { emitEvent } from "@/server/domain/events";
import { touchModel } from "@/server/domain/registry/activity";
import { currentReference } from "@/server/domain/references/store";
import { proposeFeatures, type DeclaredFeature } from "./propose";
import {
  applyProposalInput,
  modelFeaturesInput,
  removeFeatureInput,
  updateFeatureInput,
  type ApplyProposalInput,
  type RemoveFeatureInput,
  type UpdateFeatureInput,
} from "./schemas";

/**
 * A model's declared features: what ingestion checks each prediction's features against (missing, extra,
 * wrong type, new category) and what the drift pages call important. Proposed from a reference, edited
 * by a data scientist; every change is audited on the model and announced as `features.changed`.
 */
export async function declaredFeatures(tx: Tx | DomainContext["db"], modelId: string): Promise<DeclaredFeature[]> {
  return tx
    .select({
      name: modelFeatures.name,
      kind: modelFeatures.kind,
      important: modelFeatures.important,
      categories: modelFeatures.categories,
    })
    .from(modelFeatures)
    .where(eq(modelFeatures.modelId, modelId))
    .orderBy(asc(modelFeatures.name));
}

export async function listFeatures(ctx: DomainContext, raw: { model: string }) {
  authorize(ctx, "registry:read");
  const { model } = modelFeaturesInput.parse(raw);
  const [row] = await ctx.db.select({ id: models.id }).from(models).where(eq(models.name, model));
  if (!row) throw new NotFoundError(`Model "${model}"`);
  return { model, features: await declaredFeatures(ctx.db, row.id) };
}

/** Locks the model's row: edits of one model's declarations are recorded one after the other. */
async function lockModel(tx: Tx, name: string) {
  const [model] = await tx
    .select({ id: models.id, name: models.name })
    .from(models)
    .where(eq(models.name, name))
    .for("update");
  if (!model) throw new NotFoundError(`Model "${name}"`);
  return model;
}

async function recordChange(
  tx: Tx,
  actor: Principal,
  model: { id: string; name: string },
  action: string,
  before: unknown,
  after: unknown,
  names: string[],
) {
  await touchModel(tx, model.id);
  await appendAudit(tx, actor, { action, entityType: "model", entityId: model.name, before, after });
  await emitEvent(tx, "features.changed", { model: model.name, action, features: names });
}

/**
 * Declares what the version's current reference proposes: new features are added, declared ones take the
 * proposed kind and categories, importance stays as it was. Declared features the reference lacks stay.
 */
export async function applyFeatureProposal(ctx: DomainContext, raw: ApplyProposalInput) {
  const actor = authorize(ctx, "models:write");
  const input = applyProposalInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const model = await lockModel(tx, input.model);
    // Read, not locked: an upload locks the version and then touches the model, so locking both here
    // (model first) could deadlock with it. A reference set meanwhile is proposed from next time.
    const [version] = await tx
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)));
    if (!version) throw new NotFoundError(`Version ${input.version} of "${model.name}"`);
    const reference = await currentReference(tx, version.id);
    if (!reference?.profile)
      throw new InvalidInputError("version", `v${input.version} has no reference data to propose features from`);
    const declared = await declaredFeatures(tx, model.id);
    const proposal = proposeFeatures(reference.profile, reference.rowCount, declared);
    const toWrite = proposal.features.filter((f) => f.status !== "unchanged");
    if (toWrite.length === 0) return { model: model.name, changed: 0, features: declared };
    await tx
      .insert(modelFeatures)
      .values(
        toWrite.map((f) => ({
          modelId: model.id,
          name: f.name,
          kind: f.kind,
          important: f.important,
          categories: f.categories,
        })),
      )
      .onConflictDoUpdate({
        target: [modelFeatures.modelId, modelFeatures.name],
        set: { kind: sql`excluded.kind`, categories: sql`excluded.categories` },
      });
    const names = new Set(toWrite.map((f) => f.name));
    await recordChange(
      tx,
      actor,
      model,
      "features.declared",
      { features: declared.filter((d) => names.has(d.name)) },
      {
        reference: reference.id,
        version: input.version,
        features: toWrite.map(({ name, kind, categories, important }) => ({ name, kind, categories, important })),
      },
      [...names],
    );
    return { model: model.name, changed: toWrite.length, features: await declaredFeatures(tx, model.id) };
  });
}

/** Sets one declared feature's kind and importance. Categories are kept for a categorical one, dropped otherwise. */
export async function updateFeature(ctx: DomainContext, raw: UpdateFeatureInput) {
  const actor = authorize(ctx, "models:write");
  const input = updateFeatureInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const model = await lockModel(tx, input.model);
    const [before] = await tx
      .select()
      .from(modelFeatures)
      .where(and(eq(modelFeatures.modelId, model.id), eq(modelFeatures.name, input.name)));
    if (!before) throw new NotFoundError(`Feature "${input.name}" of "${model.name}"`);
    if (before.kind === input.kind && before.important === input.important)
      return { model: model.name, name: input.name, changed: false };
    const categories = input.kind === "categorical" ? before.categories : null;
    await tx
      .update(modelFeatures)
      .set({ kind: input.kind, important: input.important, categories })
      .where(eq(modelFeatures.id, before.id));
    await recordChange(
      tx,
      actor,
      model,
      "feature.updated",
      { name: before.name, kind: before.kind, important: before.important },
      { name: before.name, kind: input.kind, important: input.important },
      [before.name],
    );
    return { model: model.name, name: input.name, changed: true };
  });
}

/** Stops declaring a feature (ingestion then counts it as an extra feature when traffic still carries it). */
export async function removeFeature(ctx: DomainContext, raw: RemoveFeatureInput) {
  const actor = authorize(ctx, "models:write");
  const input = removeFeatureInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const model = await lockModel(tx, input.model);
    const [removed] = await tx
      .delete(modelFeatures)
      .where(and(eq(modelFeatures.modelId, model.id), eq(modelFeatures.name, input.name)))
      .returning();
    if (!removed) throw new NotFoundError(`Feature "${input.name}" of "${model.name}"`);
    await recordChange(
      tx,
      actor,
      model,
      "feature.removed",
      { name: removed.name, kind: removed.kind, important: removed.important, categories: removed.categories },
      null,
      [removed.name],
    );
    return { model: model.name, name: input.name, removed: true };
  });
}
