import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, modelVersions } from "@/db/schema";
import { seedDemoData } from "@/server/demo/demo";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "../errors";
import { createModel, getModel, listModels } from "./models";
import { registerDataset } from "./datasets";
import { diffVersions, getChampion, getVersion, registerVersion } from "./versions";
import { ZodError } from "zod";

const scientist: Principal = {
  kind: "user",
  id: "",
  email: "scientist@ratchet.dev",
  name: "S",
  roles: ["data_scientist"],
};
const viewer: Principal = { kind: "user", id: "", email: "viewer@ratchet.dev", name: "V", roles: ["viewer"] };
const sha = "a".repeat(64);

describe.each(testDatabaseKinds)("registry on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemoData(database.db);
    const rows = await database.db.execute<{ id: string; email: string }>(sql`select id, email from users`);
    for (const row of rows.rows) {
      if (row.email === scientist.email && scientist.kind === "user") scientist.id = row.id;
      if (row.email === viewer.email && viewer.kind === "user") viewer.id = row.id;
    }
  });
  afterAll(async () => database?.close());
  const as = (principal: Principal) => ({ db: database.db, principal });

  it("lists the demo models with champion and version count, searchable and paginated", async () => {
    const all = await listModels(as(viewer), {});
    expect(all.total).toBe(3);
    const credit = all.models.find((m) => m.name === "credit-default");
    expect(credit).toMatchObject({ championVersion: 5, versionCount: 6 });
    const searched = await listModels(as(viewer), { search: "house" });
    expect(searched.models.map((m) => m.name)).toEqual(["house-price"]);
    const page2 = await listModels(as(viewer), { pageSize: 2, page: 2 });
    expect(page2.models).toHaveLength(1);
  });

  it("registers a version with lineage and diffs its config against another", async () => {
    const v = await registerVersion(as(scientist), "churn", {
      artifactUri: "s3://x/churn/5",
      artifactSha256: sha,
      config: { kind: "gradient_boosting", trees: 400, threshold: 0.45 },
      parentVersion: 4,
      trainingDataset: { name: "subscriber-activity", version: 4 },
    });
    expect(v.version).toBe(6);
    const detail = await getVersion(as(viewer), "churn", 6);
    expect(detail.lineage.map((l) => l.version)).toEqual([4, 3, 2, 1]);
    expect(detail.trainingDataset?.version).toBe(4);
    expect(detail.author).toBe("scientist@ratchet.dev");
    const d = await diffVersions(as(viewer), "churn", 4, 6);
    expect(d.config.find((c) => c.path === "trees")).toMatchObject({ kind: "changed", from: 300, to: 400 });
    expect(d.config.find((c) => c.path === "threshold")).toMatchObject({ from: 0.5, to: 0.45 });
    expect(d.config.some((c) => c.path === "feature_importance" && c.kind === "removed")).toBe(true);
    const [audit] = await database.db.select().from(auditLog).where(eq(auditLog.entityId, "churn@6"));
    expect(audit).toMatchObject({ action: "version.created", actorLabel: "scientist@ratchet.dev" });
  });

  it("refuses bad input and unknown references without writing anything", async () => {
    const before = await database.db.$count(modelVersions);
    await expect(
      registerVersion(as(scientist), "churn", { artifactUri: "x", artifactSha256: "nope", config: {} }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      registerVersion(as(scientist), "churn", {
        artifactUri: "x",
        artifactSha256: sha,
        config: {},
        trainingDataset: { name: "missing", version: 1 },
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      registerVersion(as(scientist), "no-such-model", { artifactUri: "x", artifactSha256: sha, config: {} }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      registerVersion(as(viewer), "churn", { artifactUri: "x", artifactSha256: sha, config: {} }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await database.db.$count(modelVersions)).toBe(before);
  });

  it("gives 50 concurrent registrations consecutive numbers, each with one audit entry", async () => {
    await createModel(as(scientist), { name: "race", task: "regression", owner: "test" });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        registerVersion(as(scientist), "race", { artifactUri: `s3://race/${i}`, artifactSha256: sha, config: { i } }),
      ),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.entityId} like 'race@%'`);
    expect(audits).toHaveLength(50);
  });

  it("refuses a duplicate model name and keeps dataset registration idempotent", async () => {
    await expect(createModel(as(scientist), { name: "churn", task: "regression", owner: "x" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    const body = { name: "events", role: "test" as const, rowCount: 10, hash: "sha256:abcdef12", uri: "s3://e/1" };
    const first = await registerDataset(as(scientist), body);
    const again = await registerDataset(as(scientist), body);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, dataset: { id: first.dataset.id, version: 1 } });
    const next = await registerDataset(as(scientist), { ...body, hash: "sha256:99999999" });
    expect(next.dataset.version).toBe(2);
    await expect(registerDataset(as(scientist), { ...body, rowCount: 11 })).rejects.toBeInstanceOf(ConflictError);
  });

  it("serves the champion with its config", async () => {
    const c = await getChampion(as(viewer), "credit-default");
    expect(c.champion?.version).toBe(5);
    expect(c.champion?.config).toHaveProperty("coefficients.income_log");
    const model = await getModel(as(viewer), "credit-default");
    expect(model.champion?.version).toBe(5);
  });

  it("keeps the audit log append-only in the database itself", async () => {
    const refused = { cause: { message: expect.stringMatching(/audit_log is append-only/) } };
    await expect(database.db.execute(sql`update audit_log set action = 'x'`)).rejects.toMatchObject(refused);
    await expect(database.db.execute(sql`delete from audit_log`)).rejects.toMatchObject(refused);
  });

  it("allows at most one champion per model (partial unique index)", async () => {
    await expect(
      database.db.execute(
        sql`update model_versions set stage = 'champion' where version = 1 and model_id = (select id from models where name = 'credit-default')`,
      ),
    ).rejects.toThrow();
  });
});
