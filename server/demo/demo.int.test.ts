import { asc, eq, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, models, modelVersions, releases } from "@/db/schema";
import { verifyAuditChain } from "@/server/domain/audit-verify";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { seedDemoData } from "./demo";

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
    expect(daysAgo(entries.at(-1)!.at)).toBeGreaterThan(4);
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
});
