import { and, count, desc, eq, inArray, ne, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { alertRules, alerts, models } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { findModelOrThrow } from "../registry/models";
import { listAlertsInput, type AlertFilter, type ListAlertsInput } from "./schemas";

const statusWhere = (status: AlertFilter): SQL | undefined =>
  status === "all" ? undefined : status === "unresolved" ? ne(alerts.status, "resolved") : eq(alerts.status, status);

/** Alerts of one model (or of every model), newest first, filtered by status; a page at a time. */
export async function listAlerts(ctx: DomainContext, raw: ListAlertsInput) {
  authorize(ctx, "registry:read");
  const input = listAlertsInput.parse(raw);
  const where: SQL[] = [];
  if (input.model) where.push(eq(alerts.modelId, (await findModelOrThrow(ctx, input.model)).id));
  const byStatus = statusWhere(input.status);
  if (byStatus) where.push(byStatus);
  const rows = await ctx.db
    .select({
      alert: alerts,
      model: models.name,
      rule: { id: alertRules.id, name: alertRules.name, kind: alertRules.kind, autoResolve: alertRules.autoResolve },
    })
    .from(alerts)
    .innerJoin(models, eq(models.id, alerts.modelId))
    .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
    .where(and(...where))
    .orderBy(desc(alerts.openedAt), desc(alerts.id))
    .limit(input.limit)
    .offset(input.offset);
  const [total] = await ctx.db
    .select({ n: count() })
    .from(alerts)
    .where(and(...where));
  return {
    alerts: rows.map((r) => ({ ...r.alert, model: r.model, rule: r.rule })),
    total: Number(total?.n ?? 0),
  };
}

/** Unresolved alerts over all models, by severity: the count in the sidebar. */
export async function unresolvedAlertCounts(ctx: DomainContext) {
  authorize(ctx, "registry:read");
  const rows = await ctx.db
    .select({ severity: alerts.severity, n: count() })
    .from(alerts)
    .where(ne(alerts.status, "resolved"))
    .groupBy(alerts.severity);
  const of = (s: string) => Number(rows.find((r) => r.severity === s)?.n ?? 0);
  return { critical: of("critical"), warning: of("warning"), total: of("critical") + of("warning") };
}

/**
 * One model's unresolved alerts, for the monitoring page's tile: how many, how many of them critical (each
 * of which blocks releases) and how many someone acknowledged. Read per request: alerts change on their own
 * schedule, not the monitoring windows'.
 */
export async function modelAlertCounts(db: Db | Tx, modelId: string) {
  const rows = await db
    .select({ severity: alerts.severity, status: alerts.status, n: count() })
    .from(alerts)
    .where(and(eq(alerts.modelId, modelId), ne(alerts.status, "resolved")))
    .groupBy(alerts.severity, alerts.status);
  const sum = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((s, r) => s + Number(r.n), 0);
  return {
    unresolved: sum(() => true),
    critical: sum((r) => r.severity === "critical"),
    acknowledged: sum((r) => r.status === "acknowledged"),
  };
}

/**
 * What the release gate's "no open critical alert" check reads: the model's critical alerts that are not
 * resolved. Acknowledged ones count: acknowledging says someone is on it, not that the problem is gone.
 */
export async function gateOpenAlerts(db: Db | Tx, modelId: string) {
  const rows = await db
    .select({ title: alerts.title, status: alerts.status, openedAt: alerts.openedAt, id: alerts.id })
    .from(alerts)
    .where(
      and(
        eq(alerts.modelId, modelId),
        eq(alerts.severity, "critical"),
        inArray(alerts.status, ["open", "acknowledged"]),
      ),
    )
    .orderBy(alerts.openedAt);
  return rows.map((a) => ({
    severity: "critical" as const,
    title: `${a.title} (${a.status === "acknowledged" ? "acknowledged, not resolved" : "open"})`,
    alertId: a.id,
  }));
}
