import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, outboxEvents } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { championVersion, insertReport, makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { ConflictError, FourEyesError, InvalidInputError } from "../errors";
import { createModel } from "../registry/models";
import { getChampion, registerVersion } from "../registry/versions";
import { decideRequirementSet, proposeRequirementSet } from "../requirements/sets";
import { decideRelease } from "./decide";
import { championAt, modelTimeline, versionOverrides } from "./queries";
import { requestRelease } from "./request";
import { rollback } from "./rollback";

describe.each(testDatabaseKinds)("releases on %s", (kind) => {
  let database: Database;
  let scientist: Principal, manager: Principal, manager2: Principal, scientistManager: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    manager = await makeUser(database.db, "manager@test.dev", ["manager"]);
    await createModel(as(scientist), { name: "credit-default", task: "binary_classification", owner: "risk" });
    for (let v = 1; v <= 6; v++) {
      await registerVersion(as(scientist), "credit-default", {
        artifactUri: `s3://m/${v}`,
        artifactSha256: "d".repeat(64),
        config: { v },
      });
    }
    manager2 = await makeUser(database.db, "manager2@test.dev", ["manager"]);
    scientistManager = await makeUser(database.db, "both@test.dev", ["data_scientist", "manager"]);
    await proposeRequirementSet(as(scientist), {
      model: "credit-default",
      primaryMetric: "auc",
      requiredReportKinds: ["holdout"],
      requirements: [{ metric: "auc", direction: "higher", floor: 0.7 }],
      rationale: "agreed with risk in the launch review",
    });
    await insertReport(database.db, "credit-default", 5, "holdout", { auc: [0.75, 0.73, 0.77] });
    await insertReport(database.db, "credit-default", 6, "holdout", {
      auc: [0.78, 0.76, 0.8],
      baseline_zero_rule_auc: 0.5,
    });
  });
  afterAll(async () => database?.close());

  it("approves a passing request with four eyes and changes the champion atomically", async () => {
    const before = new Date();
    const req = await requestRelease(as(scientist), {
      model: "credit-default",
      version: 6,
      strategy: "full",
      rationale: "better AUC on the holdout",
    });
    expect((req.gateAtRequest as { status: string }).status).toBe("pass");
    const decided = await decideRelease(as(manager), { releaseId: req.id, decision: "approve", note: "looks good" });
    expect(decided.status).toBe("approved");
    expect(await championVersion(database.db, "credit-default")).toEqual([6]);
    expect((await championAt(as(manager), { model: "credit-default", at: new Date() })).version).toBe(6);
    expect((await championAt(as(manager), { model: "credit-default", at: before })).version).toBeNull();
    await expect(championAt(as(manager), { model: "credit-default", at: "last tuesday" })).rejects.toThrow(
      /must be a date/,
    );
    const events = await database.db.select().from(outboxEvents).where(eq(outboxEvents.type, "release.approved"));
    expect(events).toHaveLength(1);
  });

  it("refuses the requester, and the version's author, as approver, whatever their roles", async () => {
    await insertReport(database.db, "credit-default", 4, "holdout", {
      auc: [0.8, 0.79, 0.81],
      baseline_zero_rule_auc: 0.5,
    });
    const req = await requestRelease(as(scientistManager), {
      model: "credit-default",
      version: 4,
      strategy: "shadow",
      rationale: "shadow the old one for comparison",
    });
    await expect(
      decideRelease(as(scientistManager), { releaseId: req.id, decision: "approve", note: "mine" }),
    ).rejects.toBeInstanceOf(FourEyesError);
    // scientist@ registered every version: as a manager they still could not approve it.
    const authorAsManager: Principal = { ...scientist, roles: ["manager"] } as Principal;
    await expect(
      decideRelease(as(authorAsManager), { releaseId: req.id, decision: "approve", note: "mine" }),
    ).rejects.toBeInstanceOf(FourEyesError);
    await decideRelease(as(manager2), { releaseId: req.id, decision: "reject", note: "not now" });
  });

  it("lets one of two managers deciding at once win; the other gets a conflict", async () => {
    const req = await requestRelease(as(scientist), {
      model: "credit-default",
      version: 4,
      strategy: "canary",
      share: 0.1,
      rationale: "canary at ten percent",
    });
    const results = await Promise.allSettled([
      decideRelease(as(manager), { releaseId: req.id, decision: "approve", note: "go ahead" }),
      decideRelease(as(manager2), { releaseId: req.id, decision: "reject", note: "stop" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(ConflictError);
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, req.id), like(auditLog.action, "release.%ed")));
    expect(audits.filter((a) => a.action !== "release.requested")).toHaveLength(1);
  });

  it("tells serving systems the challenger, its strategy and share", async () => {
    const req = await requestRelease(as(scientist), {
      model: "credit-default",
      version: 4,
      strategy: "canary",
      share: 0.25,
      rationale: "canary at a quarter",
    });
    await decideRelease(as(manager2), { releaseId: req.id, decision: "approve", note: "approved" });
    const serving = await getChampion(as(scientist), "credit-default");
    expect(serving.champion?.version).toBe(6);
    expect(serving.challenger).toMatchObject({ version: 4, strategy: "canary", share: 0.25 });
  });

  it("approves a failing gate only as an override with a justification, which is kept", async () => {
    const req = await requestRelease(as(scientist), {
      model: "credit-default",
      version: 3,
      strategy: "full",
      rationale: "urgent regulatory fix",
    });
    expect((req.gateAtRequest as { status: string }).status).not.toBe("pass");
    await expect(
      decideRelease(as(manager), { releaseId: req.id, decision: "approve", note: "approved" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      decideRelease(as(manager), {
        releaseId: req.id,
        decision: "approve",
        note: "approved",
        override: true,
        justification: "short",
      }),
    ).rejects.toThrow(/justification/);
    const ok = await decideRelease(as(manager), {
      releaseId: req.id,
      decision: "approve",
      note: "approved",
      override: true,
      justification: "regulator requires the v3 features this week",
    });
    expect(ok).toMatchObject({ override: true, overrideJustification: "regulator requires the v3 features this week" });
    expect(await championVersion(database.db, "credit-default")).toEqual([3]);
    // The justification travels with the release to the timeline (shown there and on the version page).
    const decided = (await modelTimeline(as(manager), { model: "credit-default" })).entries.find(
      (e) => e.type === "release" && e.version === 3,
    );
    expect(decided).toMatchObject({
      title: "v3 approved as override (full)",
      overrideJustification: "regulator requires the v3 features this week",
    });
    expect(await versionOverrides(as(manager), { model: "credit-default", version: 3 })).toEqual([
      expect.objectContaining({ overrideJustification: "regulator requires the v3 features this week" }),
    ]);
    expect(await versionOverrides(as(manager), { model: "credit-default", version: 2 })).toEqual([]);
  });

  it("notices evidence that changed since the request", async () => {
    await insertReport(database.db, "credit-default", 2, "holdout", {
      auc: [0.9, 0.89, 0.91],
      baseline_zero_rule_auc: 0.5,
    });
    await insertReport(database.db, "credit-default", 3, "holdout", { auc: [0.7, 0.69, 0.71] });
    const req = await requestRelease(as(scientist), {
      model: "credit-default",
      version: 2,
      strategy: "full",
      rationale: "v2 is strong on holdout",
    });
    await insertReport(
      database.db,
      "credit-default",
      2,
      "holdout",
      { auc: [0.91, 0.9, 0.92] },
      { slice: "new-customers" },
    );
    await expect(
      decideRelease(as(manager), { releaseId: req.id, decision: "approve", note: "approved" }),
    ).rejects.toThrow(/evidence changed/);
    await decideRelease(as(manager), { releaseId: req.id, decision: "reject", note: "ask again" });
  });

  it("rolls back to the previous champion in one step, recorded as a rollback release", async () => {
    const r = await rollback(as(manager), { model: "credit-default", reason: "v3 misbehaves in production" });
    expect(r).toMatchObject({ from: 3, to: 6 });
    expect(await championVersion(database.db, "credit-default")).toEqual([6]);
    expect(r.release).toMatchObject({ kind: "rollback", status: "approved" });
    const timeline = await modelTimeline(as(manager), { model: "credit-default" });
    expect(timeline.entries[0]?.title).toBe("Rolled back v3 → v6");
    expect(timeline.reigns.map((x) => x.version)).toEqual([6, 3, 6]);
    // Paged in SQL, newest first: page after page gives the same entries as one long page, and the
    // champion's reigns span the whole history whatever the page.
    const all = timeline.entries.map((e) => e.title);
    expect(all.length).toBeGreaterThan(3);
    const paged: string[] = [];
    for (let offset = 0; ; offset += 2) {
      const page = await modelTimeline(as(manager), { model: "credit-default", offset, limit: 2 });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      expect(page.reigns.map((x) => x.version)).toEqual([6, 3, 6]);
      paged.push(...page.entries.map((e) => e.title));
      if (!page.page.hasMore) break;
    }
    expect(paged).toEqual(all);
    const times = timeline.entries.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await expect(rollback(as(scientist), { model: "credit-default", reason: "I want to" })).rejects.toThrow(
      /permission/,
    );
  });

  it("keeps exactly one champion through 50 concurrent rollbacks and approvals, one audit entry per effective decision", async () => {
    const auditsBefore = await database.db.$count(auditLog, like(auditLog.action, "release.%"));
    let sampling = true;
    const counts: number[] = [];
    const sampler = (async () => {
      while (sampling) {
        counts.push((await championVersion(database.db, "credit-default")).length);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    // Only former champions (v3 and v6) may be rolled back to; v1, v2 and v5 never were.
    const calls = Array.from({ length: 50 }, (_, i) =>
      rollback(as(i % 2 ? manager : manager2), {
        model: "credit-default",
        toVersion: [3, 6, 5, 1][i % 4],
        reason: `storm number ${i}`,
      }),
    );
    const results = await Promise.allSettled(calls);
    sampling = false;
    await sampler;
    expect(await championVersion(database.db, "credit-default")).toHaveLength(1);
    expect(counts.every((c) => c === 1)).toBe(true);
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const auditsAfter = await database.db.$count(auditLog, like(auditLog.action, "release.%"));
    expect(auditsAfter - auditsBefore).toBe(ok);
    expect(ok).toBeGreaterThan(0);
    // Refused: a version that was never champion, or the one that is champion at that moment.
    for (const r of results)
      if (r.status === "rejected") expect(String(r.reason)).toMatch(/was never champion|already the champion/);
    expect(results.filter((r, i) => r.status === "fulfilled" && [5, 1].includes([3, 6, 5, 1][i % 4]!))).toHaveLength(0);
  });

  it("activates a tightening at once and holds a loosening for a manager who did not propose it", async () => {
    const tight = await proposeRequirementSet(as(scientistManager), {
      model: "credit-default",
      primaryMetric: "auc",
      requiredReportKinds: ["holdout"],
      requirements: [{ metric: "auc", direction: "higher", floor: 0.72 }],
      rationale: "champion is well above",
    });
    expect(tight.status).toBe("active");
    const loose = await proposeRequirementSet(as(scientistManager), {
      model: "credit-default",
      primaryMetric: "auc",
      requiredReportKinds: [],
      requirements: [{ metric: "auc", direction: "higher", floor: 0.68 }],
      rationale: "new market is noisier",
    });
    expect(loose).toMatchObject({
      status: "pending",
      loosens: ["no longer requires a holdout report", "lowers the floor of auc from 0.72 to 0.68"],
    });
    await expect(
      decideRequirementSet(as(scientistManager), { setId: loose.id, approve: true, note: "fine" }),
    ).rejects.toBeInstanceOf(FourEyesError);
    await expect(
      proposeRequirementSet(as(scientist), {
        model: "credit-default",
        primaryMetric: "auc",
        requirements: [{ metric: "auc", direction: "higher", floor: 0.5 }],
        rationale: "even looser",
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const approved = await decideRequirementSet(as(manager), {
      setId: loose.id,
      approve: true,
      note: "agreed in review",
    });
    expect(approved.status).toBe("active");
    const active = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from requirement_sets s join models m on m.id = s.model_id where m.name = 'credit-default' and s.status = 'active'`,
    );
    expect(Number(active.rows[0]?.n)).toBe(1);
  });
});
