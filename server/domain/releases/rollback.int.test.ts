import { like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, releases } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { championVersion, makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { InvalidInputError } from "../errors";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { decideRelease } from "./decide";
import { requestRelease } from "./request";
import { rollback } from "./rollback";
import { rollbackOptions } from "./rollback-options";

/** Rollbacks skip the gate and the second person, so they may only return to a former champion. */
describe.each(testDatabaseKinds)("rollback only goes back, on %s", (kind) => {
  let database: Database;
  let scientist: Principal, manager: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const promote = async (version: number) => {
    const req = await requestRelease(as(scientist), {
      model: "fraud",
      version,
      strategy: "full",
      rationale: "promote for the rollback tests",
    });
    // Override: these tests are about rollbacks, not about the gate's evidence.
    await decideRelease(as(manager), {
      releaseId: req.id,
      decision: "approve",
      note: "approved",
      override: true,
      justification: "set-up of the rollback history",
    });
  };
  const state = async () => ({
    champion: await championVersion(database.db, "fraud"),
    releases: await database.db.$count(releases),
    audit: await database.db.$count(auditLog, like(auditLog.action, "release.%")),
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    manager = await makeUser(database.db, "manager@test.dev", ["manager"]);
    await createModel(as(scientist), { name: "fraud", task: "binary_classification", owner: "risk" });
    for (let v = 1; v <= 6; v++)
      await registerVersion(as(scientist), "fraud", {
        artifactUri: `s3://m/${v}`,
        artifactSha256: "e".repeat(64),
        config: { v },
      });
  });
  afterAll(async () => database?.close());

  it("has nothing to roll back to before a second champion", async () => {
    await promote(1);
    expect(await rollbackOptions(as(manager), "fraud")).toEqual({ champion: 1, eligible: [], defaultVersion: null });
    await expect(rollback(as(manager), { model: "fraud", reason: "nothing earlier exists" })).rejects.toThrow(
      /no earlier champion/,
    );
  });

  it("refuses a never-released candidate and changes nothing: champion, releases and audit stay as they were", async () => {
    await promote(2);
    await promote(3);
    // v6 has a pending canary request: rolling back to it would skip the gate and the second person.
    await requestRelease(as(scientist), {
      model: "fraud",
      version: 6,
      strategy: "canary",
      share: 0.1,
      rationale: "pending canary, never champion",
    });
    const before = await state();
    const refused = rollback(as(manager), { model: "fraud", toVersion: 6, reason: "try to sneak v6 in" });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(rollback(as(manager), { model: "fraud", toVersion: 6, reason: "try to sneak v6 in" })).rejects.toThrow(
      "v6 was never champion; release it through a request and a manager's decision",
    );
    await expect(
      rollback(as(manager), { model: "fraud", toVersion: 3, reason: "already the champion" }),
    ).rejects.toThrow(/already the champion/);
    expect(await state()).toEqual(before);
    const options = await rollbackOptions(as(manager), "fraud");
    expect(options).toMatchObject({ champion: 3, defaultVersion: 2 });
    expect(options.eligible.map((t) => t.version)).toEqual([2, 1]);
  });

  it("goes to the previous champion by default, and further back on a second rollback", async () => {
    const first = await rollback(as(manager), { model: "fraud", reason: "v3 misbehaves in production" });
    expect(first).toMatchObject({ from: 3, to: 2 });
    const options = await rollbackOptions(as(manager), "fraud");
    expect(options.defaultVersion).toBe(1);
    expect(options.eligible.map((t) => [t.version, t.rolledBackFrom])).toEqual([
      [3, true],
      [1, false],
    ]);
    const second = await rollback(as(manager), { model: "fraud", reason: "v2 misbehaves as well" });
    expect(second).toMatchObject({ from: 2, to: 1 });
    expect(await championVersion(database.db, "fraud")).toEqual([1]);
    // Nothing earlier that was not itself rolled back from: the manager must name a version.
    await expect(rollback(as(manager), { model: "fraud", reason: "once more, please" })).rejects.toThrow(
      /no earlier champion/,
    );
    const chosen = await rollback(as(manager), {
      model: "fraud",
      toVersion: 3,
      reason: "v3 was fine after all, the issue was upstream",
    });
    expect(chosen).toMatchObject({ from: 1, to: 3 });
    const rows = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from releases where kind = 'rollback'`,
    );
    expect(Number(rows.rows[0]?.n)).toBe(3);
  });
});
