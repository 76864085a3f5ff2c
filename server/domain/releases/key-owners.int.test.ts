import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { releases } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { authenticateApiKey, createApiKey } from "../admin/apiKeys";
import { setDisabled } from "../admin/users";
import { FourEyesError, InvalidInputError, UnauthenticatedError } from "../errors";
import { createModel } from "../registry/models";
import { getVersion, registerVersion } from "../registry/versions";
import { createReport } from "../reports/create";
import { decideRelease } from "./decide";
import { getRelease } from "./queries";
import { requestRelease } from "./request";

/** Four eyes through keys: what a key does counts as its owner's, and a key does not outlive its owner. */
describe.each(testDatabaseKinds)("API key owners on %s", (kind) => {
  let database: Database;
  let admin: Principal, scientist: Principal, m: Principal, m2: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const sha = "e".repeat(64);
  // Overrides keep these tests about who may decide, not about the gate's evidence rules.
  const approve = (releaseId: string) => ({
    releaseId,
    decision: "approve" as const,
    note: "fine by me",
    override: true,
    justification: "testing four eyes, not the gate",
  });

  async function keyFor(owner: string, scopes: ("versions:write" | "reports:write")[]) {
    const created = await createApiKey(as(admin), {
      name: `pipeline-${owner}-${scopes.join("-")}`,
      scopes,
      ownerEmail: owner,
    });
    return (await authenticateApiKey(database.db, created.key))!;
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    admin = await makeUser(database.db, "admin@test.dev", ["admin"]);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    m = await makeUser(database.db, "m@test.dev", ["manager"]);
    m2 = await makeUser(database.db, "m2@test.dev", ["manager"]);
    await createModel(as(scientist), { name: "fraud", task: "binary_classification", owner: "risk" });
  });
  afterAll(async () => database?.close());

  it("a key must name an existing, active owner", async () => {
    await expect(createApiKey(as(admin), { name: "x", scopes: ["registry:read"] })).rejects.toThrow(/owns the key/);
    await expect(
      createApiKey(as(admin), { name: "x", scopes: ["registry:read"], ownerEmail: "nobody@test.dev" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    const key = await createApiKey(as(admin), { name: "x", scopes: ["registry:read"], ownerEmail: "M@test.dev" });
    expect(key.owner).toBe("m@test.dev");
    expect(await authenticateApiKey(database.db, key.key)).toMatchObject({
      kind: "apiKey",
      ownerUserId: m.kind === "user" ? m.id : "",
    });
  });

  it("a version registered by M's key cannot be approved by M; another manager may", async () => {
    const key = await keyFor("m@test.dev", ["versions:write"]);
    const v = await registerVersion(as(key), "fraud", { artifactUri: "s3://f/1", artifactSha256: sha, config: {} });
    const shown = await getVersion(as(m2), "fraud", v.version);
    expect(shown.author).toMatch(/on behalf of m@test\.dev/);
    const req = await requestRelease(as(scientist), {
      model: "fraud",
      version: v.version,
      strategy: "shadow",
      rationale: "shadow it for a week",
    });
    expect((await getRelease(as(m), req.id)).decisionForMe).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/registered this version through your API key/),
    });
    const refused = decideRelease(as(m), approve(req.id));
    await expect(refused).rejects.toBeInstanceOf(FourEyesError);
    await expect(refused).rejects.toThrow(/registered this version through your API key/);
    expect((await decideRelease(as(m2), approve(req.id))).status).toBe("approved");
  });

  it("a release requested through M's key cannot be approved by M", async () => {
    const v = await registerVersion(as(scientist), "fraud", {
      artifactUri: "s3://f/2",
      artifactSha256: sha,
      config: {},
    });
    const req = await requestRelease(as(scientist), {
      model: "fraud",
      version: v.version,
      strategy: "shadow",
      rationale: "shadow it for a week",
    });
    // No scope lets a key request a release today; the rule must hold for the rows a key would write.
    const key = await keyFor("m@test.dev", ["versions:write"]);
    await database.db
      .update(releases)
      .set({ requestedBy: null, requestedByApiKey: (key as { id: string }).id, requestedByLabel: "key:x" })
      .where(eq(releases.id, req.id));
    await expect(decideRelease(as(m), approve(req.id))).rejects.toThrow(/requested this release through your API key/);
    expect((await decideRelease(as(m2), approve(req.id))).status).toBe("approved");
  });

  it("a report uploaded through M's key counts as M's: M cannot approve a release resting on it", async () => {
    const v = await registerVersion(as(scientist), "fraud", {
      artifactUri: "s3://f/3",
      artifactSha256: sha,
      config: {},
    });
    const key = await keyFor("m@test.dev", ["reports:write"]);
    await createReport(as(key), {
      model: "fraud",
      version: v.version,
      kind: "holdout",
      sampleSize: 500,
      metrics: { latency_p95_ms: 10 },
    });
    const req = await requestRelease(as(scientist), {
      model: "fraud",
      version: v.version,
      strategy: "shadow",
      rationale: "shadow it for a week",
    });
    // The page asks the policy's predicate too: M sees why, and no approve button; M2 and the requester's view agree with the server.
    const mView = (await getRelease(as(m), req.id)).decisionForMe;
    expect(mView).toEqual({
      allowed: false,
      reason: expect.stringMatching(/uploaded the holdout report this release rests on through your API key/),
    });
    expect((await getRelease(as(m2), req.id)).decisionForMe).toEqual({ allowed: true });
    expect((await getRelease(as(scientist), req.id)).decisionForMe).toEqual({
      allowed: false,
      reason: "Only managers decide releases.",
    });
    await expect(decideRelease(as(m), approve(req.id))).rejects.toThrow(mView!.allowed ? "unreachable" : mView!.reason);
    expect((await decideRelease(as(m2), approve(req.id))).status).toBe("approved");
  });

  it("a key whose owner is disabled stops authenticating, with a message saying why", async () => {
    const created = await createApiKey(as(admin), {
      name: "leaver",
      scopes: ["registry:read"],
      ownerEmail: "m2@test.dev",
    });
    expect(await authenticateApiKey(database.db, created.key)).not.toBeNull();
    await setDisabled(as(admin), { userId: m2.kind === "user" ? m2.id : "", disabled: true });
    const refused = authenticateApiKey(database.db, created.key);
    await expect(refused).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(refused).rejects.toThrow(/disabled/);
    await expect(
      createApiKey(as(admin), { name: "y", scopes: ["registry:read"], ownerEmail: "m2@test.dev" }),
    ).rejects.toThrow(/disabled/);
  });
});
