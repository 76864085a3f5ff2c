import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Database } from "@/db/client";
import { auditLog, evaluationReports, models, modelVersions, outboxEvents } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { insertReport, makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { ConflictError, ForbiddenError, InvalidInputError } from "../errors";
import { requestRelease } from "../releases/request";
import { proposeRequirementSet, requirementHistory } from "../requirements/sets";
import { listReports } from "../reports/queries";
import { setVersionArchived } from "./archive";
import { listDatasets, registerDataset } from "./datasets";
import { createModel, listModels } from "./models";
import { changeModelTags, changeVersionTags } from "./tags";
import { listVersions } from "./version-list";
import { registerVersion } from "./versions";

/** The registry's lists: paged, sorted and filtered in the database; tags and archiving as users rely on them. */
describe.each(testDatabaseKinds)("registry lists on %s", (kind) => {
  let database: Database;
  let scientist: Principal, manager: Principal, viewer: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const numbers = (r: { versions: { version: number }[] }) => r.versions.map((v) => v.version);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "ds@lists.dev", ["data_scientist"]);
    manager = await makeUser(database.db, "mgr@lists.dev", ["manager"]);
    viewer = await makeUser(database.db, "viewer@lists.dev", ["viewer"]);
    await createModel(as(scientist), { name: "lists", task: "binary_classification", owner: "t" });
    await createModel(as(scientist), { name: "lists-other", task: "binary_classification", owner: "t" });
    for (let v = 1; v <= 5; v++)
      await registerVersion(as(scientist), "lists", {
        artifactUri: `s3://l/${v}`,
        artifactSha256: "a".repeat(64),
        config: {},
      });
  });
  afterAll(async () => database?.close());

  it("versions: a page of N returns N and the total; pages neither overlap nor skip; sorted both ways", async () => {
    const first = await listVersions(as(viewer), { model: "lists", pageSize: 2 });
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(numbers(first)).toEqual([5, 4]);
    const pages = [
      first,
      await listVersions(as(viewer), { model: "lists", pageSize: 2, page: 2 }),
      await listVersions(as(viewer), { model: "lists", pageSize: 2, page: 3 }),
    ];
    expect(pages.flatMap(numbers)).toEqual([5, 4, 3, 2, 1]);
    expect(
      numbers(await listVersions(as(viewer), { model: "lists", sort: "version", dir: "asc", pageSize: 3 })),
    ).toEqual([1, 2, 3]);
    await expect(listVersions(as(viewer), { model: "lists", pageSize: 1000 })).rejects.toBeInstanceOf(ZodError); // bounded
    await expect(listVersions(as(viewer), { model: "lists", sort: "artifactUri" as never })).rejects.toBeInstanceOf(
      ZodError,
    );
  });

  it("tags: added and removed on models and versions, audited, filterable; bad tags and too many are refused", async () => {
    expect((await changeModelTags(as(scientist), { model: "lists", add: ["fraud", "tier-1"] })).tags).toEqual([
      "fraud",
      "tier-1",
    ]);
    expect((await changeModelTags(as(scientist), { model: "lists", add: ["fraud"], remove: ["tier-1"] })).tags).toEqual(
      ["fraud"],
    );
    expect((await listModels(as(viewer), { tag: "fraud" })).models.map((m) => m.name)).toEqual(["lists"]);
    expect((await listModels(as(viewer), { tag: "tier-1" })).models).toHaveLength(0);

    await changeVersionTags(as(scientist), { model: "lists", version: 2, add: ["baseline"] });
    await changeVersionTags(as(scientist), { model: "lists", version: 4, add: ["baseline", "gbm"] });
    expect(numbers(await listVersions(as(viewer), { model: "lists", tag: "baseline" }))).toEqual([4, 2]);
    expect(numbers(await listVersions(as(viewer), { model: "lists", tag: "gbm" }))).toEqual([4]);

    const entries = await database.db.select().from(auditLog).where(eq(auditLog.action, "version.tags_changed"));
    expect(entries.map((e) => e.entityId).sort()).toEqual(["lists@2", "lists@4"]);
    expect(entries.find((e) => e.entityId === "lists@4")).toMatchObject({
      before: { tags: [] },
      after: { tags: ["baseline", "gbm"] },
      actorLabel: "ds@lists.dev",
    });
    expect(await database.db.$count(auditLog, eq(auditLog.action, "model.tags_changed"))).toBe(2);

    const unchanged = async () =>
      (await database.db.select({ tags: models.tags }).from(models).where(eq(models.name, "lists")))[0]!.tags;
    await expect(changeModelTags(as(scientist), { model: "lists", add: ["Fraud"] })).rejects.toBeInstanceOf(ZodError); // refused, not lower-cased
    await expect(changeModelTags(as(scientist), { model: "lists", add: ["x".repeat(33)] })).rejects.toBeInstanceOf(
      ZodError,
    );
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await expect(changeModelTags(as(scientist), { model: "lists", add: twenty })).rejects.toBeInstanceOf(
      InvalidInputError,
    ); // 21 with "fraud"
    expect(await unchanged()).toEqual(["fraud"]);
    await expect(changeModelTags(as(viewer), { model: "lists", add: ["x"] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(changeVersionTags(as(manager), { model: "lists", version: 1, add: ["x"] })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("metric search: 'auc ≥ 0.8 on holdout' matches on overall reports of that kind, server-side", async () => {
    await insertReport(database.db, "lists", 1, "holdout", { auc: 0.75 });
    await insertReport(database.db, "lists", 2, "holdout", { auc: 0.82 });
    await insertReport(database.db, "lists", 3, "holdout", { auc: 0.9 }, { slice: "region=eu" }); // a slice does not count
    await insertReport(database.db, "lists", 4, "backtest", { auc: 0.95 }); // another kind does not count
    await insertReport(database.db, "lists", 5, "holdout", { auc: 0.79 });
    await insertReport(database.db, "lists", 5, "holdout", { auc: 0.81 }); // one report meeting it is enough
    const search = (op: "gte" | "lte", value: number) =>
      listVersions(as(viewer), { model: "lists", metric: { metric: "auc", op, value, kind: "holdout" } });
    const high = await search("gte", 0.8);
    expect(numbers(high)).toEqual([5, 2]);
    expect(high.versions.map((v) => v.metricValue)).toEqual([0.81, 0.82]); // the value that decided the match
    expect(high.total).toBe(2);
    expect(numbers(await search("lte", 0.78))).toEqual([1]);
    await expect(
      listVersions(as(viewer), {
        model: "lists",
        metric: { metric: "auc'; drop table x", op: "gte", value: 0.8, kind: "holdout" },
      }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      listVersions(as(viewer), {
        model: "lists",
        metric: { metric: "auc", op: "gte", value: Number.NaN, kind: "holdout" },
      }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("archiving hides a version by default, audited; champion, challenger and pending requests are refused; unarchive brings it back", async () => {
    await setVersionArchived(as(scientist), { model: "lists", version: 1, archived: true });
    expect(numbers(await listVersions(as(viewer), { model: "lists" }))).toEqual([5, 4, 3, 2]);
    const all = await listVersions(as(viewer), { model: "lists", archived: "include" });
    expect(numbers(all)).toEqual([5, 4, 3, 2, 1]);
    expect(all.versions.find((v) => v.version === 1)?.archivedAt).toBeInstanceOf(Date);
    await expect(
      setVersionArchived(as(scientist), { model: "lists", version: 1, archived: true }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      requestRelease(as(scientist), {
        model: "lists",
        version: 1,
        strategy: "shadow",
        rationale: "try the archived one",
      }),
    ).rejects.toThrow(/archived/);

    const versionId = async (v: number) =>
      (
        await database.db
          .select({ id: modelVersions.id })
          .from(modelVersions)
          .innerJoin(models, eq(models.id, modelVersions.modelId))
          .where(and(eq(models.name, "lists"), eq(modelVersions.version, v)))
      )[0]!.id;
    await database.db
      .update(modelVersions)
      .set({ stage: "champion" })
      .where(eq(modelVersions.id, await versionId(2)));
    await database.db
      .update(modelVersions)
      .set({ stage: "challenger" })
      .where(eq(modelVersions.id, await versionId(3)));
    await expect(setVersionArchived(as(scientist), { model: "lists", version: 2, archived: true })).rejects.toThrow(
      /champion/,
    );
    await expect(setVersionArchived(as(scientist), { model: "lists", version: 3, archived: true })).rejects.toThrow(
      /challenger/,
    );
    await requestRelease(as(scientist), {
      model: "lists",
      version: 4,
      strategy: "shadow",
      rationale: "shadow it for a week",
    });
    await expect(setVersionArchived(as(scientist), { model: "lists", version: 4, archived: true })).rejects.toThrow(
      /pending release/,
    );
    await expect(
      setVersionArchived(as(manager), { model: "lists", version: 5, archived: true }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(numbers(await listVersions(as(viewer), { model: "lists" }))).toEqual([5, 4, 3, 2]); // nothing changed

    await setVersionArchived(as(scientist), { model: "lists", version: 1, archived: false });
    expect(numbers(await listVersions(as(viewer), { model: "lists" }))).toEqual([5, 4, 3, 2, 1]);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.entityId, "lists@1"));
    expect(audit.map((e) => e.action).filter((a) => a.startsWith("version.") && a.includes("archived"))).toEqual([
      "version.archived",
      "version.unarchived",
    ]);
    expect(await database.db.$count(outboxEvents, eq(outboxEvents.type, "version.archived"))).toBe(1);
  });

  it("requirement history: a page of N returns N with the total; the diff reads its two sets whatever the page", async () => {
    for (const floor of [0.6, 0.65, 0.7, 0.72]) {
      await proposeRequirementSet(as(scientist), {
        model: "lists-other",
        primaryMetric: "auc",
        rationale: `tighten to ${floor}`,
        requirements: [{ metric: "auc", direction: "higher", floor }],
      });
    }
    const first = await requirementHistory(as(viewer), "lists-other", { limit: 2 });
    expect(first.sets.map((s) => s.version)).toEqual([4, 3]);
    expect(first).toMatchObject({ total: 4, versions: [4, 3, 2, 1], page: { offset: 0, limit: 2, hasMore: true } });
    expect(first.active?.version).toBe(4);
    const second = await requirementHistory(as(viewer), "lists-other", { limit: 2, offset: 2, a: 1, b: 4 });
    expect(second.sets.map((s) => s.version)).toEqual([2, 1]);
    expect(second.page.hasMore).toBe(false);
    expect(second.diff).toMatchObject({ from: 1, to: 4 });
    expect(second.diff?.rows[0]).toMatchObject({ change: "tightened", before: { floor: 0.6 }, after: { floor: 0.72 } });
    expect(first.diff).toMatchObject({ from: 3, to: 4 }); // default: the newest against the one before
  });

  it("reports: a page of N returns N with the total, while the back-test chart still gets every back-test", async () => {
    await registerVersion(as(scientist), "lists-other", {
      artifactUri: "s3://o/1",
      artifactSha256: "b".repeat(64),
      config: {},
    });
    for (let m = 1; m <= 3; m++)
      await insertReport(
        database.db,
        "lists-other",
        1,
        "backtest",
        { auc: 0.7 + m / 100 },
        { periodStart: `2026-0${m}-01` },
      );
    await insertReport(database.db, "lists-other", 1, "holdout", { auc: 0.8 });
    const first = await listReports(as(viewer), "lists-other", 1, { limit: 2 });
    expect(first.reports).toHaveLength(2);
    expect(first).toMatchObject({ total: 4, page: { offset: 0, limit: 2, hasMore: true } });
    expect(first.backtests).toHaveLength(3);
    const rest = await listReports(as(viewer), "lists-other", 1, { limit: 2, offset: 2 });
    expect(new Set([...first.reports, ...rest.reports].map((r) => r.id)).size).toBe(4);
    expect(rest.page.hasMore).toBe(false);
  });

  it("datasets: a page of N with the total, sorted and filtered by role; the model's own datasets first", async () => {
    const record = (name: string, role: "train" | "test", hash: string) =>
      registerDataset(as(scientist), { name, role, rowCount: 10, hash: `sha256:${hash}`, uri: `s3://d/${hash}` });
    await record("aaa-shared", "train", "aaa1");
    await record("zzz-owned", "train", "zzz1");
    await record("zzz-owned", "train", "zzz2"); // a newer version of the model's own dataset, not used yet
    await record("mmm-evaluated", "test", "mmm1");
    await registerVersion(as(scientist), "lists-other", {
      artifactUri: "s3://o/2",
      artifactSha256: "c".repeat(64),
      config: {},
      trainingDataset: { name: "zzz-owned", version: 1 },
    });
    const [evaluated] = (await listDatasets(as(viewer), { search: "mmm" })).datasets;
    const report = await insertReport(database.db, "lists-other", 1, "holdout", { auc: 0.7 });
    // insertReport stores no dataset: point this report at one to make it the model's evaluation data.
    await database.db
      .update(evaluationReports)
      .set({ datasetId: evaluated!.id })
      .where(eq(evaluationReports.id, report.id));

    const forModel = await listDatasets(as(viewer), { model: "lists-other" });
    expect(forModel.datasets.map((d) => [d.name, d.version, d.ownedByModel])).toEqual([
      ["mmm-evaluated", 1, true],
      ["zzz-owned", 2, true],
      ["zzz-owned", 1, true],
      ["aaa-shared", 1, false],
    ]);
    const page = await listDatasets(as(viewer), { pageSize: 2, sort: "name", dir: "desc" });
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect(page.datasets.map((d) => d.name)).toEqual(["zzz-owned", "zzz-owned"]);
    expect((await listDatasets(as(viewer), { role: "test" })).datasets.map((d) => d.name)).toEqual(["mmm-evaluated"]);
    expect((await listDatasets(as(viewer), { search: "%" })).total).toBe(0);
  });
});
