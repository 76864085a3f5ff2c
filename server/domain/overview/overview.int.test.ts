import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemoData } from "@/server/demo/demo";
import { makeUser, principalFor } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { UnauthenticatedError } from "../errors";
import { authenticateApiKey, createApiKey } from "../admin/apiKeys";
import { registerVersion } from "../registry/versions";
import { requestRelease } from "../releases/request";
import { overviewFor } from "./overview";

describe.each(testDatabaseKinds)("the overview on %s, with the demo data", (kind) => {
  let database: Database;
  const as = async (email: string) =>
    overviewFor({ db: database.db, principal: await principalFor(database.db, email) });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemoData(database.db);
  }, 300_000); // the whole demo, back-test outcomes included, on a busy machine
  afterAll(() => database.close());

  it("shows every model's champion and the latest release request with its gate", async () => {
    const { models } = await as("viewer@ratchet.dev");
    const byName = Object.fromEntries(models.map((m) => [m.name, m]));
    expect(byName["credit-default"]?.champion?.version).toBe(5);
    expect(byName["churn"]?.champion?.version).toBe(3); // v4 was rolled back
    expect(byName["credit-default"]?.latestRequest).toMatchObject({ version: 6, status: "pending" });
    expect(byName["credit-default"]?.latestRequest?.gate).toBe("fail");
    for (const m of models) if (m.champion) expect(m.champion.since!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("gives managers the decisions waiting for them, and marks the ones four eyes keeps from them", async () => {
    const manager = await as("manager@ratchet.dev");
    const pending = manager.decisions!.releases.map((r) => `${r.model} v${r.version}`);
    expect(pending).toContain("credit-default v6");
    expect(manager.decisions!.releases.every((r) => !r.blockedForMe)).toBe(true);
    expect(manager.decisions!.loosenings.map((s) => s.model)).toContain("house-price");

    // A person who requested a release sees it as someone else's to decide.
    const both = await makeUser(database.db, "both@ratchet.test", ["data_scientist", "manager"]);
    const mine = await requestRelease(
      { db: database.db, principal: both },
      { model: "credit-default", version: 4, strategy: "shadow", rationale: "shadow the old one for a week" },
    );
    const view = await overviewFor({ db: database.db, principal: both });
    expect(view.decisions!.releases.find((r) => r.id === mine.id)?.blockedForMe).toBe(true);
    expect(view.decisions!.releases.filter((r) => r.id !== mine.id).every((r) => !r.blockedForMe)).toBe(true);
    expect(view.candidates).not.toBeNull();

    // Four eyes through keys: a version registered with a manager's key is theirs; its release is not theirs to decide.
    const op = { db: database.db, principal: { kind: "operator" as const, name: "test" } };
    const { key } = await createApiKey(op, {
      name: "pipeline",
      scopes: ["versions:write"],
      ownerEmail: "manager@ratchet.dev",
    });
    const viaKey = (await authenticateApiKey(database.db, key))!;
    const v = await registerVersion({ db: database.db, principal: viaKey }, "house-price", {
      artifactUri: "s3://m/hp-key",
      artifactSha256: "e".repeat(64),
      config: { alpha: 1 },
    });
    const scientist = await principalFor(database.db, "scientist@ratchet.dev");
    const req = await requestRelease(
      { db: database.db, principal: scientist },
      { model: "house-price", version: v.version, strategy: "shadow", rationale: "shadow it before anything else" },
    );
    const managerView = await as("manager@ratchet.dev");
    expect(managerView.decisions!.releases.find((r) => r.id === req.id)?.blockedForMe).toBe(true);
  });

  it("gives data scientists their versions not yet in production, with their latest request", async () => {
    const { candidates, decisions } = await as("scientist@ratchet.dev");
    expect(decisions).toBeNull();
    const v6 = candidates!.find((c) => c.model === "credit-default" && c.version === 6);
    expect(v6?.request).toMatchObject({ status: "pending", gate: "fail" });
    expect(candidates!.some((c) => c.stage === "champion" || c.stage === "retired")).toBe(false);
  });

  it("shows viewers and reviewers the models only, and nobody signed out anything", async () => {
    for (const email of ["viewer@ratchet.dev", "reviewer@ratchet.dev"]) {
      const view = await as(email);
      expect(view.decisions).toBeNull();
      expect(view.candidates).toBeNull();
      expect(view.models.length).toBeGreaterThanOrEqual(3);
    }
    await expect(overviewFor({ db: database.db, principal: null })).rejects.toThrow(UnauthenticatedError);
  });
});
