import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertRules, modelFeatures, modelVersions } from "@/db/schema";
import type { WindowSummary } from "@/server/domain/monitoring/window-summary";
import { judgeWindow } from "./evaluate";
import { applyFindings, type Applied } from "./lifecycle";
import { isWindowRule } from "./params";

export interface WindowEvaluation extends Applied {
  /** Why nothing was judged, when nothing was. */
  skipped?: "not the champion" | "unknown version";
}

/**
 * Judges one computed monitoring window against the model's enabled window rules of its granularity, in
 * one transaction. Called by the window jobs once a window's summary is stored. Alerts watch the model in
 * production: only the champion's windows are judged (a shadow or canary version's traffic is compared on
 * the comparison page, not alerted on).
 */
export async function evaluateAlertsForWindow(
  db: Db,
  { modelVersionId, summary }: { modelVersionId: string; summary: WindowSummary },
): Promise<WindowEvaluation> {
  const empty: WindowEvaluation = { opened: [], resolved: [], stillFiring: [] };
  const [version] = await db.select().from(modelVersions).where(eq(modelVersions.id, modelVersionId));
  if (!version) return { ...empty, skipped: "unknown version" };
  if (version.stage !== "champion") return { ...empty, skipped: "not the champion" };
  const rules = (
    await db
      .select()
      .from(alertRules)
      .where(
        and(
          eq(alertRules.modelId, version.modelId),
          eq(alertRules.enabled, true),
          eq(alertRules.granularity, summary.granularity),
        ),
      )
  ).filter((r) => isWindowRule(r.kind));
  if (rules.length === 0) return empty;
  const important = (
    await db
      .select({ name: modelFeatures.name })
      .from(modelFeatures)
      .where(and(eq(modelFeatures.modelId, version.modelId), eq(modelFeatures.important, true)))
  ).map((f) => f.name);
  return db.transaction(async (tx) => {
    const total: WindowEvaluation = { opened: [], resolved: [], stillFiring: [] };
    for (const rule of rules) {
      const applied = await applyFindings(tx, rule, judgeWindow(rule, summary, important), version.id);
      total.opened.push(...applied.opened);
      total.resolved.push(...applied.resolved);
      total.stillFiring.push(...applied.stillFiring);
    }
    return total;
  });
}
