import { asc, eq } from "drizzle-orm";
import { alertRules } from "@/db/schema";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";
import { findModelOrThrow } from "../registry/models";
import { checkModelAlerts } from "./periodic";
import { isWindowRule } from "./params";
import { saveAlertRuleInput, type SaveAlertRuleInput } from "./schemas";

/** A model's alert rules, oldest first. */
export async function listAlertRules(ctx: DomainContext, modelName: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  return ctx.db.select().from(alertRules).where(eq(alertRules.modelId, model.id)).orderBy(asc(alertRules.createdAt));
}

/**
 * Creates or edits a rule (audited, before and after). Rules are disabled rather than deleted, so the
 * alerts they raised keep their rule. An age or now-test rule is checked at once after saving, so it
 * needs no wait for the hourly check to say whether it fires.
 */
export async function saveAlertRule(ctx: DomainContext, raw: SaveAlertRuleInput) {
  const actor = authorize(ctx, "alerts:configure");
  const input = saveAlertRuleInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const values = {
    name: input.name,
    kind: input.params.kind,
    severity: input.severity,
    params: input.params,
    granularity: input.granularity,
    autoResolve: input.autoResolve,
    emailRecipients: [...new Set(input.emailRecipients.map((e) => e.toLowerCase()))],
    enabled: input.enabled,
  };
  const saved = await ctx.db.transaction(async (tx) => {
    let before: typeof alertRules.$inferSelect | null = null;
    if (input.id) {
      [before = null] = await tx.select().from(alertRules).where(eq(alertRules.id, input.id)).for("update");
      if (!before || before.modelId !== model.id) throw new NotFoundError("Alert rule");
    }
    const [rule] = input.id
      ? await tx
          .update(alertRules)
          .set({ ...values, updatedAt: new Date() })
          .where(eq(alertRules.id, input.id))
          .returning()
      : await tx
          .insert(alertRules)
          .values({ ...values, modelId: model.id, createdBy: actor.kind === "user" ? actor.id : null })
          .returning();
    const snapshot = (r: typeof alertRules.$inferSelect) => ({
      model: model.name,
      name: r.name,
      severity: r.severity,
      params: r.params,
      granularity: r.granularity,
      autoResolve: r.autoResolve,
      emailRecipients: r.emailRecipients,
      enabled: r.enabled,
    });
    await appendAudit(tx, actor, {
      action: input.id ? "alert_rule.updated" : "alert_rule.created",
      entityType: "alert_rule",
      entityId: rule!.id,
      before: before ? snapshot(before) : null,
      after: snapshot(rule!),
    });
    return rule!;
  });
  if (!isWindowRule(saved.kind)) await checkModelAlerts(ctx.db, model.id);
  return saved;
}
