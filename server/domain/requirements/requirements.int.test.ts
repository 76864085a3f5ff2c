import { eq, like } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, metricDirections, requirementSets } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { ConflictError } from "../errors";
import { createModel } from "../registry/models";
import { decideRequirementSet, pendingLoosening, pendingRequirementSets, proposeRequirementSet } from "./sets";

const auc = (floor: number) => ({ metric: "auc", direction: "higher" as const, floor });
const approval = (direction: "higher" | "lower", floor: number) => ({ metric: "approval_rate", direction, floor });

describe.each(testDatabaseKinds)("requirement loosenings on %s", (kind) => {
  let database: Database;
  let scientist: Principal, manager: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const activeVersion = async () =>
    (await database.db.select().from(requirementSets).where(eq(requirementSets.status, "active")))[0]?.version;
  const declared = async () =>
    Object.fromEntries((await database.db.select().from(metricDirections)).map((d) => [d.metric, d.direction]));

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    manager = await makeUser(database.db, "manager@test.dev", ["manager"]);
    await createModel(as(scientist), { name: "loans", task: "binary_classification", owner: "risk" });
    const first = await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "auc",
      requirements: [auc(0.7), approval("higher", 0.3)],
      rationale: "launch review",
    });
    expect(first.status).toBe("active");
  });
  afterAll(async () => database?.close());

  it("declares a custom metric's direction when a set using it becomes active", async () => {
    expect(await declared()).toEqual({ approval_rate: "higher" });
  });

  it("refuses a known metric with the wrong direction, and a custom primary metric with no direction", async () => {
    await expect(
      proposeRequirementSet(as(scientist), {
        model: "loans",
        primaryMetric: "auc",
        requirements: [{ metric: "auc", direction: "lower", floor: 0.9 }],
        rationale: "inverted",
      }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      proposeRequirementSet(as(scientist), {
        model: "loans",
        primaryMetric: "profit",
        requirements: [auc(0.7)],
        rationale: "new primary",
      }),
    ).rejects.toThrow(/primaryMetric: profit is a custom metric/);
    expect(await activeVersion()).toBe(1);
  });

  it("holds a changed primary metric as pending; the active set stays", async () => {
    const changed = await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "f1",
      requirements: [auc(0.7), approval("higher", 0.3)],
      rationale: "f1 matters more now",
    });
    expect(changed).toMatchObject({ status: "pending", loosens: ["changes the primary metric from auc to f1"] });
    expect(await activeVersion()).toBe(1);
    await decideRequirementSet(as(manager), { setId: changed.id, approve: false, note: "keep auc" });
  });

  it("holds a flipped custom direction as pending, also when the active set no longer uses the metric; approving it updates the declaration", async () => {
    const dropped = await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "auc",
      requirements: [auc(0.7)],
      rationale: "drop approval rate",
    });
    await decideRequirementSet(as(manager), { setId: dropped.id, approve: true, note: "fine" });
    const flipped = await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "auc",
      requirements: [auc(0.72), approval("lower", 0.5)],
      rationale: "approval rate now a cost",
    });
    expect(flipped).toMatchObject({
      status: "pending",
      loosens: ["flips the declared direction of approval_rate from higher to lower"],
    });
    expect(await declared()).toEqual({ approval_rate: "higher" });
    await decideRequirementSet(as(manager), { setId: flipped.id, approve: true, note: "agreed with risk" });
    expect(await declared()).toEqual({ approval_rate: "lower" });
  });

  it("refuses a stale approval: the active set changed since the loosening was proposed; nothing changes", async () => {
    const active = await activeVersion();
    const loose = await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "auc",
      requirements: [auc(0.6), approval("lower", 0.5)],
      minOutcomes: 100,
      rationale: "noisier market",
    });
    expect(loose.loosens).toEqual([
      "lowers the minimum outcomes per report from 200 to 100",
      "lowers the floor of auc from 0.72 to 0.6",
    ]);
    const tight = await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "auc",
      requirements: [auc(0.75), approval("lower", 0.5)],
      rationale: "champion is well above",
    });
    expect(tight.status).toBe("active");
    const review = (await pendingRequirementSets(as(manager))).find((s) => s.id === loose.id)!;
    expect(review).toMatchObject({
      stale: true,
      activeVersion: tight.version,
      loosensNow: [
        "lowers the minimum outcomes per report from 200 to 100",
        "lowers the floor of auc from 0.75 to 0.6",
      ],
    });
    expect(review.diffNow.find((d) => d.requirement === "auc")).toMatchObject({
      change: "loosened",
      before: { floor: 0.75 },
      after: { floor: 0.6 },
    });
    expect((await pendingLoosening(as(manager), "loans"))?.stale).toBe(true);

    const audits = await database.db.$count(auditLog, like(auditLog.action, "requirements.%"));
    const approving = decideRequirementSet(as(manager), { setId: loose.id, approve: true, note: "looks fine" });
    await expect(approving).rejects.toBeInstanceOf(ConflictError);
    await expect(
      decideRequirementSet(as(manager), { setId: loose.id, approve: true, note: "looks fine" }),
    ).rejects.toThrow(/fresh proposal/);
    expect(await activeVersion()).toBe(tight.version);
    expect((await database.db.select().from(requirementSets).where(eq(requirementSets.id, loose.id)))[0]?.status).toBe(
      "pending",
    );
    expect(await database.db.$count(auditLog, like(auditLog.action, "requirements.%"))).toBe(audits);
    expect(active).toBeLessThan(tight.version);
    // Rejecting a stale one is fine: it clears the way for a fresh proposal.
    await decideRequirementSet(as(manager), {
      setId: loose.id,
      approve: false,
      note: "propose again against the new set",
    });
    const fresh = await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "auc",
      requirements: [auc(0.6), approval("lower", 0.5)],
      rationale: "noisier market, again",
    });
    expect((await pendingLoosening(as(manager), "loans"))?.stale).toBe(false);
    expect((await decideRequirementSet(as(manager), { setId: fresh.id, approve: true, note: "agreed" })).status).toBe(
      "active",
    );
  });
});
