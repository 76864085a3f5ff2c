import { and, eq, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { alertRules, alerts, models } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit, type AnonymousActor } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { storyTime } from "../story-clock";
import { enqueueAlertEmail } from "./email";
import type { Finding } from "./evaluate";
import { alertActionInput, type AlertActionInput } from "./schemas";

type Rule = typeof alertRules.$inferSelect;
type Alert = typeof alerts.$inferSelect;

/** Who the record names when Ratchet itself opens or resolves an alert. */
export const ALERTS_SYSTEM: AnonymousActor = { kind: "anonymous", label: "system:alerts" };
export const AUTO_RESOLVED = "auto";

export interface Applied {
  opened: string[];
  resolved: string[];
  stillFiring: string[];
}

function eventPayload(alert: Alert, rule: Rule, model: string) {
  return {
    alertId: alert.id,
    model,
    rule: rule.name,
    kind: rule.kind,
    severity: alert.severity,
    subject: alert.subject,
    feature: alert.feature,
    title: alert.title,
    status: alert.status,
    evidence: alert.evidence,
  };
}

/** The record of a change of an alert's state: audit entry, webhook event and (with recipients) an email. */
async function recordTransition(
  tx: Tx,
  actor: Parameters<typeof appendAudit>[1],
  alert: Alert,
  rule: Rule,
  transition: "opened" | "acknowledged" | "resolved",
  before: Record<string, unknown> | null,
) {
  const [model] = await tx.select({ name: models.name }).from(models).where(eq(models.id, alert.modelId));
  await appendAudit(tx, actor, {
    action: `alert.${transition}`,
    entityType: "alert",
    entityId: alert.id,
    before,
    after: {
      model: model!.name,
      rule: rule.name,
      title: alert.title,
      severity: alert.severity,
      status: alert.status,
      note:
        transition === "acknowledged" ? alert.acknowledgeNote : transition === "resolved" ? alert.resolveNote : null,
    },
  });
  // Acknowledging changes who is on it, not whether something is wrong: no event, no email.
  if (transition === "acknowledged") return;
  await emitEvent(
    tx,
    transition === "opened" ? "alert.opened" : "alert.resolved",
    eventPayload(alert, rule, model!.name),
  );
  await enqueueAlertEmail(tx, alert, rule, model!.name, transition);
}

/**
 * Applies a rule's findings in the caller's transaction: a firing subject with no unresolved alert opens
 * one (the partial unique index makes a concurrent second opening a no-op), a firing subject with one
 * refreshes its evidence, and a cleared subject resolves it when the rule resolves by itself. Subjects
 * with no finding (not measured) are left as they are.
 */
export async function applyFindings(
  tx: Tx,
  rule: Rule,
  findings: Finding[],
  modelVersionId: string | null,
): Promise<Applied> {
  const applied: Applied = { opened: [], resolved: [], stillFiring: [] };
  const now = storyTime() ?? new Date();
  for (const f of findings) {
    const [current] = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.ruleId, rule.id), eq(alerts.subject, f.subject), ne(alerts.status, "resolved")))
      .for("update");
    if (f.firing && !current) {
      const [created] = await tx
        .insert(alerts)
        .values({
          ruleId: rule.id,
          modelId: rule.modelId,
          modelVersionId,
          subject: f.subject,
          feature: f.feature,
          severity: rule.severity,
          title: f.title,
          evidence: f.evidence,
          openedAt: now,
          lastSeenAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (created) {
        applied.opened.push(created.id);
        await recordTransition(tx, ALERTS_SYSTEM, created, rule, "opened", null);
      }
    } else if (f.firing && current) {
      await tx.update(alerts).set({ evidence: f.evidence, lastSeenAt: now }).where(eq(alerts.id, current.id));
      applied.stillFiring.push(current.id);
    } else if (!f.firing && current && rule.autoResolve) {
      const [resolved] = await tx
        .update(alerts)
        .set({
          status: "resolved",
          resolvedBy: null,
          resolvedByLabel: AUTO_RESOLVED,
          resolvedAt: now,
          resolveNote: `The condition cleared: ${describe(f.evidence)}`,
        })
        .where(and(eq(alerts.id, current.id), ne(alerts.status, "resolved")))
        .returning();
      if (resolved) {
        applied.resolved.push(resolved.id);
        await recordTransition(tx, ALERTS_SYSTEM, resolved, rule, "resolved", { status: current.status });
      }
    }
  }
  return applied;
}

/** The evidence in a line, for the automatic resolution's note. */
function describe(evidence: Record<string, unknown>): string {
  return Object.entries(evidence)
    .filter(([, v]) => v !== null && typeof v !== "object")
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
}

async function lockAlert(tx: Tx, alertId: string) {
  const [alert] = await tx.select().from(alerts).where(eq(alerts.id, alertId)).for("update");
  if (!alert) throw new NotFoundError("Alert");
  const [rule] = await tx.select().from(alertRules).where(eq(alertRules.id, alert.ruleId));
  return { alert, rule: rule! };
}

/**
 * Someone is on it: recorded with who, when and their note. The alert stays unresolved, so a critical one
 * still blocks releases: acknowledging says who looks at the problem, not that it is gone.
 */
export async function acknowledgeAlert(ctx: DomainContext, raw: AlertActionInput) {
  const actor = authorize(ctx, "alerts:manage");
  const input = alertActionInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const { alert, rule } = await lockAlert(tx, input.alertId);
    if (alert.status !== "open") {
      throw new ConflictError(
        alert.status === "acknowledged"
          ? `This alert was already acknowledged by ${alert.acknowledgedByLabel}; reload to see their note.`
          : `This alert was already resolved by ${alert.resolvedByLabel === AUTO_RESOLVED ? "Ratchet (the condition cleared)" : alert.resolvedByLabel}.`,
      );
    }
    const [updated] = await tx
      .update(alerts)
      .set({
        status: "acknowledged",
        acknowledgedBy: actor.kind === "user" ? actor.id : null,
        acknowledgedByLabel: principalLabel(actor),
        acknowledgedAt: sql`now()`,
        acknowledgeNote: input.note,
      })
      .where(eq(alerts.id, alert.id))
      .returning();
    await recordTransition(tx, actor, updated!, rule, "acknowledged", { status: alert.status });
    return updated!;
  });
}

/** A person closes the alert (open or acknowledged), with their note. Only this (or the condition clearing) unblocks the gate. */
export async function resolveAlert(ctx: DomainContext, raw: AlertActionInput) {
  const actor = authorize(ctx, "alerts:manage");
  const input = alertActionInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const { alert, rule } = await lockAlert(tx, input.alertId);
    if (alert.status === "resolved") {
      throw new ConflictError(
        `This alert was already resolved by ${alert.resolvedByLabel === AUTO_RESOLVED ? "Ratchet (the condition cleared)" : alert.resolvedByLabel}.`,
      );
    }
    const [updated] = await tx
      .update(alerts)
      .set({
        status: "resolved",
        resolvedBy: actor.kind === "user" ? actor.id : null,
        resolvedByLabel: principalLabel(actor),
        resolvedAt: sql`now()`,
        resolveNote: input.note,
      })
      .where(eq(alerts.id, alert.id))
      .returning();
    await recordTransition(tx, actor, updated!, rule, "resolved", { status: alert.status });
    return updated!;
  });
}
