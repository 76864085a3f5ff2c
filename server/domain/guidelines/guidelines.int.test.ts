import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { ZodError } from "zod";
import type { Database } from "@/db/client";
import { auditLog, labelingGuidelines } from "@/db/schema";
import type { Principal, Role } from "@/server/authz/policy";
import { listAudit } from "@/server/domain/audit";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import { createModel } from "../registry/models";
import { guidelineDiff, guidelineHistory, guidelineVersion, publishGuidelines } from "./guidelines";

const person = (roles: Role[], email: string): Principal => ({
  kind: "user",
  id: "00000000-0000-4000-8000-000000000000",
  email,
  name: email,
  roles,
});
const viewer = person(["viewer"], "v@t");
const reviewer = person(["reviewer"], "r@t");
const manager = person(["manager"], "m@t");
const key: Principal = {
  kind: "apiKey",
  id: "00000000-0000-4000-8000-000000000001",
  name: "pipeline",
  scopes: ["registry:read", "models:write", "versions:write", "reports:write"],
  ownerUserId: "00000000-0000-4000-8000-000000000000",
};

const V1 = "# Fraud labels\n\nLabel **fraud** when the card holder did not make the payment.\n";
const V2 = `${V1}\n## When unsure\n\nFlag the item (F) and skip it.\n`;

describe.each(testDatabaseKinds)("labeling guidelines on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    await createModel(as(scientist), { name: "fraud", task: "binary_classification", owner: "test" });
  });
  afterAll(async () => database?.close());
  const as = (principal: Principal) => ({ db: database.db, principal });

  it("has no guidelines before the first version, and says so with null", async () => {
    expect(await guidelineVersion(as(viewer), { model: "fraud" })).toBeNull();
    expect((await guidelineHistory(as(viewer), "fraud")).versions).toEqual([]);
  });

  it("a data scientist publishes v1 and v2; everyone who reads the registry sees the latest and the history", async () => {
    expect(await publishGuidelines(as(scientist), { model: "fraud", markdown: V1, basedOnVersion: 0 })).toEqual({
      model: "fraud",
      version: 1,
      changed: true,
    });
    expect(
      await publishGuidelines(as(scientist), {
        model: "fraud",
        markdown: V2,
        changeNote: "What to do when unsure",
        basedOnVersion: 1,
      }),
    ).toMatchObject({ version: 2, changed: true });
    for (const reader of [viewer, reviewer, key]) {
      const latest = await guidelineVersion(as(reader), { model: "fraud" });
      expect(latest).toMatchObject({
        version: 2,
        markdown: V2,
        author: "ds@ratchet.test",
        changeNote: "What to do when unsure",
      });
    }
    expect((await guidelineVersion(as(reviewer), { model: "fraud", version: 1 }))!.markdown).toBe(V1);
    const history = await guidelineHistory(as(viewer), "fraud");
    expect(history.versions.map((v) => [v.version, v.author, v.characters])).toEqual([
      [2, "ds@ratchet.test", V2.length],
      [1, "ds@ratchet.test", V1.length],
    ]);
  });

  it("shows what changed between two versions line by line", async () => {
    const diff = await guidelineDiff(as(viewer), { model: "fraud", from: 1, to: 2 });
    expect(diff.removed).toBe(0);
    expect(diff.changes.filter((c) => c.kind === "added").map((c) => c.text)).toEqual([
      "## When unsure",
      "",
      "Flag the item (F) and skip it.",
      "",
    ]);
    await expect(guidelineDiff(as(viewer), { model: "fraud", from: 1, to: 9 })).rejects.toThrow(NotFoundError);
    await expect(guidelineDiff(as(viewer), { model: "fraud", from: 2, to: 2 })).rejects.toThrow(ZodError);
  });

  it("audits every publication with the text, readable by viewers as part of the governance record", async () => {
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.action, "guidelines.published"));
    expect(entries.map((e) => [e.entityType, e.entityId, e.actorLabel, e.before])).toEqual([
      ["labeling_guideline", "fraud@1", "ds@ratchet.test", null],
      ["labeling_guideline", "fraud@2", "ds@ratchet.test", { version: 1 }],
    ]);
    expect((entries[1]!.after as { markdown: string }).markdown).toBe(V2);
    const visible = await listAudit(as(viewer), { entityType: "labeling_guideline" });
    expect(visible.entries).toHaveLength(2);
  });

  it("refuses a save based on an outdated version, and changes nothing", async () => {
    await expect(
      publishGuidelines(as(scientist), { model: "fraud", markdown: "# Overwrite", basedOnVersion: 1 }),
    ).rejects.toThrow(/Version 2 .* was published while you edited version 1/);
    expect((await guidelineHistory(as(viewer), "fraud")).versions).toHaveLength(2);
  });

  it("publishing the same text again makes no new version", async () => {
    expect(await publishGuidelines(as(scientist), { model: "fraud", markdown: V2, basedOnVersion: 2 })).toEqual({
      model: "fraud",
      version: 2,
      changed: false,
    });
  });

  it("refuses people without the permission, keys, empty text and unknown models, changing nothing", async () => {
    for (const who of [viewer, reviewer, manager, key]) {
      await expect(publishGuidelines(as(who), { model: "fraud", markdown: "# No", basedOnVersion: 2 })).rejects.toThrow(
        ForbiddenError,
      );
    }
    await expect(
      publishGuidelines(as(scientist), { model: "fraud", markdown: "  \n", basedOnVersion: 2 }),
    ).rejects.toThrow(/write the guidelines/);
    await expect(
      publishGuidelines(as(scientist), { model: "fraud", markdown: "x".repeat(100_001), basedOnVersion: 2 }),
    ).rejects.toThrow(/at most 100,000 characters/);
    await expect(
      publishGuidelines(as(scientist), { model: "nope", markdown: "# x", basedOnVersion: 0 }),
    ).rejects.toThrow(NotFoundError);
    await expect(guidelineVersion(as(viewer), { model: "fraud", version: 7 })).rejects.toThrow(NotFoundError);
    expect((await guidelineHistory(as(viewer), "fraud")).versions).toHaveLength(2);
  });

  it("numbers concurrent publications without gaps or duplicates: one wins, the other is told to reload", async () => {
    const results = await Promise.allSettled(
      ["# A", "# B", "# C"].map((markdown) =>
        publishGuidelines(as(scientist), { model: "fraud", markdown, basedOnVersion: 2 }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    }
    const versions = (await guidelineHistory(as(viewer), "fraud")).versions.map((v) => v.version);
    expect(versions).toEqual([3, 2, 1]);
  });

  it("the database refuses to rewrite or delete a published version", async () => {
    await expect(
      database.db.update(labelingGuidelines).set({ markdown: "# rewritten" }).where(eq(labelingGuidelines.version, 1)),
    ).rejects.toThrow();
    await expect(database.db.delete(labelingGuidelines).where(eq(labelingGuidelines.version, 1))).rejects.toThrow();
    await expect(database.db.execute(sql`truncate labeling_guidelines`)).rejects.toThrow();
    expect((await guidelineVersion(as(viewer), { model: "fraud", version: 1 }))!.markdown).toBe(V1);
  });
});
