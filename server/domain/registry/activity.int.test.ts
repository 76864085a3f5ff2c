import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { models } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { decideRelease } from "../releases/decide";
import { requestRelease } from "../releases/request";
import { rollback } from "../releases/rollback";
import { createReport } from "../reports/create";
import { decideRequirementSet, proposeRequirementSet } from "../requirements/sets";
import { setVersionArchived } from "./archive";
import { updateModelCard, updateVersionNotes } from "./documents";
import { createModel } from "./models";
import { changeModelTags, changeVersionTags } from "./tags";
import { registerVersion } from "./versions";

/**
 * "Last activity" on the models list and the overview moves with every event on a model. Before each
 * event the column is set far back; after it, it must be now again — so a verb that forgets to touch
 * the model fails here.
 */
describe.each(testDatabaseKinds)("a model's last activity on %s", (kind) => {
  let database: Database;
  let scientist: Principal, manager: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const LONG_AGO = new Date("2000-01-01T00:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    manager = await makeUser(database.db, "manager@test.dev", ["manager"]);
    await createModel(as(scientist), { name: "act", task: "binary_classification", owner: "growth" });
  });
  afterAll(async () => database?.close());

  async function moves(event: string, run: () => Promise<unknown>) {
    await database.db.update(models).set({ lastActivityAt: LONG_AGO }).where(eq(models.name, "act"));
    const started = Date.now();
    await run();
    const [row] = await database.db.select({ at: models.lastActivityAt }).from(models).where(eq(models.name, "act"));
    // Within a minute of the event (the database's clock, which may differ a little from this process's).
    expect([event, Math.abs(row!.at.getTime() - started) < 60_000]).toEqual([event, true]);
  }

  const override = (releaseId: string) => ({
    releaseId,
    decision: "approve" as const,
    note: "ship it",
    override: true,
    justification: "activity test, not about the gate",
  });
  const sha = "a".repeat(64);

  it("moves with a version, a report, requirements, a request, an approval, a rejection, a rollback and a loosening's decision", async () => {
    await moves("version registered", () =>
      registerVersion(as(scientist), "act", { artifactUri: "s3://a/1", artifactSha256: sha, config: {} }),
    );
    await moves("report uploaded", () =>
      createReport(as(scientist), {
        model: "act",
        version: 1,
        kind: "holdout",
        sampleSize: 500,
        metrics: { latency_p95_ms: 20 },
      }),
    );
    const base = {
      model: "act",
      primaryMetric: "auc",
      requiredReportKinds: ["holdout" as const],
      rationale: "launch requirements",
    };
    await moves("requirements activated", () =>
      proposeRequirementSet(as(scientist), {
        ...base,
        requirements: [{ metric: "auc", direction: "higher", floor: 0.7 }],
      }),
    );
    const first = await requestRelease(as(scientist), {
      model: "act",
      version: 1,
      strategy: "full",
      rationale: "first model for the team",
    });
    await moves("release approved", () => decideRelease(as(manager), override(first.id)));
    await registerVersion(as(scientist), "act", { artifactUri: "s3://a/2", artifactSha256: sha, config: {} });
    let second: { id: string } | undefined;
    await moves("release requested", async () => {
      second = await requestRelease(as(scientist), {
        model: "act",
        version: 2,
        strategy: "full",
        rationale: "second model, more data",
      });
    });
    await decideRelease(as(manager), override(second!.id));
    await moves("rolled back", () => rollback(as(manager), { model: "act", reason: "v2 misbehaves in production" }));
    await registerVersion(as(scientist), "act", { artifactUri: "s3://a/3", artifactSha256: sha, config: {} });
    const third = await requestRelease(as(scientist), {
      model: "act",
      version: 3,
      strategy: "shadow",
      rationale: "shadow it for a week",
    });
    await moves("release rejected", () =>
      decideRelease(as(manager), { releaseId: third.id, decision: "reject", note: "not yet" }),
    );
    let loosening: { id: string } | undefined;
    await moves("loosening proposed", async () => {
      loosening = await proposeRequirementSet(as(scientist), {
        ...base,
        requirements: [{ metric: "auc", direction: "higher", floor: 0.6 }],
        rationale: "noisier data this quarter",
      });
    });
    await moves("loosening decided", () =>
      decideRequirementSet(as(manager), { setId: loosening!.id, approve: true, note: "agreed for a quarter" }),
    );
  });

  it("moves with the curation of a model and its versions: tags, the card, notes, archiving", async () => {
    await registerVersion(as(scientist), "act", { artifactUri: "s3://a/9", artifactSha256: sha, config: {} });
    const [{ version } = { version: 0 }] = (
      await database.db.execute<{ version: number }>(
        sql`select max(v.version)::int as version from model_versions v join models m on m.id = v.model_id where m.name = 'act'`,
      )
    ).rows;
    await moves("model tagged", () => changeModelTags(as(scientist), { model: "act", add: ["tier-1"] }));
    await moves("version tagged", () =>
      changeVersionTags(as(scientist), { model: "act", version, add: ["candidate"] }),
    );
    await moves("card edited", () => updateModelCard(as(scientist), { model: "act", card: "# Act\nIntended use." }));
    await moves("notes edited", () =>
      updateVersionNotes(as(scientist), { model: "act", version, notes: "More data." }),
    );
    await moves("version archived", () => setVersionArchived(as(scientist), { model: "act", version, archived: true }));
    await moves("version unarchived", () =>
      setVersionArchived(as(scientist), { model: "act", version, archived: false }),
    );
  });
});
