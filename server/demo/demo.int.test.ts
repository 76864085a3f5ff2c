import { and, asc, eq, max, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { alerts, auditLog, models, modelVersions, releases } from "@/db/schema";
import { evaluateGate } from "@/server/domain/gate/evaluate";
import { verifyAuditChain } from "@/server/domain/audit-verify";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { seedDemoData } from "./demo";
import { DRIFTING_FEATURE, trafficWindow } from "./demo-traffic";

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (d: Date) => (Date.now() - d.getTime()) / DAY;

/** The demo tells one story in time: every date on the pages, the audit log's included, belongs to it. */
describe.each(testDatabaseKinds)("the demo's story on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemoData(database.db);
  }, 300_000);
  afterAll(async () => database?.close());

  it("dates versions from three months ago to last week", async () => {
    const rows = await database.db
      .select({ model: models.name, version: modelVersions.version, createdAt: modelVersions.createdAt })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .orderBy(asc(models.name), asc(modelVersions.version));
    const credit = rows.filter((r) => r.model === "credit-default").map((r) => Math.round(daysAgo(r.createdAt)));
    expect(credit).toEqual([100, 86, 70, 52, 30, 8]);
    for (const model of ["credit-default", "churn", "house-price"]) {
      const dates = rows.filter((r) => r.model === model).map((r) => r.createdAt.getTime());
      if (model !== "churn") expect(dates).toEqual([...dates].sort((a, b) => a - b)); // churn v5 is a branch from v3, still newest
    }
  });

  it("writes the audit log in the story's order, with the story's dates, and the chain verifies", async () => {
    const entries = await database.db
      .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action })
      .from(auditLog)
      .orderBy(asc(auditLog.id));
    const times = entries.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(daysAgo(entries[0]!.at)).toBeGreaterThan(110);
    expect(daysAgo(entries.at(-1)!.at)).toBeGreaterThan(2); // the story ends days before today (last: alerts, labels)
    const approvals = entries.filter((e) => e.action === "release.approved").map((e) => Math.round(daysAgo(e.at)));
    expect(approvals.length).toBeGreaterThanOrEqual(9);
    expect(Math.max(...approvals)).toBeGreaterThan(90);
    const verdict = await verifyAuditChain({ db: database.db, principal: { kind: "operator", name: "test" } });
    expect(verdict).toMatchObject({ ok: true });
  });

  it("gives releases and last activity the dates of the events", async () => {
    const [rolledBack] = await database.db
      .select({ effectiveAt: releases.effectiveAt })
      .from(releases)
      .where(eq(releases.kind, "rollback"));
    expect(Math.round(daysAgo(rolledBack!.effectiveAt!))).toBe(32);
    const activity = await database.db
      .select({ name: models.name, at: models.lastActivityAt })
      .from(models)
      .orderBy(asc(models.name));
    // Each model's last event: churn v5's request 11 days ago, credit-default v6's 6, house-price's loosening 5.
    expect(activity.map((m) => [m.name, Math.round(daysAgo(m.at))])).toEqual([
      ["churn", 11],
      ["credit-default", 6],
      ["house-price", 5],
    ]);
    const [latest] = await database.db.select({ at: max(releases.requestedAt) }).from(releases);
    expect(daysAgo(latest!.at!)).toBeGreaterThan(5);
  });

  it("gives credit-default's champion a reference, declared features and two weeks of traffic that drifts on a known date", async () => {
    const seededAt = Date.now();
    const refs = await database.db.execute<{
      version: number;
      row_count: number;
      created_at: string;
      rows: number;
    }>(sql`
      select mv.version, pr.row_count, pr.created_at::text, (select count(*)::int from reference_rows rr where rr.reference_id = pr.id) as rows
      from prediction_references pr join model_versions mv on mv.id = pr.model_version_id
      join models m on m.id = mv.model_id where m.name = 'credit-default' and pr.replaced_at is null`);
    expect(refs.rows.map((r) => [r.version, r.row_count, r.rows])).toEqual([[5, 1000, 1000]]);
    expect(Math.round(daysAgo(new Date(refs.rows[0]!.created_at)))).toBe(29);
    const features = await database.db.execute<{ name: string; kind: string; important: boolean }>(sql`
      select f.name, f.kind, f.important from model_features f join models m on m.id = f.model_id
      where m.name = 'credit-default' order by f.name`);
    expect(features.rows.filter((f) => f.important).map((f) => f.name)).toEqual([
      "credit_utilization",
      DRIFTING_FEATURE,
    ]);
    expect(features.rows.filter((f) => f.kind === "categorical").map((f) => f.name)).toEqual(["employment", "region"]);

    // Traffic from midnight 14 days back to the seeding hour; the drift starts at midnight UTC 5 days back.
    const { start, driftStart } = trafficWindow(new Date(seededAt));
    const traffic = await database.db.execute<Record<string, number | string>>(sql`
      select count(*)::int as n, min(time)::text as first, count(distinct model_version_id)::int as versions,
        avg((features->>${DRIFTING_FEATURE})::float8) filter (where time < ${driftStart.toISOString()}::timestamptz) as dti_before,
        avg((features->>${DRIFTING_FEATURE})::float8) filter (where time >= ${driftStart.toISOString()}::timestamptz) as dti_after,
        avg((features->>'income_log')::float8) filter (where time < ${driftStart.toISOString()}::timestamptz) as income_before,
        avg((features->>'income_log')::float8) filter (where time >= ${driftStart.toISOString()}::timestamptz) as income_after,
        avg((prediction_label = 'default')::int) filter (where time < ${driftStart.toISOString()}::timestamptz) as default_before,
        avg((prediction_label = 'default')::int) filter (where time >= ${driftStart.toISOString()}::timestamptz) as default_after
      from predictions p where p.external_id like 'cd-%' and p.model_version_id in (
        select mv.id from model_versions mv join models m on m.id = mv.model_id where m.name = 'credit-default')`);
    const t = traffic.rows[0]!;
    expect(Number(t.n)).toBeGreaterThan(2_500);
    expect(Number(t.n)).toBeLessThan(5_000);
    expect(Number(t.versions)).toBe(1);
    expect(new Date(String(t.first)).getTime()).toBeGreaterThanOrEqual(start.getTime());
    expect(Number(t.dti_before)).toBeLessThan(0.35);
    expect(Number(t.dti_after)).toBeGreaterThan(0.48);
    expect(Math.abs(Number(t.income_after) - Number(t.income_before))).toBeLessThan(0.1);
    expect(Number(t.default_after)).toBeGreaterThan(2 * Number(t.default_before));
    // The declared features match the traffic: no data-quality problem is counted.
    const problems = await database.db.execute<{ n: number }>(
      sql`select coalesce(sum(rows_with_problems), 0)::int as n from prediction_batches b
          where b.model_version_id in (select mv.id from model_versions mv join models m on m.id = mv.model_id where m.name = 'credit-default')`,
    );
    expect(Number(problems.rows[0]!.n)).toBe(0);
  });
  it("has an open critical alert on churn that blocks v5's pending release, naming it", async () => {
    const open = await database.db
      .select({ model: models.name, title: alerts.title, severity: alerts.severity, openedAt: alerts.openedAt })
      .from(alerts)
      .innerJoin(models, eq(models.id, alerts.modelId))
      .where(eq(alerts.status, "open"))
      .orderBy(asc(models.name));
    expect(open.map((a) => [a.model, a.severity, a.title])).toEqual([
      ["churn", "critical", "Pricing features drift: drift in plan_price"],
      ["credit-default", "warning", "Champion older than three weeks: champion v5 older than 21 days"],
    ]);
    expect(Math.round(daysAgo(open[0]!.openedAt) * 10) / 10).toBe(4.4);
    // v5 was requested before the alert opened; the gate at decision time sees it.
    const [pending] = await database.db
      .select({ model: models, version: modelVersions })
      .from(releases)
      .innerJoin(models, eq(models.id, releases.modelId))
      .innerJoin(modelVersions, eq(modelVersions.id, releases.toVersionId))
      .where(and(eq(models.name, "churn"), eq(releases.status, "pending")));
    const { gate } = await evaluateGate(database.db, pending!.model, pending!.version);
    const alertCheck = gate.checks.find((c) => c.id === "alerts")!;
    expect(alertCheck.status).toBe("fail");
    expect(alertCheck.details).toEqual([{ title: "Pricing features drift: drift in plan_price (open)" }]);
  });
  it("has a labeled history: items queued by the ingest, labels by two reviewers, conflicts settled and open, gold", async () => {
    const { rows } = await database.db.execute<{ reason: string; status: string; n: number }>(
      sql`select reason, status, count(*)::int as n from feedback_items group by reason, status`,
    );
    const count = (where: (r: { reason: string; status: string }) => boolean) =>
      rows.filter(where).reduce((a, r) => a + Number(r.n), 0);
    for (const reason of ["low_confidence", "random", "disagreement", "gold"])
      expect(
        count((r) => r.reason === reason),
        reason,
      ).toBeGreaterThan(0);
    expect(count((r) => r.status === "resolved")).toBeGreaterThan(50);
    expect(count((r) => r.status === "conflict")).toBeGreaterThan(0);
    // Enough open churn items for a reviewer's session on the labeling page.
    const open = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from feedback_items i join models m on m.id = i.model_id
          where m.name = 'churn' and i.status = 'open' and i.reason <> 'gold'`,
    );
    expect(Number(open.rows[0]!.n)).toBeGreaterThanOrEqual(40);
    const labels = await database.db.execute<{ reviewers: number; oldest: Date | string; adjudicated: number }>(sql`
      select count(distinct reviewer_id)::int as reviewers, min(created_at) as oldest,
        (select count(*)::int from feedback_adjudications) as adjudicated
      from feedback_labels`);
    expect(Number(labels.rows[0]!.reviewers)).toBe(2);
    expect(daysAgo(new Date(labels.rows[0]!.oldest))).toBeGreaterThan(15);
    expect(Number(labels.rows[0]!.adjudicated)).toBeGreaterThan(0);
  });
});
