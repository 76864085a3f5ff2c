import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { models, modelVersions, releases, statResults } from "@/db/schema";
import { seedDemoData } from "@/server/demo/demo";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { principalFor } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { ConflictError } from "../errors";
import { evaluateGate } from "../gate/evaluate";
import { decideRelease } from "../releases/decide";
import { closeStatsPool } from "./pool";

describe.each(testDatabaseKinds)("heavy statistics are cached in stat_results on %s", (kind) => {
  let database: Database;
  let viewer: Principal, manager: Principal;
  const cached = async () =>
    (await database.db.select({ n: count() }).from(statResults).where(eq(statResults.kind, "paired")))[0]!.n;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemoData(database.db);
    viewer = await principalFor(database.db, "viewer@ratchet.dev");
    manager = await principalFor(database.db, "manager@ratchet.dev");
  });
  afterAll(async () => {
    await database?.close();
    await closeStatsPool();
  });

  it("a second comparison of the same reports reads the cache: no new rows, identical numbers", async () => {
    await database.db.delete(statResults).where(eq(statResults.kind, "paired"));
    const api = createCaller({ db: database.db, principal: viewer });
    const first = await api.compare.versions({ model: "churn" });
    const rows = await cached();
    expect(rows).toBeGreaterThan(0);
    expect(first.pairs.some((p) => p.rows.some((r) => r.pValue !== null))).toBe(true);
    const second = await api.compare.versions({ model: "churn" });
    expect(await cached()).toBe(rows);
    expect(second.pairs).toEqual(first.pairs);
  });

  it("a release decision computes the gate's paired test before its transaction and only reads it inside", async () => {
    const [churn] = await database.db.select().from(models).where(eq(models.name, "churn"));
    const [pending] = await database.db
      .select()
      .from(releases)
      .where(and(eq(releases.modelId, churn!.id), eq(releases.status, "pending")));
    const [v5] = await database.db.select().from(modelVersions).where(eq(modelVersions.id, pending!.toVersionId));
    await database.db.delete(statResults).where(eq(statResults.kind, "paired"));
    // The transaction's path never computes: with nothing cached it refuses instead of bootstrapping.
    await expect(evaluateGate(database.db, churn!, v5!, { cachedOnly: true })).rejects.toThrow(ConflictError);

    const decided = await decideRelease(
      { db: database.db, principal: manager },
      {
        releaseId: pending!.id,
        decision: "approve",
        override: true,
        justification: "canary only; annual plans watched daily",
        note: "canary approved",
      },
    );
    expect(decided.status).toBe("approved");
    expect(await cached()).toBeGreaterThan(0);
    // Same evidence, same cached computation: the decision's gate has the request's paired numbers.
    const paired = (gate: unknown) => JSON.stringify(gate).match(/"method":"paired[^"]*"/g);
    expect(paired(decided.gateAtDecision)?.length).toBeGreaterThan(0);
    expect(paired(decided.gateAtDecision)).toEqual(paired(pending!.gateAtRequest));
    // Every check computed from the reports is identical; only the alert check may differ, because the
    // demo's critical churn alert opened after the request was made and the decision sees it.
    type Gate = { checks: { id: string }[] };
    const fromReports = (gate: unknown) => (gate as Gate).checks.filter((c) => c.id !== "alerts");
    expect(fromReports(decided.gateAtDecision)).toEqual(fromReports(pending!.gateAtRequest));
    expect((decided.gateAtDecision as Gate).checks.find((c) => c.id === "alerts")).toMatchObject({ status: "fail" });
  });
});
