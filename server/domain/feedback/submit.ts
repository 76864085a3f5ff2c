import { and, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  feedbackClaims,
  feedbackItems,
  feedbackLabels,
  feedbackPolicies,
  labelingGuidelines,
  models,
} from "@/db/schema";
import { appendAudit } from "../audit";
import { queueLiveAccuracyCheck } from "../feedback-accuracy/alert-job";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { heldClaimOrRefuse, reviewerId } from "./claims";
import { defaultPolicy } from "./policy";
import { submitInput, type SubmitInput } from "./schemas";

type Task = "binary_classification" | "multiclass_classification" | "regression";

/** The label as stored: a class (text) for a classifier, a number for regression; refused when it fits neither. */
export function normalizeLabel(
  task: Task,
  classes: readonly string[],
  label: string | number,
  field = "label",
): { text: string | null; number: number | null } {
  if (task === "regression") {
    const n = typeof label === "number" ? label : Number(label);
    if (!Number.isFinite(n)) throw new InvalidInputError(field, "this is a regression model: send a number");
    return { text: null, number: n };
  }
  if (typeof label === "number" && !Number.isInteger(label))
    throw new InvalidInputError(field, "this is a classifier: send the class, not a fraction");
  const text = String(label);
  if (classes.length > 0 && !classes.includes(text))
    throw new InvalidInputError(field, `not one of the model's classes (${classes.join(", ")})`);
  return { text, number: null };
}

/**
 * The guidelines' version a label records. The page sends the version it showed beside the item: it must
 * be one of the item's model (an older one is accepted: a version published while the reviewer read the
 * previous one does not make their label wrong, and the record says which text they followed); null when
 * it showed none. A caller that does not say gets the version in force now (null when there is none).
 */
async function shownGuidelineVersion(
  tx: Tx,
  modelId: string,
  model: string,
  shown: number | null | undefined,
): Promise<number | null> {
  if (shown === null) return null;
  const [found] = await tx
    .select({ version: labelingGuidelines.version })
    .from(labelingGuidelines)
    .where(
      and(
        eq(labelingGuidelines.modelId, modelId),
        shown === undefined ? undefined : eq(labelingGuidelines.version, shown),
      ),
    )
    .orderBy(desc(labelingGuidelines.version))
    .limit(1);
  if (shown !== undefined && !found) {
    throw new InvalidInputError("guidelineVersion", `${model} has no version ${shown} of its labeling guidelines`);
  }
  return found?.version ?? null;
}

/**
 * Records the signed-in reviewer's label for an item they hold, and moves the item on: when it has all the
 * labels it needs, it is resolved if they agree and waits for adjudication if they do not. A first label
 * that contradicts the model on an item the model was sure of (confidence at or above the policy's
 * `secondOpinionAbove`) asks for one more reviewer. Refused, with nothing changed, when the reviewer does
 * not hold the item (see heldClaimOrRefuse); the database refuses a second label by the same reviewer.
 */
export async function submitLabel(ctx: DomainContext, raw: SubmitInput) {
  const actor = authorize(ctx, "feedback:label");
  const me = reviewerId(actor);
  const input = submitInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const claim = await heldClaimOrRefuse(tx, me, input.itemId);
    // The item row is locked so concurrent submits on the same item count labels one after the other.
    const [row] = await tx
      .select({ item: feedbackItems, task: models.task, classes: models.labels, model: models.name })
      .from(feedbackItems)
      .innerJoin(models, eq(models.id, feedbackItems.modelId))
      .where(eq(feedbackItems.id, input.itemId))
      .for("update", { of: feedbackItems });
    if (!row) throw new NotFoundError(`Review item ${input.itemId}`);
    const { item } = row;
    const label = normalizeLabel(row.task, row.classes, input.label);
    const guidelineVersion = await shownGuidelineVersion(tx, item.modelId, row.model, input.guidelineVersion);

    await tx.insert(feedbackLabels).values({
      itemId: item.id,
      reviewerId: me,
      label: label.text,
      labelNumber: label.number,
      note: input.note ?? "",
      flags: input.flags ?? [],
      sawModelAnswer: item.showModelAnswer,
      guidelineVersion,
      durationMs: Math.min(2_147_483_647, Math.max(0, Date.now() - claim.claimedAt.getTime())),
    });
    await tx
      .update(feedbackClaims)
      .set({ state: "labeled", leaseExpiresAt: null })
      .where(eq(feedbackClaims.id, claim.id));

    const labelCount = item.labelCount + 1;
    let requiredLabels = item.requiredLabels;
    let status = item.status;
    let resolvedLabel = item.resolvedLabel;
    let secondOpinion = false;
    if (item.reason !== "gold") {
      const modelAnswer =
        item.predictionLabel ?? (item.predictionNumber === null ? null : String(item.predictionNumber));
      const given = label.text ?? String(label.number);
      if (labelCount === 1 && requiredLabels === 1 && row.task !== "regression" && item.confidence !== null) {
        const [policy] = item.policyId
          ? await tx.select().from(feedbackPolicies).where(eq(feedbackPolicies.id, item.policyId))
          : [];
        const above = policy?.secondOpinionAbove ?? defaultPolicy(0).secondOpinionAbove;
        if (item.confidence >= above && given !== modelAnswer) {
          requiredLabels = 2;
          secondOpinion = true;
          await tx.insert(feedbackClaims).values({ itemId: item.id });
        }
      }
      if (labelCount >= requiredLabels) {
        const distinct = await tx.execute<{ value: string }>(sql`
          select distinct coalesce(label, label_number::text) as value from feedback_labels where item_id = ${item.id}`);
        if (distinct.rows.length === 1) {
          status = "resolved";
          resolvedLabel = distinct.rows[0]!.value;
        } else status = "conflict";
      }
    }
    await tx
      .update(feedbackItems)
      .set({ labelCount, requiredLabels, status, resolvedLabel })
      .where(eq(feedbackItems.id, item.id));
    if (status === "resolved" && item.status !== "resolved") await queueLiveAccuracyCheck(tx, item.modelId);
    await appendAudit(tx, actor, {
      action: "feedback.labeled",
      entityType: "feedback_item",
      entityId: String(item.id),
      before: { status: item.status, labels: item.labelCount },
      after: {
        model: row.model,
        label: label.text ?? label.number,
        flags: input.flags ?? [],
        guidelineVersion,
        status,
        labels: labelCount,
        ...(secondOpinion ? { secondOpinion: true } : {}),
      },
    });
    return { itemId: item.id, status, labels: labelCount, requiredLabels, secondOpinion };
  });
}
