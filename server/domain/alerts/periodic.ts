import { and, desc, eq, inArray, isNotNull, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertRules, evaluationReports, modelVersions, releases } from "@/db/schema";
import { gateRequirementSet } from "../gate/gate";
import { activeRequirementSet } from "../requirements/sets";
import { storyTime } from "../story-clock";
import { accuracyFloor, recentLiveAccuracy } from "../feedback-accuracy/live-accuracy";
import { judgeLiveAccuracy, judgeModelAge, judgeNowtest, type Finding } from "./evaluate";
import { applyFindings, type Applied } from "./lifecycle";

type Rule = typeof alertRules.$inferSelect;

/** Rules judged without a monitoring window: hourly, when saved, and (live accuracy) as labels arrive. */
const PERIODIC_KINDS = ["model_age", "nowtest_floor", "live_accuracy"] as const;

/** The champion and when it took office: its latest effective full release or rollback, else its registration. */
async function championOf(db: Db, modelId: string) {
  const [champion] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.stage, "champion")));
  if (!champion) return null;
  const [release] = await db
    .select({ since: max(releases.effectiveAt) })
    .from(releases)
    .where(
      and(
        eq(releases.toVersionId, champion.id),
        eq(releases.status, "approved"),
        eq(releases.strategy, "full"),
        isNotNull(releases.effectiveAt),
      ),
    );
  return {
    row: champion,
    version: champion.version,
    since: release?.since ? new Date(release.since) : champion.createdAt,
  };
}

/** The champion's newest now-test report of each slice. */
async function newestNowtests(db: Db, versionId: string) {
  const rows = await db
    .select()
    .from(evaluationReports)
    .where(and(eq(evaluationReports.modelVersionId, versionId), eq(evaluationReports.kind, "nowtest")))
    .orderBy(desc(evaluationReports.createdAt), desc(evaluationReports.id));
  const newest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!newest.has(r.slice)) newest.set(r.slice, r);
  return [...newest.values()];
}

/**
 * Judges the rules that need no window (champion age, now-test floors, live accuracy) for one model, in
 * one transaction. Run hourly by the alert worker, at once when such a rule is saved, and by the
 * `alerts.live_accuracy` job when labels resolve items of the model.
 */
export async function checkModelAlerts(db: Db, modelId: string, now = storyTime() ?? new Date()): Promise<Applied> {
  const rules = await db
    .select()
    .from(alertRules)
    .where(
      and(eq(alertRules.modelId, modelId), eq(alertRules.enabled, true), inArray(alertRules.kind, PERIODIC_KINDS)),
    );
  const total: Applied = { opened: [], resolved: [], stillFiring: [] };
  if (rules.length === 0) return total;
  const champion = await championOf(db, modelId);
  const judged: [Rule, Finding[]][] = [];
  for (const rule of rules) {
    if (rule.kind === "model_age") judged.push([rule, judgeModelAge(rule, champion, now)]);
    else if (rule.kind === "live_accuracy") {
      if (!champion || rule.params.kind !== "live_accuracy") continue;
      const recent = await recentLiveAccuracy(db, champion.row.id, rule.params.lastLabels);
      judged.push([rule, judgeLiveAccuracy(rule, champion, recent, await accuracyFloor(db, modelId))]);
    } else if (champion) {
      const set = gateRequirementSet(await activeRequirementSet(db, modelId));
      const reports = (await newestNowtests(db, champion.row.id)).map((r) => ({ ...r, version: champion.version }));
      judged.push([rule, judgeNowtest(rule, set?.requirements ?? [], reports)]);
    }
  }
  return db.transaction(async (tx) => {
    for (const [rule, findings] of judged) {
      const applied = await applyFindings(tx, rule, findings, champion?.row.id ?? null);
      total.opened.push(...applied.opened);
      total.resolved.push(...applied.resolved);
      total.stillFiring.push(...applied.stillFiring);
    }
    return total;
  });
}

/** Every model with an enabled age or now-test rule, one after the other. */
export async function runPeriodicAlertChecks(db: Db, now?: Date): Promise<Applied> {
  const modelIds = await db
    .selectDistinct({ modelId: alertRules.modelId })
    .from(alertRules)
    .where(and(eq(alertRules.enabled, true), inArray(alertRules.kind, PERIODIC_KINDS)));
  const total: Applied = { opened: [], resolved: [], stillFiring: [] };
  for (const { modelId } of modelIds) {
    const applied = await checkModelAlerts(db, modelId, now);
    total.opened.push(...applied.opened);
    total.resolved.push(...applied.resolved);
    total.stillFiring.push(...applied.stillFiring);
  }
  return total;
}
