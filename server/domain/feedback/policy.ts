import { desc, eq, sql } from "drizzle-orm";
import { feedbackPolicies, models } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError } from "../errors";
import { touchModel } from "../registry/activity";
import { findModelOrThrow } from "../registry/models";
import { modelName } from "../registry/schemas";
import { policyInput, type OrderKey, type PolicyInput } from "./schemas";

export { policyInput, type PolicyInput };

export interface EffectivePolicy {
  /** null: no policy was ever saved, the defaults apply. */
  id: string | null;
  version: number | null;
  strategy: "confidence" | "margin" | "entropy";
  threshold: number;
  randomShare: number;
  goldShare: number;
  overlap: number;
  hideAnswerShare: number;
  secondOpinionAbove: number;
  order: OrderKey[];
  createdByLabel: string | null;
  createdAt: Date | null;
}

/** What a model without a saved policy does: its review threshold on confidence, and nothing more. */
export function defaultPolicy(reviewThreshold: number): EffectivePolicy {
  return {
    id: null,
    version: null,
    strategy: "confidence",
    threshold: reviewThreshold,
    randomShare: 0,
    goldShare: 0,
    overlap: 1,
    hideAnswerShare: 0,
    secondOpinionAbove: 0.9,
    order: ["disagreement", "confidence", "recency"],
    createdByLabel: null,
    createdAt: null,
  };
}

type PolicyRow = typeof feedbackPolicies.$inferSelect;
const fromRow = (r: PolicyRow): EffectivePolicy => ({
  id: r.id,
  version: r.version,
  strategy: r.strategy,
  threshold: r.threshold,
  randomShare: r.randomShare,
  goldShare: r.goldShare,
  overlap: r.overlap,
  hideAnswerShare: r.hideAnswerShare,
  secondOpinionAbove: r.secondOpinionAbove,
  order: r.orderKeys as OrderKey[],
  createdByLabel: r.createdByLabel,
  createdAt: r.createdAt,
});

/** The policy in force for a model and every earlier version, newest first. */
export async function getPolicy(ctx: DomainContext, model: string) {
  authorize(ctx, "registry:read");
  const m = await findModelOrThrow(ctx, modelName.parse(model));
  const rows = await ctx.db
    .select()
    .from(feedbackPolicies)
    .where(eq(feedbackPolicies.modelId, m.id))
    .orderBy(desc(feedbackPolicies.version));
  return {
    model: m.name,
    task: m.task,
    current: rows[0] ? fromRow(rows[0]) : defaultPolicy(m.reviewThreshold),
    history: rows.map(fromRow),
  };
}

/** Saves a new version of a model's review policy (audited); it applies to predictions that arrive from now on. */
export async function setPolicy(ctx: DomainContext, raw: PolicyInput) {
  const actor = authorize(ctx, "feedback:policy");
  const input = policyInput.parse(raw);
  const m = await findModelOrThrow(ctx, input.model);
  if (input.strategy === "entropy" && m.task === "regression")
    throw new InvalidInputError("strategy", "a regression model has no class probabilities: use confidence");
  return ctx.db.transaction(async (tx) => {
    // Serializes concurrent edits of one model's policy, so versions stay 1, 2, 3 …
    await tx.execute(sql`select id from ${models} where id = ${m.id} for update`);
    const [previous] = await tx
      .select()
      .from(feedbackPolicies)
      .where(eq(feedbackPolicies.modelId, m.id))
      .orderBy(desc(feedbackPolicies.version))
      .limit(1);
    const [row] = await tx
      .insert(feedbackPolicies)
      .values({
        modelId: m.id,
        version: (previous?.version ?? 0) + 1,
        strategy: input.strategy,
        threshold: input.threshold,
        randomShare: input.randomShare,
        goldShare: input.goldShare,
        overlap: input.overlap,
        hideAnswerShare: input.hideAnswerShare,
        secondOpinionAbove: input.secondOpinionAbove,
        orderKeys: input.order,
        createdBy: actor.kind === "user" ? actor.id : null,
        createdByLabel: principalLabel(actor),
      })
      .returning();
    await appendAudit(tx, actor, {
      action: "feedback_policy.saved",
      entityType: "feedback_policy",
      entityId: row!.id,
      before: previous ? { version: previous.version, ...policyFields(fromRow(previous)) } : null,
      after: { ...input, model: m.name, version: row!.version },
    });
    await touchModel(tx, m.id);
    return fromRow(row!);
  });
}

const policyFields = (p: EffectivePolicy) => ({
  strategy: p.strategy,
  threshold: p.threshold,
  randomShare: p.randomShare,
  goldShare: p.goldShare,
  overlap: p.overlap,
  hideAnswerShare: p.hideAnswerShare,
  secondOpinionAbove: p.secondOpinionAbove,
  order: p.order,
});
