import { and, eq } from "drizzle-orm";
import { models, modelVersions } from "@/db/schema";
import { appendAudit } from "../audit";
import { touchModel } from "./activity";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { modelTagsInput, versionTagsInput, type ModelTagsInput, type VersionTagsInput } from "./list-schemas";
import { findModelOrThrow } from "./models";
import { MAX_TAGS } from "./schemas";

/** Pure: the tags after adding and removing, in the order they were first added, without duplicates. */
export function applyTagChange(
  current: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): string[] {
  const removed = new Set(remove);
  return [...new Set([...current, ...add])].filter((t) => !removed.has(t));
}

/** Adds and removes tags on a model; the audit entry records the tags before and after. */
export async function changeModelTags(ctx: DomainContext, raw: ModelTagsInput) {
  const actor = authorize(ctx, "models:write");
  const input = modelTagsInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  return ctx.db.transaction(async (tx) => {
    // Locked, so two editors' changes both land instead of the second overwriting the first.
    const [row] = await tx.select({ tags: models.tags }).from(models).where(eq(models.id, model.id)).for("update");
    const after = applyOrRefuse(row!.tags, input, "model");
    if (!after) return { tags: row!.tags };
    await tx.update(models).set({ tags: after }).where(eq(models.id, model.id));
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: "model.tags_changed",
      entityType: "model",
      entityId: model.name,
      before: { tags: row!.tags },
      after: { tags: after },
    });
    return { tags: after };
  });
}

/** Adds and removes tags on one version of a model, audited like the model's own. */
export async function changeVersionTags(ctx: DomainContext, raw: VersionTagsInput) {
  const actor = authorize(ctx, "versions:write");
  const input = versionTagsInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: modelVersions.id, tags: modelVersions.tags })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)))
      .for("update");
    if (!row) throw new NotFoundError(`Version ${input.version} of "${model.name}"`);
    const after = applyOrRefuse(row.tags, input, "version");
    if (!after) return { tags: row.tags };
    await tx.update(modelVersions).set({ tags: after }).where(eq(modelVersions.id, row.id));
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: "version.tags_changed",
      entityType: "model_version",
      entityId: `${model.name}@${input.version}`,
      before: { tags: row.tags },
      after: { tags: after },
    });
    return { tags: after };
  });
}

/** The new tags, null when nothing changes (no audit entry for a no-op); refuses more than MAX_TAGS. */
function applyOrRefuse(current: string[], change: { add: string[]; remove: string[] }, what: "model" | "version") {
  const after = applyTagChange(current, change.add, change.remove);
  if (after.length > MAX_TAGS) throw new InvalidInputError("add", `at most ${MAX_TAGS} tags per ${what}`);
  return after.length === current.length && after.every((t, i) => t === current[i]) ? null : after;
}
