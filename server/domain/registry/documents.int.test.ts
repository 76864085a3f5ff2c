import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { ZodError } from "zod";
import type { Database } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { ForbiddenError, NotFoundError } from "../errors";
import { updateModelCard, updateVersionNotes } from "./documents";
import { createModel, getModel } from "./models";
import { getVersion, registerVersion } from "./versions";

const viewer: Principal = {
  kind: "user",
  id: "00000000-0000-4000-8000-000000000000",
  email: "v@t",
  name: "v",
  roles: ["viewer"],
};
const manager: Principal = {
  kind: "user",
  id: "00000000-0000-4000-8000-000000000000",
  email: "m@t",
  name: "m",
  roles: ["manager"],
};

describe.each(testDatabaseKinds)("model card and version notes on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    await createModel(
      { db: database.db, principal: scientist },
      { name: "churn", task: "binary_classification", owner: "test" },
    );
    await registerVersion({ db: database.db, principal: scientist }, "churn", {
      artifactUri: "s3://c/1",
      artifactSha256: "e".repeat(64),
      config: {},
    });
  });
  afterAll(async () => database?.close());
  const as = (principal: Principal) => ({ db: database.db, principal });
  const audits = (action: string) =>
    database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action)));

  it("a data scientist writes the card; it is stored as written and audited with before and after", async () => {
    const card = "# Churn\n\n**Intended use:** monthly retention campaigns.\n";
    expect(await updateModelCard(as(scientist), { model: "churn", card })).toMatchObject({ changed: true });
    expect((await getModel(as(viewer), "churn")).model.card).toBe(card);
    const second = `${card}\n## Limits\nNot for annual plans.\n`;
    await updateModelCard(as(scientist), { model: "churn", card: second });
    const entries = await audits("model.card_updated");
    expect(entries.map((e) => [e.entityId, e.actorLabel, e.before, e.after])).toEqual([
      ["churn", "ds@ratchet.test", { card: "" }, { card }],
      ["churn", "ds@ratchet.test", { card }, { card: second }],
    ]);
    // Saving the same text again changes nothing and writes no entry.
    expect(await updateModelCard(as(scientist), { model: "churn", card: second })).toMatchObject({ changed: false });
    expect(await audits("model.card_updated")).toHaveLength(2);
  });

  it("a data scientist writes a version's notes, audited", async () => {
    await updateVersionNotes(as(scientist), {
      model: "churn",
      version: 1,
      notes: "Retrained after the October outage.",
    });
    expect((await getVersion(as(viewer), "churn", 1)).notes).toBe("Retrained after the October outage.");
    const [entry] = await audits("version.notes_updated");
    expect(entry).toMatchObject({
      entityType: "model_version",
      entityId: "churn@1",
      after: { notes: "Retrained after the October outage." },
    });
  });

  it("viewers and managers may not edit either; unknown targets and over-long text are refused; nothing changes", async () => {
    for (const who of [viewer, manager]) {
      await expect(updateModelCard(as(who), { model: "churn", card: "x" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(updateVersionNotes(as(who), { model: "churn", version: 1, notes: "x" })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
    await expect(updateVersionNotes(as(scientist), { model: "churn", version: 9, notes: "x" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(updateModelCard(as(scientist), { model: "churn-typo", card: "x" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(updateModelCard(as(scientist), { model: "churn", card: "x".repeat(50_001) })).rejects.toBeInstanceOf(
      ZodError,
    );
    expect((await getModel(as(viewer), "churn")).model.card).toContain("Not for annual plans.");
    expect((await getVersion(as(viewer), "churn", 1)).notes).toBe("Retrained after the October outage.");
  });
});
