import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { feedbackAdjudications, feedbackItems, feedbackLabels, models, modelVersions, users } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { queueLiveAccuracyCheck } from "../feedback-accuracy/alert-job";
import { authorize, type DomainContext } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { findModelOrThrow } from "../registry/models";
import { adjudicateInput, conflictsInput, itemInput, type AdjudicateInput } from "./schemas";
import { normalizeLabel } from "./submit";

/** Items whose labels disagree, oldest first, with every label and who gave it: the adjudication worklist. */
export async function listConflicts(ctx: DomainContext, raw?: unknown) {
  authorize(ctx, "feedback:adjudicate");
  const input = conflictsInput.parse(raw ?? {});
  const modelId = input.model ? (await findModelOrThrow(ctx, input.model)).id : null;
  const where = and(eq(feedbackItems.status, "conflict"), modelId ? eq(feedbackItems.modelId, modelId) : undefined);
  const [total] = await ctx.db.select({ n: count() }).from(feedbackItems).where(where);
  const items = await ctx.db
    .select({
      id: feedbackItems.id,
      model: models.name,
      task: models.task,
      classes: models.labels,
      version: modelVersions.version,
      externalId: feedbackItems.externalId,
      predictedAt: feedbackItems.predictedAt,
      features: feedbackItems.features,
      prediction: sql<string>`coalesce(${feedbackItems.predictionLabel}, ${feedbackItems.predictionNumber}::text)`,
      confidence: feedbackItems.confidence,
    })
    .from(feedbackItems)
    .innerJoin(models, eq(models.id, feedbackItems.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, feedbackItems.modelVersionId))
    .where(where)
    .orderBy(asc(feedbackItems.id))
    .limit(input.limit)
    .offset(input.offset);
  const labels = items.length
    ? await ctx.db
        .select({
          itemId: feedbackLabels.itemId,
          reviewer: users.name,
          label: sql<string>`coalesce(${feedbackLabels.label}, ${feedbackLabels.labelNumber}::text)`,
          note: feedbackLabels.note,
          flags: feedbackLabels.flags,
          guidelineVersion: feedbackLabels.guidelineVersion,
        })
        .from(feedbackLabels)
        .innerJoin(users, eq(users.id, feedbackLabels.reviewerId))
        .where(
          inArray(
            feedbackLabels.itemId,
            items.map((i) => i.id),
          ),
        )
        .orderBy(asc(feedbackLabels.id))
    : [];
  return {
    total: Number(total?.n ?? 0),
    items: items.map((i) => ({ ...i, labels: labels.filter((l) => l.itemId === i.id) })),
  };
}

/** Settles an item's conflicting labels: the adjudicated label is the one that counts (audited). */
export async function adjudicate(ctx: DomainContext, raw: AdjudicateInput) {
  const actor = authorize(ctx, "feedback:adjudicate");
  const input = adjudicateInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ item: feedbackItems, task: models.task, classes: models.labels, model: models.name })
      .from(feedbackItems)
      .innerJoin(models, eq(models.id, feedbackItems.modelId))
      .where(eq(feedbackItems.id, input.itemId))
      .for("update", { of: feedbackItems });
    if (!row) throw new NotFoundError(`Review item ${input.itemId}`);
    if (row.item.status !== "conflict")
      throw new ConflictError(
        row.item.status === "resolved"
          ? `Item ${input.itemId} is already resolved (label "${row.item.resolvedLabel}").`
          : `Item ${input.itemId} has no conflicting labels yet.`,
      );
    const label = normalizeLabel(row.task, row.classes, input.label);
    const resolved = label.text ?? String(label.number);
    await tx.insert(feedbackAdjudications).values({
      itemId: row.item.id,
      label: resolved,
      note: input.note ?? "",
      decidedBy: actor.kind === "user" ? actor.id : null,
      decidedByLabel: principalLabel(actor),
    });
    await tx
      .update(feedbackItems)
      .set({ status: "resolved", resolvedLabel: resolved })
      .where(eq(feedbackItems.id, row.item.id));
    await queueLiveAccuracyCheck(tx, row.item.modelId);
    await appendAudit(tx, actor, {
      action: "feedback.adjudicated",
      entityType: "feedback_item",
      entityId: String(row.item.id),
      before: { status: "conflict" },
      after: { model: row.model, label: resolved, note: input.note ?? "" },
    });
    return { itemId: row.item.id, label: resolved };
  });
}

/**
 * Makes a resolved item a gold item: a copy with its resolved label as the known answer, served to every
 * reviewer once (at the policy's gold share) to measure them. The original keeps counting for accuracy.
 */
export async function markGold(ctx: DomainContext, raw: unknown) {
  const actor = authorize(ctx, "feedback:policy");
  const { itemId } = itemInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [item] = await tx.select().from(feedbackItems).where(eq(feedbackItems.id, itemId));
    if (!item) throw new NotFoundError(`Review item ${itemId}`);
    if (item.reason === "gold") throw new ConflictError(`Item ${itemId} is already a gold item.`);
    if (item.status !== "resolved" || item.resolvedLabel === null)
      throw new ConflictError(`Item ${itemId} has no resolved label yet: only a settled answer can be gold.`);
    const copy: Partial<typeof item> = { ...item };
    delete copy.id;
    delete copy.createdAt;
    const [gold] = await tx
      .insert(feedbackItems)
      .values({
        ...(copy as Omit<typeof item, "id" | "createdAt">),
        reason: "gold",
        goldLabel: item.resolvedLabel,
        status: "open",
        labelCount: 0,
        requiredLabels: 1,
        resolvedLabel: null,
        disagreement: null,
      })
      .returning({ id: feedbackItems.id });
    await appendAudit(tx, actor, {
      action: "feedback.gold_added",
      entityType: "feedback_item",
      entityId: String(gold!.id),
      after: { from: itemId, goldLabel: item.resolvedLabel },
    });
    return { itemId: gold!.id, goldLabel: item.resolvedLabel };
  });
}
