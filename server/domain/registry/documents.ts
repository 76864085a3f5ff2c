import { and, eq } from "drizzle-orm";
import { models, modelVersions } from "@/db/schema";
import { appendAudit } from "../audit";
import { touchModel } from "./activity";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";
import {
  updateModelCardInput,
  updateVersionNotesInput,
  type UpdateModelCardInput,
  type UpdateVersionNotesInput,
} from "./schemas";

/**
 * The Markdown written about a model (its card) and about each version (notes). Whoever may register
 * models edits the card; whoever may register versions edits the notes. Every edit is audited with the
 * text before and after, since a card records intended use and known limits people rely on.
 */
export async function updateModelCard(ctx: DomainContext, raw: UpdateModelCardInput) {
  const actor = authorize(ctx, "models:write");
  const input = updateModelCardInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    // Locked, so two concurrent edits are recorded one after the other with the right "before".
    const [model] = await tx
      .select({ id: models.id, name: models.name, card: models.card })
      .from(models)
      .where(eq(models.name, input.model))
      .for("update");
    if (!model) throw new NotFoundError(`Model "${input.model}"`);
    if (model.card === input.card) return { model: model.name, card: model.card, changed: false };
    await tx.update(models).set({ card: input.card }).where(eq(models.id, model.id));
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: "model.card_updated",
      entityType: "model",
      entityId: model.name,
      before: { card: model.card },
      after: { card: input.card },
    });
    return { model: model.name, card: input.card, changed: true };
  });
}

export async function updateVersionNotes(ctx: DomainContext, raw: UpdateVersionNotesInput) {
  const actor = authorize(ctx, "versions:write");
  const input = updateVersionNotesInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    // Inside the transaction (PGlite has one connection: a query outside it would wait for it forever).
    const [model] = await tx
      .select({ id: models.id, name: models.name })
      .from(models)
      .where(eq(models.name, input.model));
    if (!model) throw new NotFoundError(`Model "${input.model}"`);
    const [version] = await tx
      .select({ id: modelVersions.id, notes: modelVersions.notes })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)))
      .for("update");
    if (!version) throw new NotFoundError(`Version ${input.version} of "${input.model}"`);
    const entityId = `${model.name}@${input.version}`;
    if (version.notes === input.notes)
      return { model: model.name, version: input.version, notes: version.notes, changed: false };
    await tx.update(modelVersions).set({ notes: input.notes }).where(eq(modelVersions.id, version.id));
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: "version.notes_updated",
      entityType: "model_version",
      entityId,
      before: { notes: version.notes },
      after: { notes: input.notes },
    });
    return { model: model.name, version: input.version, notes: input.notes, changed: true };
  });
}
